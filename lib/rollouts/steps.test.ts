import { describe, expect, it } from 'vitest';
import type { RolloutObject } from './objects';
import { desiredCanaryWeight, stepLabel, summariseSteps } from './steps';

function rollout(status: NonNullable<RolloutObject['status']>, canary: NonNullable<RolloutObject['spec']['strategy']['canary']>): RolloutObject {
  return { metadata: { name: 'r', namespace: 'n' }, spec: { strategy: { canary } }, status };
}

const steps = [{ setWeight: 20 }, { pause: {} }, { setCanaryScale: { replicas: 2 } }, { setWeight: 60 }, { pause: { duration: '30s' } }];

describe('steps in words', () => {
  it('experiments say which templates run, for how long, with which analyses', () => {
    const s = stepLabel({
      experiment: {
        duration: '10m',
        templates: [
          { name: 'baseline', specRef: 'stable', replicas: 1 },
          { name: 'candidate', specRef: 'canary', replicas: 2, weight: 5 },
        ],
        analyses: [{ name: 'compare', templateName: 'mann-whitney', requiredForCompletion: true }],
      },
    });
    expect(s).toMatchObject({ kind: 'experiment', label: 'Experiment: baseline, candidate for 10m', pauseSeconds: 600 });
    expect(s.details).toEqual([
      'baseline: 1 replica of the stable revision',
      'candidate: 2 replicas of the canary revision, 5 % of traffic',
      'analysis compare: mann-whitney (required for completion)',
    ]);
  });

  it('header and mirror routes say what they match; removal is named as such', () => {
    expect(stepLabel({ setHeaderRoute: { name: 'beta', match: [{ headerName: 'x-beta', headerValue: { exact: 'yes' } }] } })).toMatchObject({
      kind: 'setHeaderRoute',
      label: 'Header route beta → canary',
      details: ['when x-beta = yes'],
    });
    expect(stepLabel({ setHeaderRoute: { name: 'beta' } }).label).toBe('Remove header route beta');
    expect(stepLabel({ setMirrorRoute: { name: 'm', percentage: 35, match: [{ method: { exact: 'GET' } }] } })).toMatchObject({
      kind: 'setMirrorRoute',
      label: 'Mirror 35 % of matching traffic to the canary (m)',
      details: ['method {"exact":"GET"}'],
    });
  });

  it('canary scale says it changes pods, not traffic; plugins and unknown steps are named', () => {
    expect(stepLabel({ setCanaryScale: { weight: 25 } }).label).toBe('Set canary scale: 25 % of replicas');
    expect(stepLabel({ setCanaryScale: { matchTrafficWeight: true } }).label).toBe('Set canary scale: match traffic weight');
    expect(stepLabel({ plugin: { name: 'argoproj-labs/gatekeeper' } }).label).toBe('Plugin step: argoproj-labs/gatekeeper');
  });
});

describe("Argo's SetWeight (GetCurrentSetWeight)", () => {
  it('walks back to the last setWeight at or before the current step', () => {
    expect(desiredCanaryWeight(rollout({ currentStepIndex: 2, currentPodHash: 'b', stableRS: 'a' }, { steps }))).toBe(20);
    expect(desiredCanaryWeight(rollout({ currentStepIndex: 4, currentPodHash: 'b', stableRS: 'a' }, { steps }))).toBe(60);
  });

  it('is 100 (or maxTrafficWeight) past the last step, 0 after an abort, 100 with no steps', () => {
    expect(desiredCanaryWeight(rollout({ currentStepIndex: 5, currentPodHash: 'a', stableRS: 'a' }, { steps }))).toBe(100);
    expect(desiredCanaryWeight(rollout({ currentStepIndex: 5 }, { steps, trafficRouting: { istio: {}, maxTrafficWeight: 1000 } }))).toBe(1000);
    expect(desiredCanaryWeight(rollout({ currentStepIndex: 0, abort: true }, { steps }))).toBe(0);
    expect(desiredCanaryWeight(rollout({}, {}))).toBe(100);
  });
});

describe('step statuses', () => {
  it('index < current is done, = current is current', () => {
    expect(summariseSteps(rollout({ currentStepIndex: 3 }, { steps }), null).map((s) => s.status)).toEqual(['done', 'done', 'done', 'current', 'pending']);
  });

  it('after an abort the step reached is marked aborted; unknown leaves all pending', () => {
    const aborted = rollout({ currentStepIndex: 0, abort: true }, { steps });
    expect(summariseSteps(aborted, 3).map((s) => s.status)).toEqual(['done', 'done', 'done', 'aborted', 'pending']);
    expect(summariseSteps(aborted, null).every((s) => s.status === 'pending')).toBe(true);
  });
});
