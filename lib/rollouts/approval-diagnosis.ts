import type { GateInfo } from '@/lib/contracts/approvals';
import type { Diagnosis } from '@/lib/contracts/workload';
import { PROMOTION_GRACE_MS } from '@/lib/rollouts/approvals';

/**
 * At a step an approval policy gates, "waiting for a manual promotion" is not the whole truth: the
 * promote goes through release approval, so the diagnosis says how many approvals there are of how
 * many, who asked (or that nobody has yet), and the policy behind it. Anything else is unchanged.
 */
export function withApprovalGate(diagnosis: Diagnosis | null, gate: GateInfo | undefined): Diagnosis | null {
  if (!diagnosis || !gate?.step || !gate.policy) return diagnosis;
  const policy = gate.policy;
  const open = gate.open;
  const at = gate.stepLabel ?? `step ${gate.step}`;
  const refused = open?.state === 'approved' && open.promotion !== null && open.promotion.result !== 'accepted' ? open.promotion : null;
  const unsent = open?.state === 'approved' && open.promotion === null;
  const summary = refused
    ? `Approved at ${at} (${open?.approvedBy.length} of ${open?.quorum}), but the cluster did not accept the promotion: ${refused.message ?? refused.result} — the requester or an approver can send it again from Approvals`
    : unsent
      ? `Approved at ${at} (${open?.approvedBy.length} of ${open?.quorum}); no promotion result is recorded yet — if the rollout has not moved ${PROMOTION_GRACE_MS / 1000} s after the quorum, the requester or an approver can send it again from Approvals`
      : `Waiting for release approval at ${at}: ${open ? `${open.approvedBy.length} of ${open.quorum} approvals, requested by ${open.requester.user}` : `0 of ${policy.quorum} approvals, nobody has asked yet`}`;
  const evidence = `approval policy on the ${policy.source === 'rollout' ? 'Rollout' : 'Namespace'}: ${policy.quorum} of ${policy.approvers.join(', ')}, not the person who asks`;
  let changed = false;
  const reasons = diagnosis.reasons.map((r) => {
    if (r.code !== 'manual-promotion') return r;
    changed = true;
    return { ...r, summary, evidence: [evidence, ...r.evidence] };
  });
  if (!changed) return diagnosis;
  return { headline: reasons[0].summary, reasons };
}
