import type { PodSummary } from '@/lib/contracts/workload';

const COLORS: Record<PodSummary['state'], string> = {
  ready: 'bg-emerald-500',
  starting: 'bg-sky-400',
  pending: 'bg-amber-400',
  crashing: 'bg-rose-600',
  failed: 'bg-rose-800',
  terminating: 'bg-slate-400',
  succeeded: 'bg-slate-300',
};

export function PodDots({ pods }: { pods: Pick<PodSummary, 'name' | 'state' | 'reason' | 'restarts'>[] }) {
  return (
    <ul className="flex flex-wrap gap-1" aria-label="pods">
      {pods.map((p) => (
        <li
          key={p.name}
          title={`${p.name}: ${p.state}${p.reason ? ` (${p.reason})` : ''}${p.restarts ? `, ${p.restarts} restarts` : ''}`}
          data-pod-state={p.state}
          className={`h-3 w-3 rounded-sm ${COLORS[p.state]}`}
        >
          <span className="sr-only">
            {p.name} {p.state} {p.reason ?? ''}
          </span>
        </li>
      ))}
    </ul>
  );
}
