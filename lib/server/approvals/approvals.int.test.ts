/**
 * Release approvals against the sandbox: the real API server with the admission policy installed by
 * sandbox:up, the real Argo controller, Aviary's own identity and the sandbox's RBAC, and
 * `kubectl-argo-rollouts` with the ADMIN kubeconfig as the would-be bypass. Notifications go to a
 * Slack-compatible receiver started here on 127.0.0.1.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));

import { ensureBuilt } from '@/sandbox/lib/build';
import { paths } from '@/sandbox/lib/config';
import { kubectl } from '@/sandbox/lib/kubectl';
import { identities } from '@/sandbox/lib/pki';
import { cli } from '@/test/argo-cli';
import { getRollout, waitFor } from '@/test/sandbox';
import { decide, requestApproval, retryPromotion, type ApprovalWorld } from './service';
import { readApproval, readRollout, replaceApproval, type ReleaseApprovalObject } from './store';
import { webhookChannel } from '@/lib/server/notify/channel';
import { HttpError } from '@/lib/server/http/errors';

const NS = 'aviary-approvals';
const NAME = 'gated';
const tools = () => ensureBuilt(() => undefined);
const alice = { user: 'alice', groups: ['release-managers'] };
const bob = { user: 'bob', groups: ['release-managers'] };
const dana = { user: 'dana', groups: ['release-managers', 'oncall'] };

const manifest = (image: string) => `
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: ${NAME}
  namespace: ${NS}
  annotations:
    approvals.aviary.dev/gate: "steps:1"
    approvals.aviary.dev/approvers: "group:release-managers"
    approvals.aviary.dev/quorum: "2"
spec:
  replicas: 2
  selector: {matchLabels: {app: ${NAME}}}
  strategy: {canary: {steps: [{setWeight: 25}, {pause: {}}, {setWeight: 50}, {pause: {duration: 1s}}]}}
  template:
    metadata: {labels: {app: ${NAME}}}
    spec: {containers: [{name: app, image: "registry.example.com/approvals/app:${image}"}]}
`;

/** A blue-green rollout whose switch is gated (quorum of one), with its two Services. */
const BG = 'gated-bg';
const blueGreen = (image: string) => `
apiVersion: v1
kind: Service
metadata: {name: ${BG}-active, namespace: ${NS}}
spec: {selector: {app: ${BG}}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: ${BG}-preview, namespace: ${NS}}
spec: {selector: {app: ${BG}}, ports: [{port: 80}]}
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: ${BG}
  namespace: ${NS}
  annotations:
    approvals.aviary.dev/gate: "bluegreen-switch"
    approvals.aviary.dev/approvers: "group:release-managers"
    approvals.aviary.dev/quorum: "1"
spec:
  replicas: 1
  selector: {matchLabels: {app: ${BG}}}
  strategy: {blueGreen: {activeService: ${BG}-active, previewService: ${BG}-preview, autoPromotionEnabled: false}}
  template:
    metadata: {labels: {app: ${BG}}}
    spec: {containers: [{name: app, image: "registry.example.com/approvals/bg:${image}"}]}
`;

const bindings = [
  `{apiVersion: rbac.authorization.k8s.io/v1, kind: RoleBinding, metadata: {name: view, namespace: ${NS}}, roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: aviary-viewer}, subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: release-managers}]}`,
  `{apiVersion: rbac.authorization.k8s.io/v1, kind: RoleBinding, metadata: {name: release, namespace: ${NS}}, roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: aviary-release-manager}, subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: release-managers}]}`,
].join('\n---\n');

const received: string[] = [];
let receiver: Server;
let world: ApprovalWorld;

async function setImage(tag: string): Promise<void> {
  const patch = JSON.stringify({ spec: { template: { spec: { containers: [{ name: 'app', image: `registry.example.com/approvals/app:${tag}` }] } } } });
  await kubectl(await tools(), ['-n', NS, 'patch', 'rollout', NAME, '--type=merge', '-p', patch]);
}

/** Waits until the rollout rests at the gated pause (step 1) of a revision other than `notHash`. */
const atGate = (notHash?: string) =>
  waitFor('the rollout to wait at the gated step 1', async () => {
    const r = await readRollout(world.kc, NS, NAME);
    const paused = r?.status?.currentStepIndex === 1 && (r.status.pauseConditions ?? []).some((c) => c.reason === 'CanaryPauseStep');
    return paused && r.status?.currentPodHash !== notHash ? r : undefined;
  }, { timeoutMs: 120_000 });

async function refusal(promise: Promise<unknown>): Promise<{ status: number; message: string }> {
  const error = await promise.then(() => null, (e: unknown) => e);
  if (!(error instanceof HttpError)) throw new Error(`expected an HttpError, got ${String(error)}`);
  return { status: error.status, message: error.message };
}

beforeAll(async () => {
  const t = await tools();
  await kubectl(t, ['delete', 'namespace', NS, '--ignore-not-found', '--wait=true', '--timeout=120s']);
  await kubectl(t, ['create', 'namespace', NS]);
  await kubectl(t, ['apply', '-f', '-'], { input: bindings });
  await kubectl(t, ['apply', '-f', '-'], { input: manifest('v1') });
  await waitFor('the gated rollout healthy', async () => ((await getRollout(NS, NAME)).status?.phase === 'Healthy' ? true : undefined), { timeoutMs: 120_000 });
  receiver = createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      received.push((JSON.parse(text) as { text: string }).text);
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const kc = new KubeConfig();
  kc.loadFromFile(paths.kubeconfigFor(identities.aviary.name));
  const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/slack`;
  world = { cluster: 'sandbox', kc, channels: [webhookChannel('test', hook)], publicUrl: 'http://127.0.0.1:3000', now: () => new Date(), log: () => undefined };
}, 600_000);

afterAll(async () => {
  receiver?.close();
  await kubectl(await tools(), ['delete', 'namespace', NS, '--ignore-not-found', '--wait=false']);
});

describe('release approvals', () => {
  it('the admission policy refuses kubectl argo rollouts promote (and --full) on the gated step, even as admin', async () => {
    await setImage('v2');
    await atGate();
    await expect(cli(['promote', NAME, '-n', NS])).rejects.toThrow(/waits for release approval at step 1: promoting it needs the approvals quorum/);
    await expect(cli(['promote', NAME, '-n', NS, '--full'])).rejects.toThrow(/a full promotion would skip a gated step/);
    await expect(kubectl(await tools(), ['-n', NS, 'annotate', 'rollout', NAME, 'approvals.aviary.dev/gate-'])).rejects.toThrow(/policy cannot change until the release is finished/);
    expect((await getRollout(NS, NAME)).status?.currentStepIndex).toBe(1);
  }, 180_000);

  it('alice requests, cannot approve her own request; bob approves; only dana’s approval (the quorum of two) moves it on', async () => {
    const r = await atGate();
    const requested = await requestApproval(alice, { cluster: 'sandbox', namespace: NS, name: NAME, resourceVersion: r.metadata.resourceVersion ?? '', reason: 'v2 looks good at 25 %' }, world);
    expect(requested).toMatchObject({ state: 'pending', step: '1', quorum: 2, requester: alice });
    const decision = (person: typeof alice, verdict: 'approve' | 'reject' = 'approve') =>
      decide(person, { cluster: 'sandbox', namespace: NS, approval: requested.name, verdict, comment: null }, world);

    expect(await refusal(decision(alice))).toEqual({ status: 403, message: 'you asked for this promotion: someone else must approve it' });
    const first = await decision(bob);
    expect(first.approval).toMatchObject({ state: 'pending', approvedBy: ['bob'] });
    expect(await refusal(decision(bob))).toEqual({ status: 409, message: 'bob has already decided on this request' });
    // Nothing moved: still waiting at the gate.
    expect((await getRollout(NS, NAME)).status?.pauseConditions?.[0]?.reason).toBe('CanaryPauseStep');

    const second = await decision(dana);
    expect(second.approval).toMatchObject({ state: 'promoted', approvedBy: ['bob', 'dana'], promotion: { actor: 'alice', result: 'accepted' } });
    await waitFor('the rollout past the gated step', async () => ((await getRollout(NS, NAME)).status?.currentStepIndex ?? 0) > 1 || undefined, { timeoutMs: 60_000 });
    expect(received.some((t) => t.includes('Approval requested') && t.includes('/approvals?focus='))).toBe(true);
    expect(received.some((t) => t.includes('approved by dana') && t.includes('Quorum met'))).toBe(true);
  }, 240_000);

  it('a new revision voids a pending approval', async () => {
    await waitFor('v2 fully promoted', async () => ((await getRollout(NS, NAME)).status?.phase === 'Healthy' ? true : undefined), { timeoutMs: 120_000 });
    await setImage('v3');
    const r = await atGate();
    const requested = await requestApproval(alice, { cluster: 'sandbox', namespace: NS, name: NAME, resourceVersion: r.metadata.resourceVersion ?? '', reason: null }, world);
    await decide(bob, { cluster: 'sandbox', namespace: NS, approval: requested.name, verdict: 'approve', comment: null }, world);
    await setImage('v4');
    const v4 = await atGate(requested.podHash);
    const late = await refusal(decide(dana, { cluster: 'sandbox', namespace: NS, approval: requested.name, verdict: 'approve', comment: null }, world));
    expect(late).toEqual({ status: 409, message: 'this request is void (a new revision was released): nothing to decide' });
    expect((await readRollout(world.kc, NS, NAME))?.status).toMatchObject({ currentStepIndex: 1, currentPodHash: v4.status?.currentPodHash });
  }, 300_000);

  it('two approvers at once both count, exactly once, and the rollout is promoted once', async () => {
    const r = await atGate();
    const requested = await requestApproval(alice, { cluster: 'sandbox', namespace: NS, name: NAME, resourceVersion: r.metadata.resourceVersion ?? '', reason: 'v4' }, world);
    const both = await Promise.all([bob, dana].map((p) => decide(p, { cluster: 'sandbox', namespace: NS, approval: requested.name, verdict: 'approve', comment: null }, world)));
    expect(both.map((b) => b.message).filter((m) => m.startsWith('Quorum met'))).toHaveLength(1);
    const stored: ReleaseApprovalObject = await readApproval(world.kc, NS, requested.name);
    expect(stored.spec.decisions?.map((d) => d.user).sort()).toEqual(['bob', 'dana']);
    expect(stored.spec.promotion).toMatchObject({ actor: 'alice', result: 'accepted' });
    await waitFor('the rollout past the gated step', async () => ((await getRollout(NS, NAME)).status?.currentStepIndex ?? 0) > 1 || undefined, { timeoutMs: 60_000 });
  }, 240_000);

  it('a quorum whose promotion the cluster refused (alice lost her rights) is sent again once they are back: by an approver, not by anyone', async () => {
    await waitFor('v4 fully promoted', async () => ((await getRollout(NS, NAME)).status?.phase === 'Healthy' ? true : undefined), { timeoutMs: 120_000, intervalMs: 1000 });
    await setImage('v5');
    const r = await atGate();
    const requested = await requestApproval(alice, { cluster: 'sandbox', namespace: NS, name: NAME, resourceVersion: r.metadata.resourceVersion ?? '', reason: 'v5' }, world);
    const t = await tools();
    const canPatch = async () => (await kubectl(t, ['auth', 'can-i', 'patch', 'rollouts.argoproj.io', '-n', NS, '--as', 'alice', '--as-group', 'release-managers'], { allowFailure: true })).stdout.trim();
    const release = bindings.split('\n---\n')[1];
    await kubectl(t, ['-n', NS, 'delete', 'rolebinding', 'release']);
    await waitFor('alice without promote rights', async () => ((await canPatch()) === 'no' ? true : undefined), { timeoutMs: 30_000 });

    await decide(bob, { cluster: 'sandbox', namespace: NS, approval: requested.name, verdict: 'approve', comment: null }, world);
    const quorum = await decide(dana, { cluster: 'sandbox', namespace: NS, approval: requested.name, verdict: 'approve', comment: null }, world);
    expect(quorum.message).toBe('Quorum met, but the promotion was not accepted: the cluster refused the promotion as alice');
    expect(quorum.approval).toMatchObject({ state: 'approved', promotion: { actor: 'alice', result: 'refused-rbac' } });
    expect((await getRollout(NS, NAME)).status?.currentStepIndex).toBe(1);

    const retry = (person: typeof alice) => retryPromotion(person, { cluster: 'sandbox', namespace: NS, approval: requested.name }, world);
    expect(await refusal(retry({ user: 'carol', groups: ['oncall'] }))).toEqual({ status: 403, message: 'carol neither asked for nor approved this promotion' });
    expect((await retry(bob)).message).toBe('The promotion was still not accepted: the cluster refused the promotion as alice');

    await kubectl(t, ['apply', '-f', '-'], { input: release });
    await waitFor('alice with promote rights again', async () => ((await canPatch()) === 'yes' ? true : undefined), { timeoutMs: 30_000 });
    // bob and alice click at once: exactly one promotion is sent; the other finds the pause gone and sends nothing
    // (a second "promote" of a rollout whose pause is cleared would mean "skip the next step").
    const [byBob, byAlice] = await Promise.allSettled([retry(bob), retry(alice)]);
    const messages = [byBob, byAlice].map((r) => (r.status === 'fulfilled' ? r.value.message : String((r.reason as Error).message)));
    expect(messages.filter((m) => m.startsWith('Promotion sent again by '))).toHaveLength(1);
    expect(messages.filter((m) => !m.startsWith('Promotion sent again by '))[0]).toMatch(/^Nothing sent: this request's promotion was accepted meanwhile|this request is (promoted|void)|no longer held at this step/);
    expect(messages.join('\n')).toContain(`${NS}/${NAME} promoted past ${requested.stepLabel}`);
    expect(await readApproval(world.kc, NS, requested.name)).toMatchObject({ spec: { promotion: { actor: 'alice', result: 'accepted', approvedBy: ['bob', 'dana'] } } });
    await waitFor('the rollout past the gated step', async () => ((await getRollout(NS, NAME)).status?.currentStepIndex ?? 0) > 1 || undefined, { timeoutMs: 60_000 });
    expect(await refusal(retry(alice))).toEqual({ status: 409, message: 'this request is promoted: nothing to promote' });
    expect(received.some((t) => t.includes('Promotion sent again by '))).toBe(true);
  }, 300_000);

  it('a quorum whose promotion was lost on its way (no result saved) is on its way for 30 s, then may be sent again, once', async () => {
    await waitFor('v5 fully promoted', async () => ((await getRollout(NS, NAME)).status?.phase === 'Healthy' ? true : undefined), { timeoutMs: 120_000, intervalMs: 1000 });
    await setImage('v6');
    const r = await atGate();
    const requested = await requestApproval(alice, { cluster: 'sandbox', namespace: NS, name: NAME, resourceVersion: r.metadata.resourceVersion ?? '', reason: 'v6' }, world);
    await decide(bob, { cluster: 'sandbox', namespace: NS, approval: requested.name, verdict: 'approve', comment: null }, world);
    // dana's approval was saved, then the replica that meets the quorum died before it sent the promotion
    // (or the API server failed before its result was saved): the quorum is there, no promotion recorded.
    const stored = await readApproval(world.kc, NS, requested.name);
    const decision = { ...dana, verdict: 'approve' as const, comment: null, time: new Date().toISOString() };
    await replaceApproval(world.kc, { ...stored, spec: { ...stored.spec, decisions: [...(stored.spec.decisions ?? []), decision] } });
    const retry = (person: typeof alice, at: Date) => retryPromotion(person, { cluster: 'sandbox', namespace: NS, approval: requested.name }, { ...world, now: () => at });
    expect(await refusal(retry(bob, new Date()))).toEqual({ status: 409, message: 'this request is approved and its promotion is on its way: nothing to send again' });
    expect((await getRollout(NS, NAME)).status?.currentStepIndex).toBe(1);
    const later = new Date(Date.now() + 31_000);
    const [byBob, byDana] = await Promise.allSettled([retry(bob, later), retry(dana, later)]);
    const messages = [byBob, byDana].map((o) => (o.status === 'fulfilled' ? o.value.message : String((o.reason as Error).message)));
    expect(messages.filter((m) => m.startsWith('Promotion sent again by '))).toHaveLength(1);
    expect(await readApproval(world.kc, NS, requested.name)).toMatchObject({ spec: { promotion: { actor: 'alice', result: 'accepted', approvedBy: ['bob', 'dana'] } } });
    await waitFor('the rollout past the gated step', async () => ((await getRollout(NS, NAME)).status?.currentStepIndex ?? 0) > 1 || undefined, { timeoutMs: 60_000 });
  }, 300_000);

  it('a gated blue-green switch: the CLI is refused even as admin; one approval switches the active service to the new revision', async () => {
    const t = await tools();
    // The test before takes alice's rights away for a while: whatever it left, they are back here.
    await kubectl(t, ['apply', '-f', '-'], { input: bindings });
    await kubectl(t, ['apply', '-f', '-'], { input: blueGreen('v1') });
    await waitFor('the blue-green rollout healthy', async () => ((await getRollout(NS, BG)).status?.phase === 'Healthy' ? true : undefined), { timeoutMs: 120_000 });
    const patch = JSON.stringify({ spec: { template: { spec: { containers: [{ name: 'app', image: 'registry.example.com/approvals/bg:v2' }] } } } });
    await kubectl(t, ['-n', NS, 'patch', 'rollout', BG, '--type=merge', '-p', patch]);
    const paused = await waitFor('the switch to wait (BlueGreenPause)', async () => {
      const r = await readRollout(world.kc, NS, BG);
      return (r?.status?.pauseConditions ?? []).some((c) => c.reason === 'BlueGreenPause') && r?.status?.currentPodHash !== r?.status?.stableRS ? r : undefined;
    }, { timeoutMs: 120_000 });
    if (!paused) throw new Error('the blue-green rollout never waited');
    const waiting = paused;
    const before = waiting.status?.blueGreen?.activeSelector;
    await expect(cli(['promote', BG, '-n', NS])).rejects.toThrow(/waits for release approval at the blue-green switch/);
    await expect(cli(['promote', BG, '-n', NS, '--full'])).rejects.toThrow(/waits for release approval/);
    expect((await readRollout(world.kc, NS, BG))?.status?.blueGreen?.activeSelector).toBe(before);

    const requested = await requestApproval(alice, { cluster: 'sandbox', namespace: NS, name: BG, resourceVersion: waiting.metadata.resourceVersion ?? '', reason: 'preview checked' }, world);
    expect(requested).toMatchObject({ state: 'pending', step: 'bluegreen', quorum: 1 });
    const decided = await decide(bob, { cluster: 'sandbox', namespace: NS, approval: requested.name, verdict: 'approve', comment: null }, world);
    expect(decided.approval).toMatchObject({ state: 'promoted', promotion: { actor: 'alice', result: 'accepted' } });
    await waitFor('the active service on the new revision', async () => {
      const r = await readRollout(world.kc, NS, BG);
      return r?.status?.blueGreen?.activeSelector === waiting.status?.currentPodHash ? true : undefined;
    }, { timeoutMs: 120_000 });
  }, 300_000);
});
