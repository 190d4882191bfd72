import type { StepSummary } from '@/lib/contracts/workload';
import { formatSeconds, parseDurationSeconds } from './duration';
import type { CanaryStep, RolloutObject } from './objects';

export function stepLabel(step: CanaryStep): Pick<StepSummary, 'kind' | 'label' | 'weight' | 'pauseSeconds'> {
  if (step.setWeight !== undefined) return { kind: 'setWeight', label: `Set weight ${step.setWeight} %`, weight: step.setWeight, pauseSeconds: null };
  if (step.pause !== undefined) {
    const seconds = parseDurationSeconds(step.pause.duration);
    return {
      kind: 'pause',
      label: seconds === null ? 'Pause (until promoted)' : `Pause ${formatSeconds(seconds)}`,
      weight: null,
      pauseSeconds: seconds,
    };
  }
  if (step.analysis !== undefined) {
    const names = (step.analysis.templates ?? []).map((t) => t.templateName).filter(Boolean).join(', ');
    return { kind: 'analysis', label: names ? `Analysis: ${names}` : 'Analysis', weight: null, pauseSeconds: null };
  }
  if (step.experiment !== undefined) return { kind: 'experiment', label: 'Experiment', weight: null, pauseSeconds: null };
  if (step.setCanaryScale !== undefined) {
    const scale = step.setCanaryScale;
    const what = scale.replicas !== undefined ? `${scale.replicas} replicas` : scale.weight !== undefined ? `${scale.weight} %` : 'match traffic';
    return { kind: 'setCanaryScale', label: `Set canary scale: ${what}`, weight: null, pauseSeconds: null };
  }
  return { kind: 'other', label: Object.keys(step)[0] ?? 'Step', weight: null, pauseSeconds: null };
}

export function canarySteps(rollout: RolloutObject): CanaryStep[] {
  return rollout.spec.strategy.canary?.steps ?? [];
}

/** True when the rollout's current revision is also its stable one: nothing is being rolled out. */
export function isFullyPromoted(rollout: RolloutObject): boolean {
  const { currentPodHash, stableRS } = rollout.status ?? {};
  return Boolean(currentPodHash) && currentPodHash === stableRS;
}

export function summariseSteps(rollout: RolloutObject): StepSummary[] {
  const steps = canarySteps(rollout);
  const done = isFullyPromoted(rollout);
  const current = rollout.status?.currentStepIndex ?? (steps.length ? 0 : null);
  return steps.map((step, index) => ({
    index,
    ...stepLabel(step),
    status: done || (current !== null && index < current) ? 'done' : index === current ? 'current' : 'pending',
  }));
}

/**
 * The canary weight the steps ask for now, following Argo's rule: the last setWeight at or before
 * the current step; 100 once every step is done. 0 when nothing is being rolled out or it aborted.
 */
export function desiredCanaryWeight(rollout: RolloutObject): number | null {
  if (!rollout.spec.strategy.canary) return null;
  if (rollout.status?.abort || isFullyPromoted(rollout)) return 0;
  const steps = canarySteps(rollout);
  if (steps.length === 0) return 100;
  const index = rollout.status?.currentStepIndex ?? 0;
  if (index >= steps.length) return 100;
  for (let i = Math.min(index, steps.length - 1); i >= 0; i--) {
    const weight = steps[i].setWeight;
    if (weight !== undefined) return weight;
  }
  return 0;
}
