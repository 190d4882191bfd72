import 'server-only';
import type { KubeConfig } from '@kubernetes/client-node';
import type { ApprovalDto } from '@/lib/contracts/approvals';
import { readPolicy, type PolicyResult } from '@/lib/rollouts/approvals-policy';
import { evaluate, type ApprovalFacts, type Decision, type Person } from '@/lib/rollouts/approvals';
import { rolloutPath } from '@/lib/rollouts/actions';
import type { KubeObject, RolloutObject } from '@/lib/rollouts/objects';
import { kubeRequest, NotFoundError, ForbiddenError } from '@/lib/server/kube/impersonation';

/** The ReleaseApproval object (deploy/crds/releaseapprovals.aviary.dev.yaml) as the API server stores it. */
export interface ReleaseApprovalObject extends KubeObject {
  metadata: KubeObject['metadata'] & { generateName?: string };
  spec: {
    target: { cluster?: string; namespace: string; name: string; uid: string };
    podHash: string;
    step: string;
    stepLabel?: string;
    requester: Person;
    reason?: string | null;
    requestedAt: string;
    quorum: number;
    validForSeconds: number;
    decisions?: Decision[];
    promotion?: { time: string; actor: string; approvedBy?: string[]; result: string; message?: string | null };
  };
}

export const GROUP_PATH = '/apis/aviary.dev/v1alpha1';
export const ROLLOUT_LABEL = 'aviary.dev/rollout';

export const approvalsPath = (namespace: string, name?: string) =>
  `${GROUP_PATH}/namespaces/${encodeURIComponent(namespace)}/releaseapprovals${name ? `/${encodeURIComponent(name)}` : ''}`;

export function factsOf(object: ReleaseApprovalObject, cluster: string): ApprovalFacts {
  const s = object.spec;
  return {
    target: { cluster, namespace: s.target.namespace, name: s.target.name, uid: s.target.uid },
    podHash: s.podHash,
    step: s.step,
    requester: s.requester,
    reason: s.reason ?? null,
    requestedAt: s.requestedAt,
    quorum: s.quorum,
    validForMs: s.validForSeconds * 1000,
    decisions: s.decisions ?? [],
    promotedAt: s.promotion?.result === 'accepted' ? s.promotion.time : null,
    promotionResult: s.promotion?.result ?? null,
  };
}

/** The approval as the page shows it: its state evaluated against the live rollout and its policy now. */
export function toDto(object: ReleaseApprovalObject, cluster: string, live: RolloutObject | null, policy: PolicyResult, now: Date): ApprovalDto {
  const facts = factsOf(object, cluster);
  const verdict = evaluate(facts, live, policy.kind === 'policy' ? policy.policy : null, now);
  const s = object.spec;
  const promotion = s.promotion
    ? { time: s.promotion.time, actor: s.promotion.actor, approvedBy: s.promotion.approvedBy ?? [], result: s.promotion.result, message: s.promotion.message ?? null }
    : null;
  return {
    cluster,
    namespace: s.target.namespace,
    name: object.metadata.name,
    rollout: s.target.name,
    workloadId: `${cluster}/Rollout/${s.target.namespace}/${s.target.name}`,
    podHash: s.podHash,
    step: s.step,
    stepLabel: s.stepLabel ?? (s.step === 'bluegreen' ? 'the blue-green switch' : `step ${s.step}`),
    requester: s.requester,
    reason: s.reason ?? null,
    requestedAt: s.requestedAt,
    quorum: s.quorum,
    decisions: (s.decisions ?? []).map((d) => ({ ...d, comment: d.comment ?? null })),
    state: verdict.state,
    approvedBy: verdict.approvedBy,
    why: verdict.why ?? (promotion && promotion.result !== 'accepted' ? `the promotion was not accepted: ${promotion.message ?? promotion.result}` : null),
    promotion,
  };
}

/** The live rollout, read as Aviary; null when it does not exist. */
export async function readRollout(kc: KubeConfig, namespace: string, name: string): Promise<RolloutObject | null> {
  return kubeRequest<RolloutObject>(kc, null, { method: 'GET', path: rolloutPath(namespace, name) }).catch((error: unknown) => {
    if (error instanceof NotFoundError) return null;
    throw error;
  });
}

/** The namespace-wide policy's annotations (empty when the namespace cannot be read). */
export async function namespaceAnnotations(kc: KubeConfig, namespace: string): Promise<Record<string, string>> {
  try {
    const ns = await kubeRequest<KubeObject>(kc, null, { method: 'GET', path: `/api/v1/namespaces/${encodeURIComponent(namespace)}` });
    return ns.metadata.annotations ?? {};
  } catch (error) {
    if (error instanceof NotFoundError || error instanceof ForbiddenError) return {};
    throw error;
  }
}

export async function policyFor(kc: KubeConfig, rollout: RolloutObject): Promise<PolicyResult> {
  return readPolicy(rollout, await namespaceAnnotations(kc, rollout.metadata.namespace ?? ''));
}

export function listApprovals(kc: KubeConfig, namespace: string, rollout?: string): Promise<ReleaseApprovalObject[]> {
  const selector = rollout ? `?labelSelector=${encodeURIComponent(`${ROLLOUT_LABEL}=${rollout}`)}` : '';
  return kubeRequest<{ items: ReleaseApprovalObject[] }>(kc, null, { method: 'GET', path: approvalsPath(namespace) + selector }).then((l) => l.items);
}

export function readApproval(kc: KubeConfig, namespace: string, name: string): Promise<ReleaseApprovalObject> {
  return kubeRequest<ReleaseApprovalObject>(kc, null, { method: 'GET', path: approvalsPath(namespace, name) });
}

/** Replaces the object; its metadata.resourceVersion is the precondition (409 when someone wrote first). */
export function replaceApproval(kc: KubeConfig, object: ReleaseApprovalObject): Promise<ReleaseApprovalObject> {
  return kubeRequest<ReleaseApprovalObject>(kc, null, { method: 'PUT', path: approvalsPath(object.metadata.namespace ?? '', object.metadata.name), body: object });
}

export function createApproval(kc: KubeConfig, object: ReleaseApprovalObject): Promise<ReleaseApprovalObject> {
  return kubeRequest<ReleaseApprovalObject>(kc, null, { method: 'POST', path: approvalsPath(object.metadata.namespace ?? ''), body: object });
}
