/**
 * Every action, done by Aviary (impersonating a release manager) to one workload and by upstream's
 * CLI to its identical twin — `kubectl argo rollouts` for Rollouts, `kubectl rollout` for
 * Deployments — must leave both in the same spec and status. Also: two promotes carrying the same
 * resourceVersion advance exactly one step, and the second is refused with Conflict.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));

import { buildDeploymentAction, buildRolloutAction, type ActionPlan, type RolloutAction } from '@/lib/rollouts/actions';
import type { DeploymentObject, RolloutObject } from '@/lib/rollouts/objects';
import { buildDeploymentUndo, buildRolloutUndo } from '@/lib/rollouts/undo';
import { ConflictError, sendPatches } from '@/lib/server/kube/impersonation';
import { ensureBuilt } from '@/sandbox/lib/build';
import { kubectl } from '@/sandbox/lib/kubectl';
import { alice, DEPLOYMENT, get, kc, replicaSets, ROLLOUT, twinsAgree, type Workload } from './action-twins';
import { cli } from './argo-cli';

const NS = 'aviary-actions';
const RO = { ours: 'ro-ours', theirs: 'ro-theirs' };
const DEP = { ours: 'dep-ours', theirs: 'dep-theirs' };

const rolloutManifest = (name: string) => `
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: ${name}, namespace: ${NS}}
spec:
  replicas: 4
  revisionHistoryLimit: 5
  selector: {matchLabels: {app: ${name}}}
  strategy:
    canary:
      steps: [{setWeight: 25}, {pause: {}}, {setWeight: 50}, {pause: {}}, {setWeight: 75}, {pause: {}}]
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: app, image: "registry.example.com/twins/app:v1"}]
`;

const deploymentManifest = (name: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${NS}}
spec:
  replicas: 2
  revisionHistoryLimit: 5
  selector: {matchLabels: {app: ${name}}}
  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: app, image: "registry.example.com/twins/app:v1"}]
`;

// Alice may act through her second group only: proof that every group reaches the API server.
const rbac = `
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: release-managers, namespace: ${NS}}
rules:
- {apiGroups: [argoproj.io], resources: [rollouts, rollouts/status], verbs: [get, patch]}
# The release decisions' own verbs (deploy/admission/rollout-verbs.yaml).
- {apiGroups: [argoproj.io], resources: [rollouts], verbs: [promote, restart]}
- {apiGroups: [apps], resources: [deployments], verbs: [get, patch]}
- {apiGroups: [apps], resources: [replicasets], verbs: [list]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: release-managers, namespace: ${NS}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: release-managers}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: "aviary-actions:release-managers"}]
`;

const tools = () => ensureBuilt(() => undefined);
const kube = async (...args: string[]) => (await kubectl(await tools(), [...args, '-n', NS])).stdout;
const argo = (...args: string[]) => cli([...args, '-n', NS]);

function requestsOf(plan: ActionPlan) {
  if (plan.outcome !== 'requests') throw new Error(`expected requests: ${JSON.stringify(plan)}`);
  return plan.requests;
}

/** Aviary's way: read the object as the user, build upstream's requests, send them impersonated. */
async function aviaryRollout(action: RolloutAction, toRevision = 0): Promise<void> {
  const rollout = await get<RolloutObject>(ROLLOUT(NS).path(RO.ours));
  const resourceVersion = rollout.metadata.resourceVersion ?? null;
  const plan =
    action === 'undo'
      ? buildRolloutUndo(rollout, { toRevision, replicaSets: await replicaSets(NS, RO.ours), resourceVersion })
      : buildRolloutAction(action, rollout, { resourceVersion, now: new Date() });
  await sendPatches(kc, alice, requestsOf(plan));
}

async function aviaryDeployment(action: 'pause' | 'resume' | 'restart' | 'undo', toRevision = 0): Promise<void> {
  const deployment = await get<DeploymentObject>(DEPLOYMENT(NS).path(DEP.ours));
  const resourceVersion = deployment.metadata.resourceVersion ?? null;
  const plan =
    action === 'undo'
      ? buildDeploymentUndo(deployment, { toRevision, replicaSets: await replicaSets(NS, DEP.ours), resourceVersion })
      : buildDeploymentAction(action, deployment, { resourceVersion, now: new Date() });
  await sendPatches(kc, alice, requestsOf(plan));
}

type RolloutStatus = { phase?: string; currentStepIndex?: number; abort?: boolean; restartedAt?: string; pauseConditions?: unknown[] | null };
const status = (w: Workload) => (w.status ?? {}) as RolloutStatus;
const at = (phase: string, step?: number) => (w: Workload) => status(w).phase === phase && (step === undefined || status(w).currentStepIndex === step);
const rollouts = (checkpoint: string, until: (w: Workload) => boolean) => twinsAgree(ROLLOUT(NS), NS, RO, checkpoint, until);

beforeAll(async () => {
  const t = await tools();
  await kubectl(t, ['delete', 'namespace', NS, '--ignore-not-found', '--wait=true', '--timeout=120s']);
  await kubectl(t, ['create', 'namespace', NS]);
  await kubectl(t, ['apply', '-f', '-'], { input: [rbac, rolloutManifest(RO.ours), rolloutManifest(RO.theirs), deploymentManifest(DEP.ours), deploymentManifest(DEP.theirs)].join('\n---\n') });
}, 300_000);

afterAll(async () => {
  await kubectl(await tools(), ['delete', 'namespace', NS, '--ignore-not-found', '--wait=false']);
});

describe('Rollout actions: Aviary and kubectl argo rollouts leave twins identical', () => {
  it('through a whole release: promote, pause, resume, abort, retry, promote --full, restart, undo', async () => {
    await rollouts('created', at('Healthy'));
    for (const name of [RO.ours, RO.theirs]) await argo('set', 'image', name, 'app=registry.example.com/twins/app:v2');
    await rollouts('set image → first pause', at('Paused', 1));

    await aviaryRollout('promote');
    await argo('promote', RO.theirs);
    await rollouts('promote → next pause', at('Paused', 3));

    await aviaryRollout('pause');
    await argo('pause', RO.theirs);
    await rollouts('pause', (w) => w.spec.paused === true && status(w).phase === 'Paused');

    // The CLI has no resume: its inverse of `pause` is the unpause patch promote sends first.
    await aviaryRollout('resume');
    await kube('patch', 'rollout', RO.theirs, '--type', 'merge', '-p', '{"spec":{"paused":false}}');
    await rollouts('resume', (w) => w.spec.paused === false && at('Paused', 3)(w));

    await aviaryRollout('abort');
    await argo('abort', RO.theirs);
    await rollouts('abort', (w) => status(w).abort === true && status(w).phase === 'Degraded');

    await aviaryRollout('retry');
    await argo('retry', 'rollout', RO.theirs);
    await rollouts('retry → first pause again', at('Paused', 1));

    await aviaryRollout('promote-full');
    await argo('promote', RO.theirs, '--full');
    await rollouts('promote --full', at('Healthy', 6));

    await aviaryRollout('restart');
    await argo('restart', RO.theirs);
    await rollouts('restart', (w) => status(w).restartedAt !== undefined && status(w).phase === 'Healthy');

    await aviaryRollout('undo', 1);
    await argo('undo', RO.theirs, '--to-revision=1');
    const undone = await rollouts('undo --to-revision=1', at('Paused', 1));
    expect(JSON.stringify(undone.spec)).toContain('twins/app:v1');
  });

  it('two promotes carrying the same resourceVersion advance exactly one step; the second gets Conflict', async () => {
    const before = await get<RolloutObject>(ROLLOUT(NS).path(RO.ours));
    expect(before.status?.currentStepIndex).toBe(1);
    const plan = requestsOf(buildRolloutAction('promote', before, { resourceVersion: before.metadata.resourceVersion ?? null, now: new Date() }));
    const results = await Promise.allSettled([sendPatches(kc, alice, plan), sendPatches(kc, alice, plan)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected');
    expect(refused?.status === 'rejected' && refused.reason).toBeInstanceOf(ConflictError);
    await new Promise((r) => setTimeout(r, 5000));
    const after = await get<RolloutObject>(ROLLOUT(NS).path(RO.ours));
    expect(after.status?.currentStepIndex).toBe(3);
    expect(after.status?.phase).toBe('Paused');
  });
});

describe('Deployment actions: Aviary and kubectl rollout leave twins identical', () => {
  const deployments = (checkpoint: string, until: (w: Workload) => boolean) => twinsAgree(DEPLOYMENT(NS), NS, DEP, checkpoint, until);
  const settled = (w: Workload) => {
    const s = (w.status ?? {}) as { updatedReplicas?: number; availableReplicas?: number; replicas?: number };
    return s.updatedReplicas === 2 && s.availableReplicas === 2 && s.replicas === 2;
  };
  const revision = (w: Workload) => w.metadata.annotations?.['deployment.kubernetes.io/revision'];

  it('pause, resume, restart, undo --to-revision', async () => {
    await deployments('created', settled);
    for (const name of [DEP.ours, DEP.theirs]) await kube('set', 'image', `deployment/${name}`, 'app=registry.example.com/twins/app:v2');
    await deployments('set image', (w) => settled(w) && revision(w) === '2');

    await aviaryDeployment('pause');
    await kube('rollout', 'pause', `deployment/${DEP.theirs}`);
    await deployments('pause', (w) => w.spec.paused === true);

    await aviaryDeployment('resume');
    await kube('rollout', 'resume', `deployment/${DEP.theirs}`);
    await deployments('resume', (w) => w.spec.paused === undefined && settled(w));

    await aviaryDeployment('restart');
    await kube('rollout', 'restart', `deployment/${DEP.theirs}`);
    await deployments('restart', (w) => settled(w) && revision(w) === '3');

    await aviaryDeployment('undo', 1);
    await kube('rollout', 'undo', `deployment/${DEP.theirs}`, '--to-revision=1');
    const undone = await deployments('undo --to-revision=1', (w) => settled(w) && revision(w) === '4');
    expect(JSON.stringify(undone.spec)).toContain('twins/app:v1');
  });
});
