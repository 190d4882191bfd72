/**
 * Which action buttons the detail page shows and whether each can be used. One rule everywhere:
 * an action that makes no sense for the workload's current phase (Argo's rules, canAct) is not
 * shown; an action that makes sense but the cluster's RBAC does not allow this user (or whose
 * permission is still being checked or could not be checked) is shown disabled, with the reason
 * in words.
 */
import type { ActionName, Permissions } from '@/lib/contracts/actions';
import type { WorkloadSummary } from '@/lib/contracts/workload';
import { canAct } from '@/lib/rollouts/action-rules';
import { DEPLOYMENT_ACTIONS, ROLLOUT_ACTIONS } from '@/lib/rollouts/actions';

export const ACTION_LABELS: Record<ActionName, string> = {
  promote: 'Promote',
  'promote-full': 'Promote full',
  abort: 'Abort',
  retry: 'Retry',
  pause: 'Pause',
  resume: 'Resume',
  restart: 'Restart',
  undo: 'Roll back…',
};

/** Actions whose mistakes are expensive: the dialog asks the user to type the workload's name. */
export const NEEDS_TYPED_CONFIRMATION: ReadonlySet<ActionName> = new Set<ActionName>(['abort', 'undo']);

export type PermissionState = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; permissions: Permissions };

export interface ButtonState {
  action: ActionName;
  label: string;
  usable: boolean;
  /** Why it cannot be used, in words; null when usable. */
  reason: string | null;
}

export function actionsFor(w: WorkloadSummary): readonly ActionName[] {
  return w.kind === 'Deployment' ? DEPLOYMENT_ACTIONS : ROLLOUT_ACTIONS;
}

export function buttonStates(w: WorkloadSummary, permission: PermissionState): ButtonState[] {
  const states: ButtonState[] = [];
  for (const action of actionsFor(w)) {
    if (!canAct(action, w).allowed) continue;
    const label = ACTION_LABELS[action];
    if (permission.status === 'loading') states.push({ action, label, usable: false, reason: 'Checking what you may do…' });
    else if (permission.status === 'error') states.push({ action, label, usable: false, reason: `Your permissions could not be checked: ${permission.message}` });
    else if (permission.permissions.actions[action] !== true)
      states.push({ action, label, usable: false, reason: `The cluster's RBAC does not let you ${label.replace('…', '').toLowerCase()} this ${w.kind}` });
    else states.push({ action, label, usable: true, reason: null });
  }
  return states;
}
