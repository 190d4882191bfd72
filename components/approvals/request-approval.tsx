'use client';

import Link from 'next/link';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { ApprovalDto, GateInfo } from '@/lib/contracts/approvals';
import type { WorkloadSummary } from '@/lib/contracts/workload';
import { meQuery } from '@/lib/queries/actions';
import { approvalsQuery, gateQuery, postApprovalRequest, type ApprovalOutcome } from '@/lib/queries/approvals';

/**
 * The rollout's approval gate now (undefined while unknown, and for a Deployment). Whether the gate
 * follows the rollout (its query is keyed by resourceVersion), its open request follows the live
 * approvals list the header's stream keeps: asking, approving and voiding show at once.
 */
export function useApprovalGate(w: WorkloadSummary): GateInfo | undefined {
  const gate = useQuery({ ...gateQuery(w.cluster, w.namespace, w.name, w.resourceVersion), enabled: w.kind === 'Rollout' }).data;
  const live = useQuery({ ...approvalsQuery(), enabled: w.kind === 'Rollout' }).data;
  return gate && live ? withLiveRequest(gate, live.approvals, w) : gate;
}

/** The gate with its open request taken from the live list (pending or approved, same rollout and step). */
export function withLiveRequest(gate: GateInfo, approvals: ApprovalDto[], w: Pick<WorkloadSummary, 'cluster' | 'namespace' | 'name'>): GateInfo {
  if (gate.step === null) return gate;
  const open = approvals.find((a) => a.cluster === w.cluster && a.namespace === w.namespace && a.rollout === w.name && a.step === gate.step && (a.state === 'pending' || a.state === 'approved')) ?? null;
  return { ...gate, open };
}

/** Whether an action button is replaced by the approval flow: promote and promote-full at a gated step. */
export const gatedAction = (gate: GateInfo | undefined, action: string) => gate?.step != null && (action === 'promote' || action === 'promote-full');

/**
 * At a gated step, "Request approval" (with a reason) stands where "Promote" would: the step moves on
 * when the policy's quorum of other people has approved. An open request is shown instead of the button.
 */
export function RequestApproval({ workload: w, gate, mayPromote }: { workload: WorkloadSummary; gate: GateInfo | undefined; mayPromote: boolean }) {
  const me = useQuery(meQuery());
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<ApprovalOutcome | null>(null);
  if (gate?.invalid) {
    return (
      <p className="text-sm text-rose-700 dark:text-rose-300" data-testid="approval-policy-invalid">
        The approval policy is invalid and promotes are not gated by Aviary until it is fixed: {gate.invalid.join('; ')}
      </p>
    );
  }
  if (!gate?.step || !gate.policy) return null;
  const policy = gate.policy;
  const send = async () => {
    if (!me.data) return;
    setBusy(true);
    const result = await postApprovalRequest({ cluster: w.cluster, namespace: w.namespace, name: w.name, resourceVersion: w.resourceVersion, reason: reason.trim() || null }, me.data.csrfToken);
    setBusy(false);
    setOutcome(result);
    if (result.kind === 'accepted') setOpen(false);
  };
  return (
    <div className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-800 dark:bg-amber-950/40" data-testid="approval-gate">
      <p>
        <span className="font-semibold">{gate.stepLabel}</span> waits for release approval: {policy.quorum} of {policy.approvers.join(', ')}, not the person who asks; an approval
        counts for {policy.validFor}.
      </p>
      {gate.open ? (
        <p className="mt-1" data-testid="approval-open">
          Requested by {gate.open.requester.user} — {gate.open.approvedBy.length} of {gate.open.quorum} approvals.{' '}
          <Link href="/approvals" className="underline">
            Open approvals
          </Link>
        </p>
      ) : open ? (
        <form
          className="mt-2 flex flex-wrap items-center gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            void send();
          }}
        >
          <label className="sr-only" htmlFor="approval-reason">
            Reason
          </label>
          <input
            id="approval-reason"
            autoFocus
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}
            placeholder={policy.reasonRequired ? 'Reason (required)' : 'Reason (optional)'}
            maxLength={1000}
            className="min-w-48 flex-1 rounded-md border border-slate-300 bg-white px-2 py-1.5 dark:border-slate-700 dark:bg-slate-900"
          />
          <button type="submit" disabled={busy || (policy.reasonRequired && reason.trim() === '')} className="rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white disabled:opacity-50 dark:bg-slate-100 dark:text-slate-900">
            Send request
          </button>
          <button type="button" onClick={() => setOpen(false)} className="rounded-md border border-slate-300 px-3 py-1.5 dark:border-slate-700">
            Cancel
          </button>
        </form>
      ) : (
        <button
          type="button"
          data-action="request-approval"
          disabled={!mayPromote}
          title={mayPromote ? undefined : 'The cluster’s RBAC does not let you promote this rollout'}
          onClick={() => {
            setOutcome(null);
            setOpen(true);
          }}
          className="mt-2 rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium disabled:cursor-not-allowed disabled:opacity-50 dark:border-slate-700 dark:bg-slate-900"
        >
          Request approval
        </button>
      )}
      {outcome && (
        <p role="status" data-testid="approval-request-outcome" data-outcome={outcome.kind} className={`mt-1 ${outcome.kind === 'accepted' ? 'text-emerald-700 dark:text-emerald-300' : 'text-rose-700 dark:text-rose-300'}`}>
          {outcome.kind === 'accepted' ? outcome.message : `Refused (${outcome.status}): ${outcome.message}`}
        </p>
      )}
    </div>
  );
}
