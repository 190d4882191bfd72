import type { RevisionSummary } from '@/lib/contracts/workload';
import { PodDots } from '@/components/ui/pod-dots';
import { Countdown } from '@/components/ui/time';

function Revision({ r }: { r: RevisionSummary }) {
  return (
    <li className="rounded-lg border border-slate-200 p-3 dark:border-slate-800" data-testid={`revision-${r.podTemplateHash}`}>
      <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
        <span>
          <b>Revision {r.revision ?? '?'}</b>
          {r.roles[0] !== 'old' && <> · {r.roles.join(', ')}</>} · <span className="font-mono text-xs">{r.podTemplateHash}</span>
        </span>
        <span className="tabular-nums text-xs">
          {r.readyReplicas}/{r.desiredReplicas} ready
          {r.scaleDownDeadline && (
            <span className="ml-2 text-amber-800 dark:text-amber-200">
              scales down in <Countdown until={r.scaleDownDeadline} />
            </span>
          )}
        </span>
      </div>
      {r.images.map((image) => (
        <p key={image} className="mt-1 truncate font-mono text-xs text-slate-600 dark:text-slate-400">
          {image}
        </p>
      ))}
      {r.pods.length > 0 && (
        <div className="mt-2">
          <PodDots pods={r.pods} />
        </div>
      )}
      <ul className="mt-2 space-y-0.5 text-xs text-rose-700 dark:text-rose-300">
        {r.pods
          .filter((p) => p.state !== 'ready' && p.reason)
          .map((p) => (
            <li key={p.name}>
              {p.name}: {p.reason}
              {p.message ? ` — ${p.message}` : ''}
            </li>
          ))}
      </ul>
    </li>
  );
}

/** Running revisions in full; scaled-down ones collapsed below, the history a rollback goes back to. */
export function Revisions({ revisions }: { revisions: RevisionSummary[] }) {
  if (revisions.length === 0) return <p className="text-sm text-slate-500">No ReplicaSets yet.</p>;
  const live = revisions.filter((r) => !r.scaledDown || r.pods.length > 0);
  const history = revisions.filter((r) => r.scaledDown && r.pods.length === 0);
  return (
    <div className="space-y-3">
      <ul className="space-y-3">
        {live.map((r) => (
          <Revision key={r.podTemplateHash} r={r} />
        ))}
      </ul>
      {history.length > 0 && (
        <details data-testid="revision-history">
          <summary className="cursor-pointer text-sm text-slate-600 dark:text-slate-400">
            {history.length} earlier revision{history.length === 1 ? '' : 's'}, scaled down (revisions {history.map((r) => r.revision ?? '?').join(', ')})
          </summary>
          <ul className="mt-2 space-y-1">
            {history.map((r) => (
              <li key={r.podTemplateHash} className="flex flex-wrap items-baseline gap-x-3 text-xs" data-testid={`revision-${r.podTemplateHash}`}>
                <b className="text-sm">Revision {r.revision ?? '?'}</b>
                <span className="font-mono text-slate-500">{r.podTemplateHash}</span>
                <span className="min-w-0 truncate font-mono text-slate-600 dark:text-slate-400">{r.images.join(', ')}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
