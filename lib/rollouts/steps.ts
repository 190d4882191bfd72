import type { StepSummary } from '@/lib/contracts/workload';
import { formatSeconds, parseDurationSeconds } from './duration';
import type { CanaryStep, HeaderMatch, RolloutObject } from './objects';

type StepText = Pick<StepSummary, 'kind' | 'label' | 'details' | 'weight' | 'pauseSeconds'>;

function matchText(match: HeaderMatch): string {
  const value = match.headerValue ?? match.value;
  if (!value) return `${match.headerName ?? '?'} present`;
  if (value.exact !== undefined) return `${match.headerName ?? '?'} = ${value.exact}`;
  if (value.prefix !== undefined) return `${match.headerName ?? '?'} starts with ${value.prefix}`;
  if (value.regex !== undefined) return `${match.headerName ?? '?'} ~ /${value.regex}/`;
  return `${match.headerName ?? '?'} present`;
}

function experimentText(step: NonNullable<CanaryStep['experiment']>): StepText {
  const templates = step.templates ?? [];
  const analyses = step.analyses ?? [];
  const duration = parseDurationSeconds(step.duration);
  const details = [
    ...templates.map((t) => {
      const weight = t.weight !== undefined ? `, ${t.weight} % of traffic` : '';
      return `${t.name}: ${t.replicas ?? 1} replica${t.replicas === 1 || t.replicas === undefined ? '' : 's'} of the ${t.specRef} revision${weight}`;
    }),
    ...analyses.map((a) => `analysis ${a.name}: ${a.templateName ?? '?'}${a.requiredForCompletion ? ' (required for completion)' : ''}`),
  ];
  const names = templates.map((t) => t.name).join(', ');
  const label = `Experiment${names ? `: ${names}` : ''}${duration !== null ? ` for ${formatSeconds(duration)}` : ' (until its analyses finish)'}`;
  return { kind: 'experiment', label, details, weight: null, pauseSeconds: duration };
}

/** What one canary step does, in words, for every step kind Argo Rollouts 1.10 has. */
export function stepLabel(step: CanaryStep): StepText {
  const none = { details: [], weight: null, pauseSeconds: null };
  if (step.setWeight !== undefined) return { ...none, kind: 'setWeight', label: `Set weight ${step.setWeight} %`, weight: step.setWeight };
  if (step.pause !== undefined) {
    const seconds = parseDurationSeconds(step.pause.duration);
    return { ...none, kind: 'pause', label: seconds === null ? 'Pause (until promoted)' : `Pause ${formatSeconds(seconds)}`, pauseSeconds: seconds };
  }
  if (step.analysis !== undefined) {
    const names = (step.analysis.templates ?? []).map((t) => t.templateName).filter(Boolean).join(', ');
    const args = (step.analysis.args ?? []).map((a) => `${a.name} = ${a.value ?? (a.valueFrom ? '(from the rollout)' : '')}`);
    return { ...none, kind: 'analysis', label: names ? `Analysis: ${names}` : 'Analysis', details: args };
  }
  if (step.experiment !== undefined) return experimentText(step.experiment);
  if (step.setCanaryScale !== undefined) {
    const scale = step.setCanaryScale;
    const what =
      scale.replicas !== undefined
        ? `${scale.replicas} replica${scale.replicas === 1 ? '' : 's'}`
        : scale.weight !== undefined
          ? `${scale.weight} % of replicas`
          : 'match traffic weight';
    return {
      ...none,
      kind: 'setCanaryScale',
      label: `Set canary scale: ${what}`,
      details: ['Changes how many canary pods run, not how much traffic they get'],
    };
  }
  if (step.setHeaderRoute !== undefined) {
    const route = step.setHeaderRoute;
    const matches = route.match ?? [];
    return {
      ...none,
      kind: 'setHeaderRoute',
      label: matches.length === 0 ? `Remove header route ${route.name}` : `Header route ${route.name} → canary`,
      details: matches.map((m) => `when ${matchText(m)}`),
    };
  }
  if (step.setMirrorRoute !== undefined) {
    const route = step.setMirrorRoute;
    const matches = route.match ?? [];
    return {
      ...none,
      kind: 'setMirrorRoute',
      label: matches.length === 0 ? `Remove mirror route ${route.name}` : `Mirror ${route.percentage ?? 100} % of matching traffic to the canary (${route.name})`,
      details: matches.map((m) => Object.entries(m).map(([field, value]) => `${field} ${JSON.stringify(value)}`).join(', ')),
    };
  }
  if (step.plugin !== undefined) return { ...none, kind: 'plugin', label: `Plugin step: ${step.plugin.name ?? 'unnamed'}`, details: step.plugin.config ? [JSON.stringify(step.plugin.config)] : [] };
  return { ...none, kind: 'other', label: `Unknown step: ${Object.keys(step)[0] ?? 'empty'}` };
}

export function canarySteps(rollout: RolloutObject): CanaryStep[] {
  return rollout.spec.strategy.canary?.steps ?? [];
}

/** Argo's MaxTrafficWeight: 100 unless the traffic router is configured with another scale. */
export function maxTrafficWeight(rollout: RolloutObject): number {
  const max = rollout.spec.strategy.canary?.trafficRouting?.maxTrafficWeight;
  return typeof max === 'number' ? max : 100;
}

/** Argo's GetCurrentCanaryStep: the step at status.currentStepIndex, or null once past the last. */
export function currentCanaryStepIndex(rollout: RolloutObject): number | null {
  const steps = canarySteps(rollout);
  if (!rollout.spec.strategy.canary || steps.length === 0) return null;
  const index = rollout.status?.currentStepIndex ?? 0;
  return index >= steps.length ? null : index;
}

/** The last setWeight at or before `index` (Argo's walk back through the steps), 0 when none. */
export function setWeightAt(steps: CanaryStep[], index: number): number {
  for (let i = Math.min(index, steps.length - 1); i >= 0; i--) {
    const weight = steps[i].setWeight;
    if (weight !== undefined) return weight;
  }
  return 0;
}

/** Argo's GetCurrentSetWeight: 0 after an abort, the max weight once past the last step. */
export function desiredCanaryWeight(rollout: RolloutObject): number | null {
  if (!rollout.spec.strategy.canary) return null;
  if (rollout.status?.abort) return 0;
  const index = currentCanaryStepIndex(rollout);
  if (index === null) return maxTrafficWeight(rollout);
  return setWeightAt(canarySteps(rollout), index);
}

/**
 * Step statuses in Argo's numbering. After an abort the controller resets the index to 0, so the
 * step the release had reached (when known) is marked `aborted` instead of step 0 `current`.
 */
export function summariseSteps(rollout: RolloutObject, abortedAtStep: number | null): StepSummary[] {
  const steps = canarySteps(rollout);
  const aborted = Boolean(rollout.status?.abort);
  const current = rollout.status?.currentStepIndex ?? (steps.length ? 0 : null);
  return steps.map((step, index) => {
    let status: StepSummary['status'];
    if (aborted) status = abortedAtStep === null ? 'pending' : index < abortedAtStep ? 'done' : index === abortedAtStep ? 'aborted' : 'pending';
    else status = current !== null && index < current ? 'done' : index === current ? 'current' : 'pending';
    return { index, ...stepLabel(step), status };
  });
}
