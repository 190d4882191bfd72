import Link from 'next/link';
import type { ReactNode } from 'react';
import type { WorkloadSummary } from '@/lib/contracts/workload';
import { workloadHref } from '@/lib/rollouts/filters';
import { isSettledCanary, STRATEGY_NAME, stepText } from '@/lib/rollouts/labels';
import { PhaseBadge } from '@/components/ui/phase-badge';
import { PodDots } from '@/components/ui/pod-dots';
import { WeightBar } from '@/components/ui/weight-bar';
import { ReasonText } from '@/components/ui/reason-text';

const HEADLINE: Record<'critical' | 'warning' | 'info', string> = {
  critical: 'text-rose-700 dark:text-rose-300',
  warning: 'text-amber-800 dark:text-amber-200',
  info: 'text-sky-800 dark:text-sky-200',
};

/** A healthy canary has nothing in flight: say the stable revision takes all traffic, not "0 %". */
function Traffic({ w, testId }: { w: WorkloadSummary; testId: string }) {
  if (w.strategy !== 'canary') return null;
  if (isSettledCanary(w)) {
    const stable = w.revisions.find((r) => r.roles.includes('stable'));
    return (
      <p className="text-xs text-slate-600 dark:text-slate-300" data-testid={`${testId}-traffic`}>
        <span className="font-medium text-emerald-700 dark:text-emerald-300">stable rev {stable?.revision ?? '?'}</span> serves{' '}
        <b data-testid={`${testId}-actual-weight`}>{w.actualWeight ?? 100}</b> % of traffic
      </p>
    );
  }
  return <WeightBar desired={w.desiredWeight} actual={w.actualWeight} testIdPrefix={testId} />;
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
            {w.namespace} · {w.kind === 'Deployment' ? 'Deployment' : STRATEGY_NAME[w.strategy]}
            {w.trafficRouting ? ` · ${w.trafficRouting}` : ''}
          </p>
        </div>
        <PhaseBadge phase={w.phase} testId={`${testId}-phase`} />
      </header>
      {w.derivationError && <p role="alert" title={w.derivationError} data-testid={`${testId}-derivation-error`} className="truncate text-xs text-amber-700 dark:text-amber-300">⚠ Last good state shown: {w.derivationError}</p>}
      <div className="flex items-center justify-between text-xs text-slate-600 dark:text-slate-300">
        <span data-testid={`${testId}-step`}>{stepText(w)}</span>
        <span className="tabular-nums">
          {w.replicas.available}/{w.replicas.desired} available
        </span>
      </div>
      <Traffic w={w} testId={testId} />
      <ul className="space-y-1">
        {w.revisions.filter((r) => !r.scaledDown || r.pods.length > 0).slice(0, 3).map((r) => (
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
      <p
        data-testid={`${testId}-diagnosis`}
        data-severity={w.diagnosis?.reasons[0]?.severity ?? 'none'}
        className={`min-h-[2.5rem] text-xs ${w.diagnosis ? HEADLINE[w.diagnosis.reasons[0]?.severity ?? 'info'] : 'text-slate-400'}`}
      >
        {w.diagnosis ? <ReasonText reason={w.diagnosis.reasons[0]} /> : 'Healthy'}
      </p>
    </article>
  );
}
