import { describe, expect, it } from 'vitest';
import { actionStateKey } from './action-state';
import type { DeploymentObject, RolloutObject } from './objects';

const rollout = (status: RolloutObject['status'], generation = 4): RolloutObject => ({
  metadata: { name: 'checkout', namespace: 'shop', generation, resourceVersion: '100' },
  spec: { strategy: { canary: { steps: [{ setWeight: 25 }, { pause: {} }] } } },
  status,
});
const paused: RolloutObject['status'] = {
  currentPodHash: 'abc',
  stableRS: 'old',
  currentStepIndex: 1,
  pauseConditions: [{ reason: 'CanaryPauseStep', startTime: '2026-11-23T00:00:00Z' }],
  controllerPause: true,
  readyReplicas: 3,
  availableReplicas: 3,
};

describe('actionStateKey', () => {
  it('ignores what changes all the time without changing a decision: counts, conditions, resourceVersion, labels', () => {
    const a = rollout(paused);
    const b: RolloutObject = {
      ...rollout({ ...paused, readyReplicas: 1, availableReplicas: 1, conditions: [{ type: 'Available', status: 'False' }] }),
      metadata: { ...a.metadata, resourceVersion: '999', labels: { team: 'x' } },
    };
    expect(actionStateKey(b, 'Rollout')).toBe(actionStateKey(a, 'Rollout'));
  });

  it('changes with everything an action changes: promote, abort, retry, promote-full, a spec patch (pause, resume, restart, undo)', () => {
    const base = actionStateKey(rollout(paused), 'Rollout');
    const after = [
      rollout({ ...paused, pauseConditions: null }), // promote
      rollout({ ...paused, controllerPause: false }),
      rollout({ ...paused, abort: true }), // abort
      rollout({ ...paused, promoteFull: true }), // promote-full
      rollout({ ...paused, currentStepIndex: 2 }),
      rollout({ ...paused, currentPodHash: 'def' }),
      rollout({ ...paused, stableRS: 'abc' }),
      rollout(paused, 5), // spec: paused, restartAt, template
    ].map((r) => actionStateKey(r, 'Rollout'));
    for (const key of after) expect(key).not.toBe(base);
    expect(new Set(after).size).toBe(after.length);
    expect(actionStateKey(rollout({ ...paused, abort: true }), 'Rollout')).not.toBe(actionStateKey(rollout({ ...paused, abort: false }), 'Rollout')); // retry
  });

  it('a Deployment: the generation and the revision, not its rollout progress', () => {
    const d = (generation: number, revision: string, ready: number): DeploymentObject => ({
      metadata: { name: 'catalog', generation, annotations: { 'deployment.kubernetes.io/revision': revision } },
      spec: { replicas: 3 },
      status: { readyReplicas: ready },
    });
    expect(actionStateKey(d(2, '2', 1), 'Deployment')).toBe(actionStateKey(d(2, '2', 3), 'Deployment'));
    expect(actionStateKey(d(3, '2', 3), 'Deployment')).not.toBe(actionStateKey(d(2, '2', 3), 'Deployment'));
    expect(actionStateKey(d(2, '3', 3), 'Deployment')).not.toBe(actionStateKey(d(2, '2', 3), 'Deployment'));
  });
});
