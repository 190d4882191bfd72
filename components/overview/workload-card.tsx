import Link from 'next/link';
import type { ReactNode } from 'react';
import type { WorkloadSummary } from '@/lib/contracts/workload';
import { workloadHref } from '@/lib/rollouts/filters';
import { PhaseBadge } from '@/components/ui/phase-badge';
import { PodDots } from '@/components/ui/pod-dots';
import { WeightBar } from '@/components/ui/weight-bar';

const STRATEGY: Record<WorkloadSummary['strategy'], string> = {
  canary: 'Canary',
  blueGreen: 'Blue-green',
  rollingUpdate: 'Rolling update',
  recreate: 'Recreate',
};

export function stepText(w: WorkloadSummary): string {
  if (w.step.total === 0) return w.kind === 'Deployment' ? `${w.replicas.updated}/${w.replicas.desired} updated` : '—';
  const current = w.step.current === null ? 0 : Math.min(w.step.current, w.step.total);
  return `step ${current}/${w.step.total}`;
}

export function WorkloadCard({ workload: w, sparkline }: { workload: WorkloadSummary; sparkline?: ReactNode }) {
  const testId = `rollout-${w.namespace}-${w.name}`;
  return (
    <article data-testid={testId} className="flex flex-col gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <header className="flex items-start justify-between gap-2">
        <div className="min-w-0">
          <Link href={workloadHref(w)} className="block truncate font-semibold hover:underline focus-visible:outline-2 focus-visible:outline-sky-500">
            {w.name}
          </Link>
          <p className="truncate text-xs text-slate-500 dark:text-slate-400">
            {w.namespace} · {w.kind === 'Deployment' ? 'Deployment' : STRATEGY[w.strategy]}
            {w.trafficRouting ? ` · ${w.trafficRouting}` : ''}
          </p>
        </div>
        <PhaseBadge phase={w.phase} testId={`${testId}-phase`} />
      </header>
      <div className="flex items-center justify-between text-xs text-slate-600 dark:text-slate-300">
        <span data-testid={`${testId}-step`}>{stepText(w)}</span>
        <span className="tabular-nums">
          {w.replicas.available}/{w.replicas.desired} available
        </span>
      </div>
      {w.strategy === 'canary' && <WeightBar desired={w.desiredWeight} actual={w.actualWeight} testIdPrefix={testId} />}
      <ul className="space-y-1">
        {w.revisions.slice(0, 3).map((r) => (
          <li key={r.podTemplateHash} className="flex items-center justify-between gap-2 text-xs">
            <span className="min-w-0 truncate">
              <span className="font-medium">{r.roles.join(', ')}</span> <span className="text-slate-500">rev {r.revision ?? '?'}</span>{' '}
              <span className="font-mono text-slate-500">{r.images[0]?.split('/').pop()}</span>
            </span>
            <PodDots pods={r.pods} />
          </li>
        ))}
      </ul>
      {sparkline}
      <p data-testid={`${testId}-diagnosis`} className={`min-h-[2.5rem] text-xs ${w.diagnosis ? 'text-rose-700 dark:text-rose-300' : 'text-slate-400'}`}>
        {w.diagnosis ? w.diagnosis.headline : 'Healthy'}
      </p>
    </article>
  );
}
