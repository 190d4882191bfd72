'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { ActionName } from '@/lib/contracts/actions';
import type { WorkloadSummary } from '@/lib/contracts/workload';
import { meQuery, outcomeText, permissionsQuery, postAction, type ActionOutcome } from '@/lib/queries/actions';
import { gatedAction, RequestApproval, useApprovalGate } from '@/components/approvals/request-approval';
import { ActionDialog, type ActionConfirmation } from './action-dialog';
import { buttonStates, type PermissionState } from './button-states';

const outcomeStyle: Record<ActionOutcome['kind'], string> = {
  accepted: 'text-emerald-700 dark:text-emerald-300',
  'refused-rbac': 'text-rose-700 dark:text-rose-300',
  conflict: 'text-amber-700 dark:text-amber-300',
  invalid: 'text-rose-700 dark:text-rose-300',
  'signed-out': 'text-amber-700 dark:text-amber-300',
  failed: 'text-rose-700 dark:text-rose-300',
};

/**
 * The actions this user may take on this workload now. The dialog keeps the workload as it was when
 * opened: what the user confirms is what is sent, resourceVersion included, so a change in between
 * answers 409 instead of acting on something the user never saw.
 */
export function ActionBar({ workload: w }: { workload: WorkloadSummary }) {
  const permissions = useQuery(permissionsQuery(w.cluster, w.kind, w.namespace, w.name));
  const me = useQuery(meQuery());
  const [open, setOpen] = useState<{ action: ActionName; seen: WorkloadSummary } | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<ActionOutcome | null>(null);

  const permission: PermissionState = permissions.data
    ? { status: 'ready', permissions: permissions.data }
    : permissions.isError
      ? { status: 'error', message: permissions.error.message }
      : { status: 'loading' };
  // At a step gated by a release approval, "Request approval" replaces promote and promote-full.
  const gate = useApprovalGate(w);
  const states = buttonStates(w, permission).filter((s) => !gatedAction(gate, s.action));
  const testId = `actions-${w.namespace}-${w.name}`;

  const confirm = async ({ reason, toRevision }: ActionConfirmation) => {
    if (!open) return;
    const { action, seen } = open;
    setBusy(true);
    const result: ActionOutcome = me.data
      ? await postAction(
          { cluster: seen.cluster, kind: seen.kind, namespace: seen.namespace, name: seen.name, action, resourceVersion: seen.resourceVersion, actionState: seen.actionState || undefined, toRevision, reason },
          me.data.csrfToken,
        )
      : { kind: 'signed-out', message: 'not signed in', requestId: null };
    setBusy(false);
    setOutcome(result);
    setOpen(null);
  };

  return (
    <div className="flex flex-col gap-2" data-testid={testId}>
      <RequestApproval workload={w} gate={gate} mayPromote={permissions.data?.actions.promote ?? false} />
      {states.length === 0 ? (
        <p className="text-sm text-slate-500">No action makes sense for this {w.kind} right now.</p>
      ) : (
        <div className="flex flex-wrap gap-2">
          {states.map((s) => (
            <button
              key={s.action}
              type="button"
              data-action={s.action}
              disabled={!s.usable}
              title={s.reason ?? undefined}
              onClick={() => {
                setOutcome(null);
                setOpen({ action: s.action, seen: w });
              }}
              className={`rounded-md border px-3 py-1.5 text-sm font-medium disabled:cursor-not-allowed disabled:opacity-50 ${
                s.action === 'abort' || s.action === 'undo' ? 'border-rose-300 text-rose-800 dark:border-rose-800 dark:text-rose-200' : 'border-slate-300 dark:border-slate-700'
              }`}
            >
              {s.label}
            </button>
          ))}
        </div>
      )}
      {states.some((s) => !s.usable) && (
        <ul className="text-xs text-slate-500" data-testid={`${testId}-why`}>
          {[...new Set(states.filter((s) => !s.usable).map((s) => s.reason))].map((reason) => (
            <li key={reason}>{reason}</li>
          ))}
        </ul>
      )}
      <p role="status" aria-live="polite" data-testid={`${testId}-outcome`} data-outcome={outcome?.kind ?? ''} className={`text-sm ${outcome ? outcomeStyle[outcome.kind] : ''}`}>
        {outcome ? outcomeText(outcome) : ''}
      </p>
      {open && <ActionDialog action={open.action} workload={open.seen} busy={busy} onCancel={() => setOpen(null)} onConfirm={(c) => void confirm(c)} />}
    </div>
  );
}
