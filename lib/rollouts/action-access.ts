/**
 * What the cluster's RBAC must allow for each action: the verb and resource of every request the
 * action sends (lib/rollouts/actions.ts, undo.ts). The UI enables a button only when all of them
 * are allowed; the API server still decides each request itself.
 */
import type { ActionName } from './actions';

export interface AccessNeed {
  /** `promote` and `restart` are custom RBAC verbs, enforced by deploy/admission/rollout-verbs.yaml. */
  verb: 'get' | 'list' | 'patch' | 'promote' | 'restart';
  group: string;
  resource: string;
  subresource?: 'status';
}

const rolloutsSpec: AccessNeed = { verb: 'patch', group: 'argoproj.io', resource: 'rollouts' };
const rolloutsStatus: AccessNeed = { verb: 'patch', group: 'argoproj.io', resource: 'rollouts', subresource: 'status' };
// The release decisions have verbs of their own (patch alone would also let on call promote).
const promoteVerb: AccessNeed = { verb: 'promote', group: 'argoproj.io', resource: 'rollouts' };
const restartVerb: AccessNeed = { verb: 'restart', group: 'argoproj.io', resource: 'rollouts' };
const deployments: AccessNeed = { verb: 'patch', group: 'apps', resource: 'deployments' };
// Undo copies the pod template of the chosen revision's ReplicaSet: the person must be allowed to read it.
const replicaSets: AccessNeed = { verb: 'get', group: 'apps', resource: 'replicasets' };

const ROLLOUT: Record<ActionName, AccessNeed[]> = {
  // Promote clears the pause through /status and unpauses spec.paused when set: both may be sent.
  promote: [rolloutsStatus, rolloutsSpec, promoteVerb],
  'promote-full': [rolloutsStatus, rolloutsSpec, promoteVerb],
  abort: [rolloutsStatus],
  retry: [rolloutsStatus],
  pause: [rolloutsSpec],
  resume: [rolloutsSpec],
  restart: [rolloutsSpec, restartVerb],
  undo: [replicaSets, rolloutsSpec],
};

const DEPLOYMENT: Partial<Record<ActionName, AccessNeed[]>> = {
  pause: [deployments],
  resume: [deployments],
  restart: [deployments],
  undo: [replicaSets, deployments],
};

/** The permissions `action` needs on a workload of `kind`; null when the kind has no such action. */
export function accessNeeded(kind: 'Rollout' | 'Deployment', action: ActionName): AccessNeed[] | null {
  return (kind === 'Rollout' ? ROLLOUT[action] : DEPLOYMENT[action]) ?? null;
}

export function accessNeedKey(need: AccessNeed): string {
  return `${need.verb} ${need.resource}${need.subresource ? `/${need.subresource}` : ''}.${need.group || 'core'}`;
}
