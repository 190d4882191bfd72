import 'server-only';
import type { KubeConfig } from '@kubernetes/client-node';
import type { ActionRequest } from '@/lib/contracts/actions';
import type { WorkloadSummary } from '@/lib/contracts/workload';
import { canAct, currentRevision, describeAction } from '@/lib/rollouts/action-rules';
import { actionStateKey } from '@/lib/rollouts/action-state';
import { appsPath, buildDeploymentAction, buildRolloutAction, rolloutPath, type ActionPlan } from '@/lib/rollouts/actions';
import type { DeploymentObject, ReplicaSetObject, RolloutObject } from '@/lib/rollouts/objects';
import { buildDeploymentUndo, buildRolloutUndo } from '@/lib/rollouts/undo';
import type { Identity } from '@/lib/server/auth/session';
import type { AuditEntry, AuditResult } from '@/lib/server/audit/entry';
import { recordAction } from '@/lib/server/audit/record';
import { HttpError } from '@/lib/server/http/errors';
import { approvalGateRefusal } from '@/lib/server/approvals/gate';
import { ConflictError, ForbiddenError, InvalidError, kubeRequest, NotFoundError, sendPatches } from '@/lib/server/kube/impersonation';

/** What performing an action needs from the server: Aviary's credentials and its view of the workload. */
export interface ActionWorld {
  kc: KubeConfig;
  /** The summary the page shows (canAct and the description read it). */
  summary: WorkloadSummary;
  /** ReplicaSets of the namespace, for undo (read as Aviary from the shared cache). */
  replicaSets: ReplicaSetObject[];
  now: Date;
  log?: (line: string) => void;
}

type Live = RolloutObject | DeploymentObject;

function livePath(request: ActionRequest): string {
  return request.kind === 'Rollout' ? rolloutPath(request.namespace, request.name) : appsPath('deployments', request.namespace, request.name);
}

function plan(request: ActionRequest, live: Live, world: ActionWorld, resourceVersion: string): ActionPlan {
  const context = { resourceVersion, now: world.now };
  const undo = { toRevision: request.toRevision ?? 0, replicaSets: world.replicaSets, resourceVersion };
  if (request.kind === 'Rollout') {
    const rollout = live as RolloutObject;
    return request.action === 'undo' ? buildRolloutUndo(rollout, undo) : buildRolloutAction(request.action, rollout, context);
  }
  const deployment = live as DeploymentObject;
  if (request.action === 'undo') return buildDeploymentUndo(deployment, undo);
  if (request.action === 'pause' || request.action === 'resume' || request.action === 'restart') return buildDeploymentAction(request.action, deployment, context);
  return { outcome: 'invalid', message: `A Deployment has no ${request.action}` };
}

const thing = (request: ActionRequest) => (request.kind === 'Rollout' ? 'the rollout' : 'the deployment');

/**
 * One action, start to end: read the live object as Aviary, refuse a stale view (409), refuse what
 * makes no sense now (400, Argo's rules), send the requests AS THE PERSON (impersonated, with the
 * resourceVersion precondition: the API server's RBAC decides, 403), and record what happened either
 * way. Answers the description of what was done; the new state reaches the page through the stream.
 */
export async function performAction(identity: Identity, request: ActionRequest, world: ActionWorld): Promise<{ description: string }> {
  const { summary } = world;
  const live = await kubeRequest<Live>(world.kc, null, { method: 'GET', path: livePath(request) }).catch((error: unknown) => {
    if (error instanceof NotFoundError) throw new HttpError(404, 'not-found', `no ${request.kind} ${request.namespace}/${request.name}`);
    throw error;
  });
  const status = (live as RolloutObject).status;
  const audit = (result: AuditResult, message: string | null) => {
    const entry: AuditEntry = {
      user: identity.user,
      groups: identity.groups,
      action: request.action,
      target: { cluster: request.cluster, kind: request.kind, namespace: request.namespace, name: request.name, uid: live.metadata.uid ?? null },
      revision: request.action === 'undo' ? (request.toRevision ?? null) : currentRevision(summary),
      step: request.kind === 'Rollout' ? (status?.currentStepIndex ?? null) : null,
      reason: request.reason?.trim() || null,
      result,
      message,
      description: describeAction(request.action, summary, request.toRevision).slice(0, 1000),
      time: world.now.toISOString(),
    };
    return recordAction(world.kc, entry, world.log);
  };
  const refuse = async (status: number, code: string, result: AuditResult, message: string): Promise<never> => {
    await audit(result, message);
    throw new HttpError(status, code, message);
  };

  // The user's view is current when nothing the decision rests on has changed since: the same
  // resourceVersion, or (when the page sent it) the same action state. The precondition sent with
  // the patch is then the live resourceVersion, so a change from here on still answers 409.
  const sameDecision = request.actionState !== undefined && request.actionState === actionStateKey(live, request.kind);
  if (live.metadata.resourceVersion !== request.resourceVersion && !sameDecision) {
    return refuse(409, 'conflict', 'conflict', `${thing(request)} changed since you looked — look again`);
  }
  const precondition = live.metadata.resourceVersion ?? request.resourceVersion;
  const check = canAct(request.action, summary, request.toRevision);
  if (!check.allowed) return refuse(400, 'invalid-action', 'invalid', check.reason);
  if (request.kind === 'Rollout' && (request.action === 'promote' || request.action === 'promote-full')) {
    // A gated step is passed only through its release approval (the admission policy refuses it anyway).
    const gated = await approvalGateRefusal(world.kc, live as RolloutObject, request.action === 'promote-full');
    if (gated) return refuse(403, 'approval-required', 'invalid', gated);
  }
  const description = describeAction(request.action, summary, request.toRevision);
  const built = plan(request, live, world, precondition);
  if (built.outcome !== 'requests') return refuse(400, 'invalid-action', 'invalid', built.message);

  try {
    await sendPatches(world.kc, identity, built.requests);
  } catch (error) {
    if (error instanceof ForbiddenError) {
      world.log?.(JSON.stringify({ level: 'warn', msg: 'aviary.action.forbidden', user: identity.user, server: error.serverMessage }));
      return refuse(403, 'forbidden', 'refused-rbac', `The cluster’s RBAC does not let ${identity.user} ${request.action} ${request.namespace}/${request.name}`);
    }
    if (error instanceof ConflictError) return refuse(409, 'conflict', 'conflict', `${thing(request)} changed since you looked — look again`);
    if (error instanceof InvalidError || error instanceof NotFoundError) return refuse(400, 'invalid-action', 'invalid', `The API server refused the change (${error.status})`);
    throw error;
  }
  await audit('accepted', null);
  return { description };
}
