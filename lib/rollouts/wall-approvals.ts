/**
 * Which releases the wall shows as waiting for approval (pure). A Rollout paused at a step its
 * approval policy gates waits for approval from the moment it gets there — before anyone has asked
 * ("0/N"); once someone asks, the request's own count shows.
 */
import type { WallApproval } from '@/lib/contracts/kiosk';
import { GATE_ANNOTATION, pendingGate, readPolicy, stepKey } from './approvals-policy';
import { awaitsAction } from './approvals';
import type { RolloutObject } from './objects';

/** An open request as the approvals service evaluates it. */
export interface OpenRequest {
  workloadId: string;
  step: string;
  state: string;
  approvedBy: string[];
  quorum: number;
  promotion?: { result: string } | null;
}

export const rolloutId = (cluster: string, r: RolloutObject) => `${cluster}/Rollout/${r.metadata.namespace ?? ''}/${r.metadata.name}`;

/**
 * Whether the rollout could be waiting at a gate whose policy lives on its Namespace: a release in
 * flight, no gate of its own. Only those need the namespace's annotations.
 */
export function needsNamespacePolicy(r: RolloutObject): boolean {
  const status = r.status;
  if (!status || status.currentPodHash === undefined || status.currentPodHash === status.stableRS) return false;
  return !(GATE_ANNOTATION in (r.metadata.annotations ?? {}));
}

/**
 * Every rollout waiting at a gated step, with the open request's count when one exists (else 0 of
 * the policy's quorum), plus any open request of a rollout whose gate could not be read here. An
 * approved request whose promotion the cluster refused is still open: the wall shows its count, not "0".
 */
export function waitingForApproval(cluster: string, rollouts: RolloutObject[], namespaceAnnotations: (namespace: string) => Record<string, string>, requests: OpenRequest[]): WallApproval[] {
  const pending = new Map(requests.filter(awaitsAction).map((a) => [`${a.workloadId}\n${a.step}`, a] as const));
  const out = new Map<string, WallApproval>();
  for (const r of rollouts) {
    const result = readPolicy(r, namespaceAnnotations(r.metadata.namespace ?? ''));
    if (result.kind !== 'policy') continue;
    const gate = pendingGate(result.policy, r);
    if (gate === null) continue;
    const id = rolloutId(cluster, r);
    const open = pending.get(`${id}\n${stepKey(gate)}`);
    out.set(id, open ? { workloadId: id, approvals: open.approvedBy.length, quorum: open.quorum, requested: true } : { workloadId: id, approvals: 0, quorum: result.policy.quorum, requested: false });
  }
  for (const a of pending.values()) {
    if (a.workloadId.startsWith(`${cluster}/`) && !out.has(a.workloadId)) out.set(a.workloadId, { workloadId: a.workloadId, approvals: a.approvedBy.length, quorum: a.quorum, requested: true });
  }
  return [...out.values()];
}
