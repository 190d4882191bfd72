import 'server-only';
import type { KubeConfig } from '@kubernetes/client-node';
import type { ApprovalDto, ApprovalRequestBody, DecisionBody, RetryBody } from '@/lib/contracts/approvals';
import { preconditioned, promoteRequests } from '@/lib/rollouts/actions';
import { approvalGrant, decisionRefusal, evaluate, requestRefusal, retryRefusal, type Person } from '@/lib/rollouts/approvals';
import type { PolicyResult } from '@/lib/rollouts/approvals-policy';
import type { RolloutObject } from '@/lib/rollouts/objects';
import { resultOf, type AuditEntry } from '@/lib/server/audit/entry';
import { recordAction } from '@/lib/server/audit/record';
import { HttpError } from '@/lib/server/http/errors';
import { ConflictError, kubeRequest, sendPatches } from '@/lib/server/kube/impersonation';
import { notifyAll, type Channel } from '@/lib/server/notify/channel';
import {
  createApproval,
  factsOf,
  listApprovals,
  policyFor,
  readApproval,
  readRollout,
  replaceApproval,
  ROLLOUT_LABEL,
  toDto,
  type ReleaseApprovalObject,
} from './store';

export const GRANT_EXTRA = 'aviary.dev/approval';

/** What the approval flow needs from the server: Aviary's credentials for one cluster, channels, the clock. */
export interface ApprovalWorld {
  cluster: string;
  kc: KubeConfig;
  channels: Channel[];
  /** Aviary's public URL for links in notifications (null: links are left out). */
  publicUrl: string | null;
  now: () => Date;
  log?: (line: string) => void;
}

const policyOrRefuse = (result: PolicyResult, target: string) => {
  if (result.kind === 'none') throw new HttpError(400, 'not-gated', `${target} has no approval policy: promote it directly`);
  if (result.kind === 'invalid') throw new HttpError(400, 'invalid-policy', `the approval policy of ${target} is invalid: ${result.errors.join('; ')}`);
  return result.policy;
};

function link(world: ApprovalWorld, approval: ApprovalDto): string | null {
  return world.publicUrl ? `${world.publicUrl.replace(/\/$/, '')}/approvals?focus=${encodeURIComponent(`${approval.namespace}/${approval.name}`)}` : null;
}

/** An Event on the rollout (so `kubectl describe` shows the approval trail) — as Aviary, never as the person. */
async function rolloutEvent(world: ApprovalWorld, rollout: RolloutObject, reason: string, message: string): Promise<void> {
  const namespace = rollout.metadata.namespace ?? '';
  const time = world.now().toISOString();
  await kubeRequest(world.kc, null, {
    method: 'POST',
    path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`,
    body: {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { generateName: `${rollout.metadata.name}.approval.`, namespace },
      involvedObject: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', namespace, name: rollout.metadata.name, uid: rollout.metadata.uid },
      reason,
      message: message.slice(0, 1000),
      type: 'Normal',
      source: { component: 'aviary' },
      firstTimestamp: time,
      lastTimestamp: time,
      count: 1,
    },
  }).catch((error: unknown) => world.log?.(JSON.stringify({ level: 'error', msg: 'aviary.approvals.event-failed', error: String(error) })));
}

function logLine(world: ApprovalWorld, fields: Record<string, unknown>): void {
  (world.log ?? console.log)(JSON.stringify({ level: 'info', msg: 'aviary.approval', time: world.now().toISOString(), ...fields }));
}

/**
 * A person with promote rights asks to pass the gated step the rollout waits at. Refused when the
 * rollout changed since they looked (409), is not gated, has an invalid policy, already has an open
 * request for this step and revision, or the policy wants a reason (400).
 */
export async function requestApproval(person: Person, body: ApprovalRequestBody, world: ApprovalWorld): Promise<ApprovalDto> {
  const target = `${body.namespace}/${body.name}`;
  const live = await readRollout(world.kc, body.namespace, body.name);
  if (!live) throw new HttpError(404, 'not-found', `no Rollout ${target}`);
  if (live.metadata.resourceVersion !== body.resourceVersion) throw new HttpError(409, 'conflict', 'the rollout changed since you looked — look again');
  const policyResult = await policyFor(world.kc, live);
  const policy = policyOrRefuse(policyResult, target);
  const now = world.now();
  const open = (await listApprovals(world.kc, body.namespace, body.name)).map((o) => factsOf(o, world.cluster));
  const check = requestRefusal(live, policy, body.reason ?? null, open, now);
  if ('refusal' in check) throw new HttpError(check.refusal.startsWith('an approval') ? 409 : 400, 'invalid-request', check.refusal);
  const stepLabel = check.step === 'bluegreen' ? 'the blue-green switch' : `step ${check.step}`;
  const created = await createApproval(world.kc, {
    apiVersion: 'aviary.dev/v1alpha1',
    kind: 'ReleaseApproval',
    metadata: { name: '', generateName: `${body.name}-`.slice(0, 58), namespace: body.namespace, labels: { [ROLLOUT_LABEL]: body.name } },
    spec: {
      target: { cluster: world.cluster, namespace: body.namespace, name: body.name, uid: live.metadata.uid ?? '' },
      podHash: check.podHash,
      step: check.step,
      stepLabel,
      requester: { user: person.user, groups: person.groups },
      reason: body.reason?.trim() || null,
      requestedAt: now.toISOString(),
      quorum: policy.quorum,
      validForSeconds: Math.round(policy.validForMs / 1000),
      decisions: [],
    },
  });
  const dto = toDto(created, world.cluster, live, policyResult, now);
  logLine(world, { event: 'requested', approval: `${body.namespace}/${created.metadata.name}`, user: person.user, groups: person.groups, step: check.step, podHash: check.podHash });
  await rolloutEvent(world, live, 'ApprovalRequested', `${person.user} asked for approval to pass ${stepLabel}${dto.reason ? `: ${dto.reason}` : ''} (${policy.quorum} needed)`);
  await notifyAll(
    world.channels,
    { title: `Approval requested: ${target} ${stepLabel}`, text: `${person.user} asks to promote ${target} past ${stepLabel}${dto.reason ? ` — “${dto.reason}”` : ''}. ${policy.quorum} approval(s) needed.`, link: link(world, dto), severity: 'info' },
    world.log,
  );
  return dto;
}

const MAX_ATTEMPTS = 8;

/** A request as stored, its rollout as it is now (null when gone), and the rollout's policy. */
async function readRequest(world: ApprovalWorld, namespace: string, name: string) {
  const object = await readApproval(world.kc, namespace, name).catch((error: unknown) => {
    throw resultOf(error) === 'invalid' ? new HttpError(404, 'not-found', `no release approval ${namespace}/${name}`) : error;
  });
  const live = await readRollout(world.kc, namespace, object.spec.target.name);
  const policyResult: PolicyResult = live ? await policyFor(world.kc, live) : { kind: 'none' };
  return { object, live, policyResult, policy: policyResult.kind === 'policy' ? policyResult.policy : null };
}

/** A rule's refusal as an HTTP answer: someone who may not (403), a request past deciding (409), else 400 with `code`. */
function refusalError(refusal: string, code: string): HttpError {
  if (refusal.startsWith('you asked') || refusal.includes('not one of the approvers') || refusal.includes('neither asked')) return new HttpError(403, 'forbidden', refusal);
  if (refusal.startsWith('this request is') || refusal.includes('already decided')) return new HttpError(409, 'conflict', refusal);
  return new HttpError(400, code, refusal);
}

/**
 * An approver approves or rejects. The decision is appended with the object's resourceVersion as
 * precondition; when someone else wrote first (409) it is read again and the rules re-checked, so
 * two approvers at once both count, exactly once. The decision that meets the quorum promotes.
 */
export async function decide(person: Person, body: DecisionBody, world: ApprovalWorld): Promise<{ approval: ApprovalDto; message: string }> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const { object, live, policyResult, policy } = await readRequest(world, body.namespace, body.approval);
    const now = world.now();
    const facts = factsOf(object, world.cluster);
    const refusal = decisionRefusal(facts, person, body.verdict, body.comment ?? null, { live, policy, now });
    if (refusal) throw refusalError(refusal, 'invalid-decision');
    const decision = { user: person.user, groups: person.groups, verdict: body.verdict, comment: body.comment?.trim() || null, time: now.toISOString() };
    const next: ReleaseApprovalObject = { ...object, spec: { ...object.spec, decisions: [...(object.spec.decisions ?? []), decision] } };
    let saved: ReleaseApprovalObject;
    try {
      saved = await replaceApproval(world.kc, next);
    } catch (error) {
      if (error instanceof ConflictError) continue;
      throw error;
    }
    const verdict = evaluate(factsOf(saved, world.cluster), live, policy, now);
    const target = `${body.namespace}/${object.spec.target.name}`;
    logLine(world, { event: body.verdict, approval: `${body.namespace}/${object.metadata.name}`, user: person.user, groups: person.groups, state: verdict.state, approvedBy: verdict.approvedBy });
    if (live) await rolloutEvent(world, live, body.verdict === 'approve' ? 'ApprovalGranted' : 'ApprovalRejected', `${person.user} ${body.verdict === 'approve' ? 'approved' : 'rejected'} passing ${object.spec.stepLabel ?? object.spec.step} (${verdict.approvedBy.length}/${verdict.needed})${decision.comment ? `: ${decision.comment}` : ''}`);
    let message = body.verdict === 'approve' ? `Approved (${verdict.approvedBy.length} of ${verdict.needed})` : 'Rejected: the rollout stays where it is until someone asks again';
    if (verdict.state === 'approved' && live) {
      saved = (await promote(saved, live, verdict.approvedBy, policyResult, world)).saved;
      message = saved.spec.promotion?.result === 'accepted' ? `Quorum met: ${target} promoted past ${object.spec.stepLabel ?? object.spec.step}` : `Quorum met, but the promotion was not accepted: ${saved.spec.promotion?.message ?? ''}`;
    }
    const dto = toDto(saved, world.cluster, live, policyResult, world.now());
    await notifyAll(world.channels, { title: `${target}: ${body.verdict === 'approve' ? 'approved' : 'rejected'} by ${person.user}`, text: message, link: link(world, dto), severity: body.verdict === 'reject' ? 'warning' : 'info' }, world.log);
    return { approval: dto, message };
  }
  throw new HttpError(409, 'conflict', 'the approval kept changing while you decided — look again');
}

/**
 * The quorum met but the cluster did not accept the promotion (the requester's rights were gone, the
 * API server failed): the requester or an approver sends it again, as the requester, with the same
 * grant. The approvals still count only while valid and while the rollout waits at that step.
 */
export async function retryPromotion(person: Person, body: RetryBody, world: ApprovalWorld): Promise<{ approval: ApprovalDto; message: string }> {
  const { object, live, policyResult, policy } = await readRequest(world, body.namespace, body.approval);
  if (!live) throw new HttpError(409, 'conflict', 'the rollout is gone: nothing to promote');
  const facts = factsOf(object, world.cluster);
  const refusal = retryRefusal(facts, person, { live, policy, now: world.now() });
  if (refusal) throw refusalError(refusal, 'invalid-policy');
  const verdict = evaluate(facts, live, policy, world.now());
  const target = `${body.namespace}/${object.spec.target.name}`;
  logLine(world, { event: 'retry-promotion', approval: `${body.namespace}/${object.metadata.name}`, user: person.user, groups: person.groups });
  const { saved, result, message: why } = await promote(object, live, verdict.approvedBy, policyResult, world, person);
  const accepted = result === 'accepted';
  const message = accepted
    ? `Promotion sent again by ${person.user}: ${target} promoted past ${object.spec.stepLabel ?? object.spec.step}`
    : saved.spec.promotion?.result === 'accepted'
      ? `Nothing sent: this request's promotion was accepted meanwhile (sent by ${saved.spec.promotion.actor})`
      : `The promotion was still not accepted: ${why ?? result}`;
  const dto = toDto(saved, world.cluster, live, policyResult, world.now());
  await notifyAll(world.channels, { title: `${target}: promotion sent again by ${person.user}`, text: message, link: link(world, dto), severity: accepted ? 'info' : 'warning' }, world.log);
  return { approval: dto, message };
}

/**
 * The quorum is met: promote as the REQUESTER (impersonated; they asked for exactly this promotion
 * and had promote rights), carrying the grant "<uid>/<pod hash>/<step>" as an impersonation extra —
 * the only thing the admission policy lets pass a gated step. The API server's audit log therefore
 * names the requester with the extra; Aviary's audit names the requester and the approvers.
 */
async function promote(
  object: ReleaseApprovalObject,
  first: RolloutObject,
  approvedBy: string[],
  policyResult: PolicyResult,
  world: ApprovalWorld,
  retriedBy: Person | null = null,
): Promise<{ saved: ReleaseApprovalObject; result: AuditEntry['result']; message: string | null }> {
  const facts = factsOf(object, world.cluster);
  const requester = object.spec.requester;
  const identity = { ...requester, extra: { [GRANT_EXTRA]: [approvalGrant(facts)] } };
  let live: RolloutObject | null = first;
  let error: unknown = null;
  for (let attempt = 0; attempt < 3 && live; attempt++) {
    // Only a rollout still held at the step is promoted: once its pause is cleared (by this promotion
    // sent from elsewhere, a concurrent retry), "promote" would mean "skip the next step" — never that.
    if ((live.status?.pauseConditions ?? []).length === 0) {
      error = new HttpError(409, 'conflict', 'the rollout is no longer held at this step: nothing sent');
      break;
    }
    // The controller may write the rollout between our read and our patch: read again and retry.
    try {
      await sendPatches(world.kc, identity, preconditioned(promoteRequests(live), live.metadata.resourceVersion ?? null));
      error = null;
      break;
    } catch (e) {
      error = e;
      if (!(e instanceof ConflictError)) break;
      live = await readRollout(world.kc, facts.target.namespace, facts.target.name);
      if (live && evaluate(facts, live, policyResult.kind === 'policy' ? policyResult.policy : null, world.now()).state !== 'approved') break;
    }
  }
  const result = resultOf(error);
  const message = error ? (result === 'refused-rbac' ? `the cluster refused the promotion as ${requester.user}` : error instanceof Error ? error.message : String(error)) : null;
  const time = world.now().toISOString();
  const entry: AuditEntry = {
    user: requester.user,
    groups: requester.groups,
    action: 'promote',
    target: { cluster: world.cluster, kind: 'Rollout', namespace: facts.target.namespace, name: facts.target.name, uid: facts.target.uid },
    revision: Number(first.metadata.annotations?.['rollout.argoproj.io/revision']) || null,
    step: first.status?.currentStepIndex ?? null,
    reason: `release approval ${object.metadata.name}: approved by ${approvedBy.join(', ')}${retriedBy ? `; sent again by ${retriedBy.user}` : ''}${facts.reason ? ` — ${facts.reason}` : ''}`.slice(0, 1000),
    result,
    message,
    description: `Promote ${facts.target.namespace}/${facts.target.name} past ${object.spec.stepLabel ?? object.spec.step} (quorum of ${facts.quorum} met)`,
    time,
  };
  await recordAction(world.kc, entry, world.log);
  // Record the promotion on the approval; retried on conflict (a late decision may have landed).
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = attempt === 0 ? object : await readApproval(world.kc, object.metadata.namespace ?? '', object.metadata.name);
    // Someone else's promotion of this request was accepted meanwhile: that result stands.
    if (attempt > 0 && current.spec.promotion?.result === 'accepted') return { saved: current, result, message };
    try {
      const saved = await replaceApproval(world.kc, { ...current, spec: { ...current.spec, promotion: { time, actor: requester.user, approvedBy, result, message } } });
      return { saved, result, message };
    } catch (e) {
      if (!(e instanceof ConflictError)) throw e;
    }
  }
  return { saved: object, result, message };
}

/** Every approval of one namespace, evaluated now (the live rollouts from `rollouts`). */
export async function approvalsOf(
  objects: ReleaseApprovalObject[],
  rollouts: Map<string, RolloutObject>,
  policies: (rollout: RolloutObject) => Promise<PolicyResult>,
  cluster: string,
  now: Date,
): Promise<ApprovalDto[]> {
  const dtos = await Promise.all(
    objects.map(async (o) => {
      const live = rollouts.get(`${o.spec.target.namespace}/${o.spec.target.name}`) ?? null;
      return toDto(o, cluster, live, live ? await policies(live) : { kind: 'none' }, now);
    }),
  );
  return dtos.sort((a, b) => b.requestedAt.localeCompare(a.requestedAt));
}
