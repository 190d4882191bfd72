import type { RevisionSummary } from '@/lib/contracts/workload';
import { PodDots } from '@/components/ui/pod-dots';

export function Revisions({ revisions }: { revisions: RevisionSummary[] }) {
  if (revisions.length === 0) return <p className="text-sm text-slate-500">No ReplicaSets yet.</p>;
  return (
    <ul className="space-y-3">
      {revisions.map((r) => (
        <li key={r.podTemplateHash} className="rounded-lg border border-slate-200 p-3 dark:border-slate-800" data-testid={`revision-${r.podTemplateHash}`}>
          <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
            <span>
              <b>Revision {r.revision ?? '?'}</b> · {r.roles.join(', ')} · <span className="font-mono text-xs">{r.podTemplateHash}</span>
            </span>
            <span className="tabular-nums text-xs">
              {r.readyReplicas}/{r.desiredReplicas} ready
            </span>
          </div>
          {r.images.map((image) => (
            <p key={image} className="mt-1 truncate font-mono text-xs text-slate-600 dark:text-slate-400">
              {image}
            </p>
          ))}
          <div className="mt-2">
            <PodDots pods={r.pods} />
          </div>
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
      ))}
    </ul>
  );
}
