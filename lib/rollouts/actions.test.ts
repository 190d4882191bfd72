import { describe, expect, it } from 'vitest';
import { loadFixture } from '@/test/fixtures';
import { buildDeploymentAction, buildRolloutAction, PATCH_CONTENT_TYPE, type ActionPlan, type PatchRequest } from './actions';
import type { DeploymentObject, ReplicaSetObject, RolloutObject } from './objects';
import { buildDeploymentUndo, buildRolloutUndo, deepDerivative, deepEqual } from './undo';

const now = new Date('2026-11-22T04:10:11.456Z');
const rollout = (name: string, edit: (r: RolloutObject) => void = () => undefined): RolloutObject => {
  const r = structuredClone(loadFixture(name).workload as RolloutObject);
  edit(r);
  return r;
};
const deployment = (name: string, edit: (d: DeploymentObject) => void = () => undefined): DeploymentObject => {
  const d = structuredClone(loadFixture(name).workload as DeploymentObject);
  edit(d);
  return d;
};
const requests = (plan: ActionPlan): PatchRequest[] => {
  if (plan.outcome !== 'requests') throw new Error(`expected requests, got ${JSON.stringify(plan)}`);
  return plan.requests;
};
const ctx = { resourceVersion: '17293', now };
const ROLLOUT = '/apis/argoproj.io/v1alpha1/namespaces/shop/rollouts/checkout';

describe('Rollout promote (kubectl argo rollouts promote)', () => {
  it('at a pause step: clears the pause conditions through /status, with the precondition', () => {
    expect(requests(buildRolloutAction('promote', rollout('canary-manual-pause'), ctx))).toEqual([
      { method: 'PATCH', path: `${ROLLOUT}/status`, patchType: 'merge', body: { status: { pauseConditions: null } }, resourceVersion: '17293' },
    ]);
  });

  it('also unpaused by a user: status patch first, then the spec patch without a precondition', () => {
    const plan = requests(buildRolloutAction('promote', rollout('canary-manual-pause', (r) => (r.spec.paused = true)), ctx));
    expect(plan.map((r) => [r.path, r.body, r.resourceVersion])).toEqual([
      [`${ROLLOUT}/status`, { status: { pauseConditions: null } }, '17293'],
      [ROLLOUT, { spec: { paused: false } }, null],
    ]);
  });

  it('mid-step without a pause (analysis running, crash-looping canary): moves to the next step', () => {
    const plan = requests(buildRolloutAction('promote', rollout('canary-crashloop'), ctx));
    expect(plan).toHaveLength(1);
    expect(plan[0].body).toEqual({ status: { pauseConditions: null, currentStepIndex: 1 } });
  });

  it('with an inconclusive step analysis: clears the controller pause and steps over it', () => {
    const r = rollout('canary-manual-pause', (o) => {
      o.status = { ...o.status, canary: { currentStepAnalysisRunStatus: { name: 'a', status: 'Inconclusive' } } };
    });
    expect(requests(buildRolloutAction('promote', r, ctx))[0].body).toEqual({ status: { pauseConditions: null, controllerPause: false, currentStepIndex: 6 } });
  });

  it('never moves past the last step', () => {
    const r = rollout('canary-healthy', (o) => (o.spec.paused = true));
    expect(requests(buildRolloutAction('promote', r, ctx)).map((q) => q.body)).toEqual([
      { status: { pauseConditions: null, currentStepIndex: 11 } },
      { spec: { paused: false } },
    ]);
  });

  it('blue-green waiting for promotion: clears the pause condition only', () => {
    expect(requests(buildRolloutAction('promote', rollout('bluegreen-waiting'), ctx)).map((q) => [q.path, q.body])).toEqual([
      ['/apis/argoproj.io/v1alpha1/namespaces/shop/rollouts/payments/status', { status: { pauseConditions: null } }],
    ]);
  });

  it('blue-green with nothing paused: nothing to send', () => {
    const r = rollout('bluegreen-waiting', (o) => (o.status = { ...o.status, pauseConditions: null }));
    expect(buildRolloutAction('promote', r, ctx).outcome).toBe('nothing-to-do');
  });
});

describe('Rollout promote --full', () => {
  it('mid-release: promoteFull through /status', () => {
    expect(requests(buildRolloutAction('promote-full', rollout('canary-manual-pause'), ctx))).toEqual([
      { method: 'PATCH', path: `${ROLLOUT}/status`, patchType: 'merge', body: { status: { promoteFull: true } }, resourceVersion: '17293' },
    ]);
  });
  it('paused by a user too: then unpauses the spec', () => {
    const plan = requests(buildRolloutAction('promote-full', rollout('canary-manual-pause', (r) => (r.spec.paused = true)), ctx));
    expect(plan.map((q) => q.body)).toEqual([{ status: { promoteFull: true } }, { spec: { paused: false } }]);
  });
  it('fully promoted already: nothing to send', () => {
    expect(buildRolloutAction('promote-full', rollout('canary-healthy'), ctx).outcome).toBe('nothing-to-do');
  });
});

describe('Rollout abort, retry, pause, resume, restart', () => {
  it.each([
    ['abort', 'canary-manual-pause', `${ROLLOUT}/status`, { status: { abort: true } }],
    ['abort', 'bluegreen-waiting', '/apis/argoproj.io/v1alpha1/namespaces/shop/rollouts/payments/status', { status: { abort: true } }],
    ['retry', 'canary-aborted', `${ROLLOUT}/status`, { status: { abort: false } }],
    ['pause', 'canary-manual-pause', ROLLOUT, { spec: { paused: true } }],
    ['pause', 'canary-healthy', ROLLOUT, { spec: { paused: true } }],
    ['resume', 'canary-manual-pause', ROLLOUT, { spec: { paused: false } }],
    ['restart', 'canary-healthy', ROLLOUT, { spec: { restartAt: '2026-11-22T04:10:11Z' } }],
    ['restart', 'canary-aborted', ROLLOUT, { spec: { restartAt: '2026-11-22T04:10:11Z' } }],
  ] as const)('%s on %s', (action, fixture, path, body) => {
    const plan = requests(buildRolloutAction(action, rollout(fixture), ctx));
    expect(plan).toEqual([{ method: 'PATCH', path, patchType: 'merge', body, resourceVersion: '17293' }]);
    expect(PATCH_CONTENT_TYPE[plan[0].patchType]).toBe('application/merge-patch+json');
  });

  it('escapes names into the path', () => {
    const r = rollout('canary-healthy', (o) => (o.metadata.name = 'a/b'));
    expect(requests(buildRolloutAction('abort', r, ctx))[0].path).toBe('/apis/argoproj.io/v1alpha1/namespaces/shop/rollouts/a%2Fb/status');
  });
});

describe('Rollout undo (kubectl argo rollouts undo --to-revision)', () => {
  const f = loadFixture('canary-healthy');
  const input = (toRevision: number, replicaSets: ReplicaSetObject[] = f.replicaSets) => ({ toRevision, replicaSets, resourceVersion: '17381' });

  it('JSON-patches the chosen revision template back, without the hash label', () => {
    const plan = requests(buildRolloutUndo(rollout('canary-healthy'), input(10)));
    const rs = f.replicaSets.find((r) => r.metadata.annotations?.['rollout.argoproj.io/revision'] === '10');
    const template = structuredClone(rs?.spec?.template);
    delete template?.metadata?.labels?.['rollouts-pod-template-hash'];
    expect(plan).toEqual([{ method: 'PATCH', path: ROLLOUT, patchType: 'json', body: [{ op: 'replace', path: '/spec/template', value: template }], resourceVersion: '17381' }]);
  });
  it('revision 0 means the one before the newest', () => {
    const plan = requests(buildRolloutUndo(rollout('canary-healthy'), input(0)));
    expect(JSON.stringify(plan[0].body)).toContain('v1.2.mwrb7mup-errors');
  });
  it('the current revision: skipped, as upstream does', () => {
    expect(buildRolloutUndo(rollout('canary-healthy'), input(12))).toEqual({ outcome: 'nothing-to-do', message: 'skipped rollback (current template already matches revision 12)' });
  });
  it('an unknown revision, or ReplicaSets it does not control: invalid', () => {
    expect(buildRolloutUndo(rollout('canary-healthy'), input(99))).toEqual({ outcome: 'invalid', message: 'unable to find specified revision 99 in history' });
    const foreign = f.replicaSets.map((rs) => ({ ...rs, metadata: { ...rs.metadata, ownerReferences: [] } }));
    expect(buildRolloutUndo(rollout('canary-healthy'), input(10, foreign)).outcome).toBe('invalid');
  });
  it('a workloadRef rollout patches the referenced Deployment', () => {
    const r = rollout('canary-healthy', (o) => (o.spec.workloadRef = { kind: 'Deployment', name: 'checkout-template', apiVersion: 'apps/v1' }));
    const plan = requests(buildRolloutUndo(r, input(10)));
    expect(plan[0]).toMatchObject({ path: '/apis/apps/v1/namespaces/shop/deployments/checkout-template', resourceVersion: null });
  });
});

describe('Deployment actions (kubectl rollout)', () => {
  const DEPLOY = '/apis/apps/v1/namespaces/search/deployments/suggest';
  const dctx = { resourceVersion: '16955', now };
  it.each([
    ['pause', false, { spec: { paused: true } }],
    ['resume', true, { spec: { paused: null } }],
    ['restart', false, { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-22T04:10:11Z' } } } } }],
  ] as const)('%s (paused: %s): a strategic merge patch', (action, paused, body) => {
    const plan = requests(buildDeploymentAction(action, deployment('deployment-healthy-hpa', (d) => (d.spec.paused = paused)), dctx));
    expect(plan).toEqual([{ method: 'PATCH', path: DEPLOY, patchType: 'strategic', body, resourceVersion: '16955' }]);
    expect(PATCH_CONTENT_TYPE[plan[0].patchType]).toBe('application/strategic-merge-patch+json');
  });
  it.each([
    ['pause', true, 'deployment.apps/suggest is already paused'],
    ['resume', false, 'deployment.apps/suggest is not paused'],
    ['restart', true, "can't restart paused deployment (run rollout resume first)"],
  ] as const)('%s (paused: %s): refused as kubectl refuses', (action, paused, message) => {
    expect(buildDeploymentAction(action, deployment('deployment-healthy-hpa', (d) => (d.spec.paused = paused)), dctx)).toEqual({ outcome: 'invalid', message });
  });

  it('undo: template and annotations, kubectl-style', () => {
    const f = loadFixture('deployment-healthy-hpa');
    const plan = requests(buildDeploymentUndo(deployment('deployment-healthy-hpa'), { toRevision: 3, replicaSets: f.replicaSets, resourceVersion: '16955' }));
    const ops = plan[0].body as { op: string; path: string; value: Record<string, unknown> }[];
    expect(ops.map((o) => [o.op, o.path])).toEqual([['replace', '/spec/template'], ['replace', '/metadata/annotations']]);
    expect(JSON.stringify(ops[0].value)).not.toContain('pod-template-hash');
    // The Deployment keeps its own revision annotation; the ReplicaSet's is not copied.
    expect(ops[1].value['deployment.kubernetes.io/revision']).toBe(f.workload.metadata.annotations?.['deployment.kubernetes.io/revision']);
    expect(plan[0]).toMatchObject({ path: DEPLOY, patchType: 'json', resourceVersion: '16955' });
  });
  it('undo: refused while paused, skipped for the current revision', () => {
    const f = loadFixture('deployment-healthy-hpa');
    const paused = deployment('deployment-healthy-hpa', (d) => (d.spec.paused = true));
    expect(buildDeploymentUndo(paused, { toRevision: 3, replicaSets: f.replicaSets, resourceVersion: null }).outcome).toBe('invalid');
    expect(buildDeploymentUndo(deployment('deployment-healthy-hpa'), { toRevision: 5, replicaSets: f.replicaSets, resourceVersion: null }).outcome).toBe('nothing-to-do');
  });
});

describe('template comparisons', () => {
  it('deepDerivative ignores what the left side leaves empty', () => {
    expect(deepDerivative({ a: 1, b: '', c: [] }, { a: 1, b: 'x', c: [1], d: 2 })).toBe(true);
    expect(deepDerivative({ a: 1 }, { a: 2 })).toBe(false);
    expect(deepDerivative({ a: false }, {})).toBe(false);
  });
  it('deepEqual treats absent and empty alike', () => {
    expect(deepEqual({ a: {}, b: [1] }, { b: [1] })).toBe(true);
    expect(deepEqual({ b: [1] }, { b: [1], c: 'x' })).toBe(false);
  });
});
