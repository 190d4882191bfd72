import type { EventSummary } from '@/lib/contracts/workload';
import { Ago } from '@/components/ui/time';

export function EventsTimeline({ events }: { events: EventSummary[] }) {
  if (events.length === 0) return <p className="text-sm text-slate-500">No recent events.</p>;
  return (
    <ol className="space-y-2 border-l border-slate-300 pl-4 dark:border-slate-700">
      {events.map((e, i) => (
        <li key={`${e.object}-${e.reason}-${e.lastSeen}-${i}`} className="text-xs">
          <span className={`font-semibold ${e.type === 'Warning' ? 'text-rose-700 dark:text-rose-300' : ''}`}>{e.reason}</span>{' '}
          <span className="text-slate-500">
            {e.object} · <Ago iso={e.lastSeen} />
            {e.count > 1 ? ` · ×${e.count}` : ''}
          </span>
          <p className="break-words text-slate-700 dark:text-slate-300">{e.message}</p>
        </li>
      ))}
    </ol>
  );
}
