import Link from 'next/link';
import { memo } from 'react';
import type { WorkloadRow } from '@/lib/contracts/overview';
import { workloadHref } from '@/lib/rollouts/filters';
import { STRATEGY_NAME, stepText } from '@/lib/rollouts/labels';
import { Sparkline } from '@/components/charts/sparkline';
import { PhaseBadge } from '@/components/ui/phase-badge';
import { PodDots } from '@/components/ui/pod-dots';
import { WeightBar } from '@/components/ui/weight-bar';
import { ReasonText } from '@/components/ui/reason-text';
import type { FiringAlert } from '@/lib/contracts/alerts';

const HEADLINE: Record<'critical' | 'warning' | 'info', string> = {
  critical: 'text-rose-700 dark:text-rose-300',
  warning: 'text-amber-800 dark:text-amber-200',
  info: 'text-sky-800 dark:text-sky-200',
};

export interface CardSpark {
  points: [number, number | null][] | null;
  role: 'canary' | 'stable' | 'preview' | 'active';
}

/** A healthy canary has nothing in flight: say the stable revision takes all traffic, not "0 %". */
function Traffic({ w, testId }: { w: WorkloadRow; testId: string }) {
  if (w.strategy !== 'canary') return null;
  if (w.settledCanary) {
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

/**
 * One workload's card, from its overview row. Its link does not prefetch: a thousand cards scrolling
 * by (and every viewer's first screen) would each render a detail page on the server. Memoized: a delta re-renders only the card whose row
 * changed (rows keep their identity in the cache until replaced). `spark` undefined: no chart (a Deployment).
 */
export const WorkloadCard = memo(function WorkloadCard({
  workload: w,
  spark,
  sparkUnavailable = false,
  alerts,
}: {
  workload: WorkloadRow;
  spark?: CardSpark | null;
  sparkUnavailable?: boolean;
  /** Prometheus alerts firing for this workload. */
  alerts?: FiringAlert[];
}) {
  const testId = `rollout-${w.namespace}-${w.name}`;
  return (
    <article data-testid={testId} data-rv={w.resourceVersion} className="flex h-full flex-col gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <header className="flex items-start justify-between gap-2">
        <div className="min-w-0">
          <Link href={workloadHref(w)} prefetch={false} className="block truncate font-semibold hover:underline focus-visible:outline-2 focus-visible:outline-sky-500">
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
        {w.revisions.map((r) => (
          <li key={r.podTemplateHash} className="flex items-center justify-between gap-2 text-xs">
            <span className="min-w-0 truncate">
              <span className="font-medium">{r.roles.join(', ')}</span> <span className="text-slate-500">rev {r.revision ?? '?'}</span>{' '}
              <span className="font-mono text-slate-500">{r.image?.split('/').pop()}</span>
            </span>
            <PodDots pods={r.pods} />
          </li>
        ))}
      </ul>
      {alerts && alerts.length > 0 && (
        <p className="truncate text-xs font-semibold text-rose-700 dark:text-rose-300" data-testid={`${testId}-alerts`} title={alerts.map((a) => a.summary ?? a.name).join('\n')}>
          ▲ {alerts.map((a) => a.name).join(', ')}
        </p>
      )}
      {spark !== undefined && <Sparkline points={spark?.points ?? null} role={spark?.role ?? 'stable'} unavailable={sparkUnavailable} />}
      <p
        data-testid={`${testId}-diagnosis`}
        data-severity={w.reason?.severity ?? 'none'}
        className={`min-h-[2.5rem] text-xs ${w.headline !== null ? HEADLINE[w.reason?.severity ?? 'info'] : 'text-slate-400'}`}
      >
        {w.headline !== null ? w.reason ? <ReasonText reason={w.reason} /> : w.headline : 'Healthy'}
      </p>
    </article>
  );
});
