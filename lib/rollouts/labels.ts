import type { Comparison } from '@/lib/contracts/metrics';
import type { WorkloadSummary } from '@/lib/contracts/workload';

/** One place for how strategies are named on screen. */
export const STRATEGY_NAME: Record<WorkloadSummary['strategy'], string> = {
  canary: 'Canary',
  blueGreen: 'Blue-green',
  rollingUpdate: 'Rolling update',
  recreate: 'Recreate',
};

/**
 * The step as Argo's CLI and dashboard print it, "step 5/11": status.currentStepIndex over the
 * number of steps, so index 5 (the sixth entry) is the one running. After an abort, where the
 * release had got to.
 */
export function stepText(w: Pick<WorkloadSummary, 'kind' | 'step' | 'replicas' | 'abortedAt'>): string {
  if (w.abortedAt && w.step.total > 0) {
    return w.abortedAt.known && w.abortedAt.step !== null ? `aborted at step ${w.abortedAt.step}/${w.step.total}` : `aborted (step unknown)`;
  }
  if (w.step.total === 0) return w.kind === 'Deployment' ? `${w.replicas.updated}/${w.replicas.desired} updated` : '—';
  if (w.step.current === null) return `step –/${w.step.total}`;
  return `step ${Math.min(w.step.current, w.step.total)}/${w.step.total}`;
}

/** Which two sides the charts compare: preview vs active for blue-green, canary vs stable otherwise. */
export function sidesOf(w: Pick<WorkloadSummary, 'strategy'>): Comparison {
  return w.strategy === 'blueGreen' ? { next: 'preview', current: 'active' } : { next: 'canary', current: 'stable' };
}

/** A fully promoted canary: nothing is being rolled out, the stable revision takes all traffic. */
export function isSettledCanary(w: Pick<WorkloadSummary, 'strategy' | 'phase' | 'revisions'>): boolean {
  return w.strategy === 'canary' && w.phase === 'Healthy' && !w.revisions.some((r) => r.roles.includes('canary'));
}
