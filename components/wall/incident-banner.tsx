'use client';

import { useQuery } from '@tanstack/react-query';
import { alertMatches } from '@/lib/contracts/alerts';
import { alertsQuery, oncallQuery } from '@/lib/queries/oncall';
import { Ago } from '@/components/ui/time';

const DELIVERY_WORDS = { pending: 'sending', delivered: 'delivered', failed: 'FAILED', skipped: 'not sent' } as const;

/** On a rollout page: the open incident (who was paged, how delivery went) and the alerts firing for it. */
export function IncidentBanner({ w }: { w: { id: string; namespace: string; name: string; services: { canary: string | null; stable: string | null } } }) {
  const oncall = useQuery(oncallQuery());
  const alerts = useQuery(alertsQuery());
  const open = (oncall.data?.incidents ?? []).filter((i) => i.workloadId === w.id && i.state === 'open');
  const firing = (alerts.data?.alerts ?? []).filter((a) => alertMatches(a, w));
  if (open.length === 0 && firing.length === 0) return null;
  return (
    <div className="flex flex-col gap-2">
      {open.map((i) => (
        <div key={i.dedupKey} role="alert" data-testid="incident-banner" className="rounded-lg border-2 border-rose-600 bg-rose-50 px-4 py-3 text-rose-900 dark:bg-rose-950 dark:text-rose-100">
          <p className="font-semibold">
            {i.deliveries.some((d) => d.action === 'trigger' && d.state === 'delivered') ? 'On-call paged' : 'Incident open'} <Ago iso={i.openedAt} />: revision {i.revision}{' '}
            {i.cause.replace('-', ' ')}
          </p>
          <p className="text-sm">{i.summary}</p>
          <p className="mt-1 text-xs">
            {i.deliveries.map((d) => `${d.channel} ${d.action}: ${DELIVERY_WORDS[d.state]}${d.state === 'failed' && d.lastError ? ` (${d.lastError})` : ''}`).join(' · ') || 'no on-call channel configured'}
            {i.runbook ? ` · runbook ${i.runbook.hook}: ${i.runbook.state} — ${i.runbook.message}` : ''}
          </p>
        </div>
      ))}
      {firing.length > 0 && (
        <div data-testid="firing-alerts" className="rounded-lg border border-amber-500 bg-amber-50 px-4 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
          <p className="font-semibold">Prometheus alerts {firing.some((a) => a.state === 'firing') ? 'firing' : 'pending'}</p>
          <ul>
            {firing.map((a) => (
              <li key={`${a.name}/${a.service}`}>
                <span className="font-medium">{a.name}</span> ({a.severity ?? 'no severity'}, {a.state}) on {a.service}: {a.summary ?? a.description ?? ''}
                {a.activeAt && (
                  <>
                    {' '}· since <Ago iso={a.activeAt} />
                  </>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
