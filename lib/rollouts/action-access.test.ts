import { describe, expect, it } from 'vitest';
import { ROLLOUT_ACTIONS } from './actions';
import { accessNeedKey, accessNeeded } from './action-access';

const keys = (kind: 'Rollout' | 'Deployment', action: (typeof ROLLOUT_ACTIONS)[number]) => accessNeeded(kind, action)?.map(accessNeedKey) ?? null;

describe('accessNeeded', () => {
  it('maps each Rollout action to the requests it sends', () => {
    // promote and restart also need their own verbs (deploy/admission/rollout-verbs.yaml): patch alone is on call's.
    expect(keys('Rollout', 'promote')).toEqual(['patch rollouts/status.argoproj.io', 'patch rollouts.argoproj.io', 'promote rollouts.argoproj.io']);
    expect(keys('Rollout', 'promote-full')).toEqual(['patch rollouts/status.argoproj.io', 'patch rollouts.argoproj.io', 'promote rollouts.argoproj.io']);
    expect(keys('Rollout', 'abort')).toEqual(['patch rollouts/status.argoproj.io']);
    expect(keys('Rollout', 'retry')).toEqual(['patch rollouts/status.argoproj.io']);
    for (const action of ['pause', 'resume'] as const) expect(keys('Rollout', action)).toEqual(['patch rollouts.argoproj.io']);
    expect(keys('Rollout', 'restart')).toEqual(['patch rollouts.argoproj.io', 'restart rollouts.argoproj.io']);
    expect(keys('Rollout', 'undo')).toEqual(['get replicasets.apps', 'patch rollouts.argoproj.io']);
  });

  it('maps Deployment actions to patch deployments (and reading ReplicaSets for undo), and has none of the Rollout-only ones', () => {
    for (const action of ['pause', 'resume', 'restart'] as const) expect(keys('Deployment', action)).toEqual(['patch deployments.apps']);
    expect(keys('Deployment', 'undo')).toEqual(['get replicasets.apps', 'patch deployments.apps']);
    for (const action of ['promote', 'promote-full', 'abort', 'retry'] as const) expect(keys('Deployment', action)).toBeNull();
  });

  it('covers every action', () => {
    for (const action of ROLLOUT_ACTIONS) expect(keys('Rollout', action)?.length).toBeGreaterThan(0);
  });
});
