import { describe, expect, it } from 'vitest';
import { loadFixture } from '@/test/fixtures';
import { directPromoteRefusal, grantValue, pendingGate, readPolicy, type ApprovalPolicy } from './approvals-policy';
import { approvalGrant, awaitsAction, decisionRefusal, evaluate, promotionLost, requestRefusal, retryRefusal, type ApprovalFacts, type Decision } from './approvals';
import type { RolloutObject } from './objects';

/** A recorded rollout with policy annotations added (the recorded object is what the controller wrote). */
function withAnnotations(name: string, annotations: Record<string, string>): RolloutObject {
  const rollout = structuredClone(loadFixture(name).workload as RolloutObject);
  rollout.metadata.annotations = { ...rollout.metadata.annotations, ...annotations };
  return rollout;
}

const gated = (extra: Record<string, string> = {}) =>
  withAnnotations('canary-manual-pause', {
    'approvals.aviary.dev/gate': 'steps:5',
    'approvals.aviary.dev/approvers': 'group:release-managers,user:erin',
    'approvals.aviary.dev/quorum': '2',
    'approvals.aviary.dev/valid-for': '4h',
    ...extra,
  });

function policyOf(rollout: RolloutObject, ns: Record<string, string> = {}): ApprovalPolicy {
  const result = readPolicy(rollout, ns);
  if (result.kind !== 'policy') throw new Error(`expected a policy, got ${JSON.stringify(result)}`);
  return result.policy;
}

const now = new Date('2026-11-22T05:00:00Z');
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000).toISOString();
const alice = { user: 'alice', groups: ['release-managers'] };
const bob = { user: 'bob', groups: ['release-managers'] };
const dana = { user: 'dana', groups: ['release-managers', 'oncall'] };
const approve = (p: { user: string; groups: string[] }, minutes = 1): Decision => ({ ...p, verdict: 'approve', comment: null, time: minutesAgo(minutes) });

function facts(rollout: RolloutObject, decisions: Decision[] = []): ApprovalFacts {
  return {
    target: { cluster: 'sandbox', namespace: 'shop', name: 'checkout', uid: rollout.metadata.uid ?? '' },
    podHash: rollout.status?.currentPodHash ?? '',
    step: '5',
    requester: alice,
    reason: 'v1.1.0 looks good at 25 %',
    requestedAt: minutesAgo(10),
    quorum: 2,
    validForMs: 4 * 3600_000,
    decisions,
    promotedAt: null,
    promotionResult: null,
  };
}

describe('approval policy', () => {
  it('reads a rollout’s own policy and finds the gated indefinite pause it is waiting at', () => {
    const rollout = gated();
    const policy = policyOf(rollout);
    expect(policy).toMatchObject({ gate: { kind: 'steps', steps: [5] }, quorum: 2, approvers: { users: ['erin'], groups: ['release-managers'] }, validForMs: 4 * 3600_000, source: 'rollout' });
    expect(pendingGate(policy, rollout)).toBe(5);
  });

  it('falls back to the namespace’s policy; "every manual pause" gates the same step', () => {
    const rollout = structuredClone(loadFixture('canary-manual-pause').workload as RolloutObject);
    const policy = policyOf(rollout, { 'approvals.aviary.dev/gate': 'manual-pauses', 'approvals.aviary.dev/approvers': 'group:release-managers' });
    expect(policy.source).toBe('namespace');
    expect(policy.quorum).toBe(1);
    expect(pendingGate(policy, rollout)).toBe(5);
  });

  it('a timed pause is not gated and a rollout at one is not waiting for approval', () => {
    const rollout = withAnnotations('canary-timed-pause', { 'approvals.aviary.dev/gate': 'manual-pauses', 'approvals.aviary.dev/approvers': 'user:bob' });
    expect(pendingGate(policyOf(rollout), rollout)).toBeNull();
  });

  it('reports an invalid policy with every problem instead of ignoring it', () => {
    const result = readPolicy(gated({ 'approvals.aviary.dev/gate': 'steps:1', 'approvals.aviary.dev/quorum': 'two', 'approvals.aviary.dev/approvers': 'release-managers', 'approvals.aviary.dev/valid-for': 'forever' }));
    expect(result.kind).toBe('invalid');
    expect(result.kind === 'invalid' && result.errors).toEqual([
      'approver "release-managers" must be user:<name> or group:<name>',
      'approvers: name at least one user:<name> or group:<name>',
      'quorum "two" must be a whole number of at least 1',
      'valid-for "forever" must be a duration like 30m, 4h or 2d',
      'step 1 is not an indefinite pause ({pause: {}}): only those can wait for approval',
    ]);
  });

  it('gates the blue-green switch only when the controller would not switch by itself', () => {
    const rollout = withAnnotations('bluegreen-waiting', { 'approvals.aviary.dev/gate': 'bluegreen-switch', 'approvals.aviary.dev/approvers': 'group:release-managers' });
    expect(pendingGate(policyOf(rollout), rollout)).toBe('bluegreen');
    const auto = structuredClone(rollout);
    (auto.spec.strategy.blueGreen as { autoPromotionEnabled?: boolean }).autoPromotionEnabled = true;
    expect(readPolicy(auto).kind).toBe('invalid');
  });
});

describe('approval rules', () => {
  const rollout = gated();
  const ctx = { live: rollout, policy: policyOf(rollout), now };

  it('the requester cannot approve their own request', () => {
    expect(decisionRefusal(facts(rollout), alice, 'approve', null, ctx)).toBe('you asked for this promotion: someone else must approve it');
  });

  it('one person counts once, whatever their groups — and cannot decide twice', () => {
    const twice = facts(rollout, [approve(dana, 3), { ...approve(dana, 2), groups: ['oncall'] }]);
    expect(evaluate(twice, rollout, ctx.policy, now)).toMatchObject({ state: 'pending', approvedBy: ['dana'], needed: 2 });
    expect(decisionRefusal(facts(rollout, [approve(dana)]), dana, 'approve', null, ctx)).toBe('dana has already decided on this request');
  });

  it('a quorum of two needs two distinct approvers', () => {
    expect(evaluate(facts(rollout, [approve(bob)]), rollout, ctx.policy, now).state).toBe('pending');
    expect(evaluate(facts(rollout, [approve(bob), approve(dana)]), rollout, ctx.policy, now)).toMatchObject({ state: 'approved', approvedBy: ['bob', 'dana'] });
  });

  it('an approval from the requester never counts toward the quorum, even if recorded', () => {
    expect(evaluate(facts(rollout, [approve(alice), approve(bob)]), rollout, ctx.policy, now).state).toBe('pending');
  });

  it('someone outside the approvers cannot decide', () => {
    expect(decisionRefusal(facts(rollout), { user: 'carol', groups: ['oncall'] }, 'approve', null, ctx)).toBe('carol is not one of the approvers of shop/checkout');
    expect(decisionRefusal(facts(rollout), { user: 'erin', groups: [] }, 'approve', null, ctx)).toBeNull();
  });

  it('expired approvals do not count', () => {
    const old = facts(rollout, [approve(bob, 5 * 60), approve(dana, 1)]);
    expect(evaluate(old, rollout, ctx.policy, now)).toMatchObject({ state: 'pending', approvedBy: ['dana'] });
  });

  it('a new revision, another step, or an abort voids the request', () => {
    const newRevision = structuredClone(rollout);
    newRevision.status = { ...newRevision.status, currentPodHash: 'ffffffffff' };
    expect(evaluate(facts(rollout, [approve(bob), approve(dana)]), newRevision, ctx.policy, now)).toMatchObject({ state: 'void', why: 'a new revision was released' });
    const moved = structuredClone(rollout);
    moved.status = { ...moved.status, currentStepIndex: 6 };
    expect(evaluate(facts(rollout), moved, ctx.policy, now)).toMatchObject({ state: 'void', why: 'the rollout is no longer waiting at this step' });
    const aborted = structuredClone(rollout);
    aborted.status = { ...aborted.status, abort: true };
    expect(evaluate(facts(rollout), aborted, ctx.policy, now).why).toBe('the rollout was aborted');
    const replaced = structuredClone(rollout);
    replaced.metadata.uid = 'another-uid';
    expect(evaluate(facts(rollout), replaced, ctx.policy, now).why).toBe('the rollout was replaced (new UID)');
  });

  it('a rejection blocks until a new request, and needs a reason', () => {
    const rejected = facts(rollout, [approve(bob), { ...dana, verdict: 'reject', comment: 'p99 is creeping up', time: minutesAgo(1) }]);
    expect(evaluate(rejected, rollout, ctx.policy, now)).toMatchObject({ state: 'rejected', why: 'rejected by dana: p99 is creeping up' });
    expect(decisionRefusal(rejected, { user: 'erin', groups: [] }, 'approve', null, ctx)).toMatch(/^this request is rejected/);
    expect(decisionRefusal(facts(rollout), bob, 'reject', '  ', ctx)).toBe('say why you reject it');
    expect(requestRefusal(rollout, ctx.policy, 'again', [rejected], now)).toEqual({ step: '5', podHash: rollout.status?.currentPodHash });
  });

  it('one open request per step and revision; a reason when the policy asks for one', () => {
    expect(requestRefusal(rollout, ctx.policy, null, [facts(rollout, [approve(bob)])], now)).toEqual({ refusal: 'an approval for this step is already open (asked by alice)' });
    const strict = gated({ 'approvals.aviary.dev/reason-required': 'true' });
    expect(requestRefusal(strict, policyOf(strict), ' ', [], now)).toEqual({ refusal: 'this rollout’s policy asks for a reason' });
  });

  it('a promotion the cluster did not accept can be sent again by the requester or an approver, only while approved and at the step', () => {
    const approved = { ...facts(rollout, [approve(bob), approve(dana)]), promotionResult: 'refused-rbac' };
    expect(retryRefusal(approved, alice, ctx)).toBeNull();
    // Approved with no result yet: its promotion is on its way, and a second one could skip a step.
    const justMet = { ...facts(rollout, [approve(bob), { ...approve(dana), time: new Date(now.getTime() - 10_000).toISOString() }]), promotionResult: null };
    expect(retryRefusal(justMet, alice, ctx)).toBe('this request is approved and its promotion is on its way: nothing to send again');
    // No result a minute after the quorum: the promotion was lost (the API server failed before its result was saved).
    expect(retryRefusal({ ...approved, promotionResult: null }, alice, ctx)).toBeNull();
    expect(promotionLost(justMet.decisions, now)).toBe(false);
    expect(promotionLost(justMet.decisions, new Date(now.getTime() + 20_000))).toBe(true);
    expect(promotionLost([], now)).toBe(false);
    expect(retryRefusal(approved, bob, ctx)).toBeNull();
    expect(retryRefusal(approved, { user: 'erin', groups: [] }, ctx)).toBe('erin neither asked for nor approved this promotion');
    expect(retryRefusal({ ...facts(rollout, [approve(bob)]), promotionResult: 'refused-rbac' }, alice, ctx)).toBe('this request is pending: nothing to promote');
    expect(retryRefusal({ ...approved, promotedAt: minutesAgo(1), promotionResult: 'accepted' }, alice, ctx)).toBe('this request is promoted: nothing to promote');
    const moved = structuredClone(rollout);
    moved.status = { ...moved.status, currentStepIndex: 6 };
    expect(retryRefusal(approved, alice, { ...ctx, live: moved })).toBe('this request is void (the rollout is no longer waiting at this step): nothing to promote');
    // Approvals that expired meanwhile no longer make a quorum.
    expect(retryRefusal({ ...facts(rollout, [approve(bob, 5 * 60), approve(dana)]), promotionResult: 'refused-rbac' }, alice, ctx)).toBe('this request is pending: nothing to promote');
    expect(retryRefusal(approved, alice, { ...ctx, policy: null })).toBe('the rollout has no valid approval policy');
  });

  it('binds the grant the admission policy checks to UID, pod-template hash and step', () => {
    expect(approvalGrant(facts(rollout))).toBe(`${rollout.metadata.uid}/${rollout.status?.currentPodHash}/5`);
    expect(grantValue('u', 'h', 'bluegreen')).toBe('u/h/bluegreen');
  });
});

describe('what still waits for someone', () => {
  it('pending, or approved with a promotion not (yet) accepted; never an accepted, promoted, rejected or void one', () => {
    expect(awaitsAction({ state: 'pending' })).toBe(true);
    expect(awaitsAction({ state: 'approved', promotion: null })).toBe(true);
    expect(awaitsAction({ state: 'approved', promotion: { result: 'refused-rbac' } })).toBe(true);
    expect(awaitsAction({ state: 'approved', promotion: { result: 'accepted' } })).toBe(false);
    for (const state of ['promoted', 'rejected', 'void']) expect(awaitsAction({ state, promotion: { result: 'refused-rbac' } })).toBe(false);
  });
});

describe('direct promotes of a gated rollout', () => {
  it('are refused at the gate (promote and promote --full) and before it (promote --full only)', () => {
    const rollout = gated();
    const policy = policyOf(rollout);
    expect(directPromoteRefusal(policy, rollout, false)).toBe('shop/checkout waits for release approval at step 5: ask for approval instead (2 needed)');
    const before = withAnnotations('canary-timed-pause', { 'approvals.aviary.dev/gate': 'steps:5', 'approvals.aviary.dev/approvers': 'user:bob' });
    expect(directPromoteRefusal(policyOf(before), before, false)).toBeNull();
    expect(directPromoteRefusal(policyOf(before), before, true)).toBe('shop/checkout has a release-approval gate ahead: a full promotion would skip it');
  });
});
