import { grantValue, pendingGate, stepKey, type ApprovalPolicy } from './approvals-policy';
import type { RolloutObject } from './objects';

/**
 * The rules of a release approval, pure: who may decide, what counts toward the quorum, when an
 * approval is void. The server enforces them (lib/server/approvals); the page only shows them.
 */

export interface Person {
  user: string;
  groups: string[];
}

export interface Decision extends Person {
  verdict: 'approve' | 'reject';
  comment: string | null;
  time: string;
}

/** One request to pass one gated step of one revision of one rollout (a ReleaseApproval's spec + decisions). */
export interface ApprovalFacts {
  target: { cluster: string; namespace: string; name: string; uid: string };
  /** The revision (pod-template hash) and the step the request is bound to. */
  podHash: string;
  step: string;
  requester: Person;
  reason: string | null;
  requestedAt: string;
  quorum: number;
  validForMs: number;
  decisions: Decision[];
  /** Set once the promotion has been sent. */
  promotedAt: string | null;
  /** The result of the last promotion sent for this request ('accepted', 'refused-rbac', …), null while none was. */
  promotionResult: string | null;
}

export type ApprovalState = 'pending' | 'approved' | 'rejected' | 'void' | 'promoted';

/**
 * Whether a request still holds its release: waiting for decisions (pending), or approved but its
 * promotion not accepted by the cluster — refused (it waits for a retry) or not sent yet (on its
 * way). The header count, the "Waiting" filter and the wall all use this. The server reports an
 * accepted promotion as `promoted`; "approved + accepted" is ruled out here all the same.
 */
export const awaitsAction = (a: { state: string; promotion?: { result: string } | null }): boolean =>
  a.state === 'pending' || (a.state === 'approved' && a.promotion?.result !== 'accepted');

export interface ApprovalVerdict {
  state: ApprovalState;
  /** People whose approval counts now (distinct, unexpired, not the requester). */
  approvedBy: string[];
  needed: number;
  /** Why it is void or rejected, in words. */
  why: string | null;
}

/** Whether the approval still describes the live rollout: same UID, same revision, same gated step, no abort. */
export function voidReason(facts: ApprovalFacts, live: RolloutObject | null, policy: ApprovalPolicy | null): string | null {
  if (!live) return 'the rollout no longer exists';
  if (live.metadata.uid !== facts.target.uid) return 'the rollout was replaced (new UID)';
  if (live.status?.currentPodHash !== facts.podHash) return 'a new revision was released';
  if (live.status?.abort) return 'the rollout was aborted';
  if (!policy) return 'the rollout no longer has a valid approval policy';
  const gate = pendingGate(policy, live);
  if (gate === null || stepKey(gate) !== facts.step) return 'the rollout is no longer waiting at this step';
  return null;
}

/** Approvals that count at `now`: distinct people, not the requester, not expired. */
export function countingApprovals(facts: ApprovalFacts, now: Date): string[] {
  const people = new Set<string>();
  for (const d of facts.decisions) {
    if (d.verdict !== 'approve' || d.user === facts.requester.user) continue;
    if (Date.parse(d.time) + facts.validForMs <= now.getTime()) continue;
    people.add(d.user);
  }
  return [...people];
}

export function evaluate(facts: ApprovalFacts, live: RolloutObject | null, policy: ApprovalPolicy | null, now: Date): ApprovalVerdict {
  const approvedBy = countingApprovals(facts, now);
  const base = { approvedBy, needed: facts.quorum };
  if (facts.promotedAt) return { ...base, state: 'promoted', why: null };
  const rejection = facts.decisions.find((d) => d.verdict === 'reject');
  if (rejection) return { ...base, state: 'rejected', why: `rejected by ${rejection.user}${rejection.comment ? `: ${rejection.comment}` : ''}` };
  const voided = voidReason(facts, live, policy);
  if (voided) return { ...base, state: 'void', why: voided };
  return { ...base, state: approvedBy.length >= facts.quorum ? 'approved' : 'pending', why: null };
}

export const isApprover = (policy: ApprovalPolicy, person: Person) =>
  policy.approvers.users.includes(person.user) || person.groups.some((g) => policy.approvers.groups.includes(g));

/** Why `person` may not decide on this approval now, or null when they may. */
export function decisionRefusal(
  facts: ApprovalFacts,
  person: Person,
  verdict: Decision['verdict'],
  comment: string | null,
  ctx: { live: RolloutObject | null; policy: ApprovalPolicy | null; now: Date },
): string | null {
  if (!ctx.policy) return 'the rollout has no valid approval policy';
  const state = evaluate(facts, ctx.live, ctx.policy, ctx.now);
  if (state.state !== 'pending') return `this request is ${state.state}${state.why ? ` (${state.why})` : ''}: nothing to decide`;
  if (person.user === facts.requester.user) return 'you asked for this promotion: someone else must approve it';
  if (!isApprover(ctx.policy, person)) return `${person.user} is not one of the approvers of ${facts.target.namespace}/${facts.target.name}`;
  if (facts.decisions.some((d) => d.user === person.user)) return `${person.user} has already decided on this request`;
  if (verdict === 'reject' && !comment?.trim()) return 'say why you reject it';
  return null;
}

/**
 * Why `person` may not send again the promotion of an approved request whose promotion the cluster
 * did not accept (the quorum stands; the promote failed), or null when they may: only the requester
 * or one of the counting approvers, and only while the request is approved and the rollout still
 * waits at its step.
 */
export function retryRefusal(facts: ApprovalFacts, person: Person, ctx: { live: RolloutObject | null; policy: ApprovalPolicy | null; now: Date }): string | null {
  if (!ctx.policy) return 'the rollout has no valid approval policy';
  const state = evaluate(facts, ctx.live, ctx.policy, ctx.now);
  if (state.state !== 'approved') return `this request is ${state.state}${state.why ? ` (${state.why})` : ''}: nothing to promote`;
  if (person.user !== facts.requester.user && !state.approvedBy.includes(person.user)) return `${person.user} neither asked for nor approved this promotion`;
  // A promotion still on its way is not sent twice. One with no result long after the quorum was met
  // was lost (the API server failed before the result was saved) and may be sent again: the server
  // sends only while the rollout is still held at the step, with its resourceVersion as precondition.
  if (facts.promotionResult === null && !promotionLost(facts.decisions, ctx.now)) return 'this request is approved and its promotion is on its way: nothing to send again';
  return null;
}

/** How long after the quorum a promotion with no recorded result counts as lost rather than on its way. */
export const PROMOTION_GRACE_MS = 30_000;

/**
 * Whether an approved request's promotion, with no result recorded, is lost: the approval that met
 * the quorum (the newest) is older than PROMOTION_GRACE_MS. Both the server and the page ask this.
 */
export function promotionLost(decisions: readonly { verdict: string; time: string }[], now: Date): boolean {
  const newest = Math.max(...decisions.filter((d) => d.verdict === 'approve').map((d) => Date.parse(d.time)));
  return Number.isFinite(newest) && now.getTime() - newest >= PROMOTION_GRACE_MS;
}

/** Why `person` may not ask for approval of the rollout now, or null (plus the gated step) when they may. */
export function requestRefusal(
  live: RolloutObject,
  policy: ApprovalPolicy | null,
  reason: string | null,
  open: ApprovalFacts[],
  now: Date,
): { refusal: string } | { step: string; podHash: string } {
  if (!policy) return { refusal: 'the rollout has no valid approval policy' };
  const gate = pendingGate(policy, live);
  if (gate === null) return { refusal: 'the rollout is not waiting at a gated step: promote it directly' };
  if (policy.reasonRequired && !reason?.trim()) return { refusal: 'this rollout’s policy asks for a reason' };
  const podHash = live.status?.currentPodHash ?? '';
  const step = stepKey(gate);
  const already = open.find((f) => {
    const s = evaluate(f, live, policy, now).state;
    return (s === 'pending' || s === 'approved') && f.step === step && f.podHash === podHash;
  });
  if (already) return { refusal: `an approval for this step is already open (asked by ${already.requester.user})` };
  return { step, podHash };
}

/** The Impersonate-Extra value an approved promotion carries, checked by the admission policy. */
export const approvalGrant = (facts: ApprovalFacts) => grantValue(facts.target.uid, facts.podHash, facts.step === 'bluegreen' ? 'bluegreen' : Number(facts.step));
