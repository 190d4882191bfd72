/**
 * The requests behind every action Aviary offers, built to match what upstream sends byte for byte
 * in meaning: `kubectl argo rollouts` v1.10 (pkg/kubectl-argo-rollouts/cmd/*) for Rollouts and
 * `kubectl rollout` (k8s.io/kubectl polymorphichelpers) for Deployments. Pure: the caller fetches
 * the object (and its ReplicaSets for undo) and sends the requests in order.
 */
import type { DeploymentObject, RolloutObject } from './objects';

export const ROLLOUT_ACTIONS = ['promote', 'promote-full', 'abort', 'retry', 'pause', 'resume', 'restart', 'undo'] as const;
export type RolloutAction = (typeof ROLLOUT_ACTIONS)[number];
export const DEPLOYMENT_ACTIONS = ['pause', 'resume', 'restart', 'undo'] as const satisfies readonly RolloutAction[];
export type DeploymentAction = (typeof DEPLOYMENT_ACTIONS)[number];
export type ActionName = RolloutAction;

/** The patch content types upstream uses, always sent explicitly (client libraries guess otherwise). */
export const PATCH_CONTENT_TYPE = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
} as const;
export type PatchType = keyof typeof PATCH_CONTENT_TYPE;

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export interface JsonPatchOperation {
  op: 'replace' | 'add' | 'remove' | 'test';
  path: string;
  value?: JsonValue;
}

export interface PatchRequest {
  method: 'PATCH';
  /** Full API path, subresource included (`…/rollouts/x/status`). */
  path: string;
  patchType: PatchType;
  body: { [key: string]: JsonValue } | JsonPatchOperation[];
  /**
   * The resourceVersion the user acted on: sent as a precondition so a changed object answers
   * 409. Only the first request of an action carries it — the later ones follow from the state the
   * first was checked against, and the first one itself changes the resourceVersion.
   */
  resourceVersion: string | null;
}

export type ActionPlan =
  | { outcome: 'requests'; requests: PatchRequest[] }
  /** Upstream would send nothing (e.g. undo to the revision already running). */
  | { outcome: 'nothing-to-do'; message: string }
  /** Upstream refuses before sending anything; the message is upstream's reason. */
  | { outcome: 'invalid'; message: string };

export const REVISION_ANNOTATION = { Rollout: 'rollout.argoproj.io/revision', Deployment: 'deployment.kubernetes.io/revision' } as const;

const seg = encodeURIComponent;

export function rolloutPath(namespace: string, name: string, subresource?: 'status'): string {
  return `/apis/argoproj.io/v1alpha1/namespaces/${seg(namespace)}/rollouts/${seg(name)}${subresource ? `/${subresource}` : ''}`;
}

export function appsPath(plural: 'deployments' | 'replicasets', namespace: string, name: string): string {
  return `/apis/apps/v1/namespaces/${seg(namespace)}/${plural}/${seg(name)}`;
}

/** RFC 3339 to the second, as Go's time.RFC3339 prints a UTC time. */
export function rfc3339Seconds(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Makes the first request carry the precondition; see PatchRequest.resourceVersion. */
export function preconditioned(requests: PatchRequest[], resourceVersion: string | null): PatchRequest[] {
  return requests.map((request, i) => ({ ...request, resourceVersion: i === 0 ? resourceVersion : null }));
}

function meta(rollout: RolloutObject): { namespace: string; name: string } {
  return { namespace: rollout.metadata.namespace ?? '', name: rollout.metadata.name };
}

function rolloutStatusPatch(rollout: RolloutObject, status: { [key: string]: JsonValue }): PatchRequest {
  const { namespace, name } = meta(rollout);
  return { method: 'PATCH', path: rolloutPath(namespace, name, 'status'), patchType: 'merge', body: { status }, resourceVersion: null };
}

function rolloutSpecPatch(rollout: RolloutObject, spec: { [key: string]: JsonValue }): PatchRequest {
  const { namespace, name } = meta(rollout);
  return { method: 'PATCH', path: rolloutPath(namespace, name), patchType: 'merge', body: { spec }, resourceVersion: null };
}

/** Argo's GetCurrentCanaryStep index: null without canary steps, 0 when the status has none yet. */
function currentStepIndex(rollout: RolloutObject): number | null {
  const steps = rollout.spec.strategy.canary?.steps ?? [];
  if (steps.length === 0) return null;
  return rollout.status?.currentStepIndex ?? 0;
}

/** The index one step on, never past the end (Argo caps it at the number of steps). */
function nextStepIndex(rollout: RolloutObject): number | null {
  const index = currentStepIndex(rollout);
  if (index === null) return null;
  const total = rollout.spec.strategy.canary?.steps?.length ?? 0;
  return index < total ? index + 1 : index;
}

/**
 * `kubectl argo rollouts promote` (PromoteRollout/getPatches, no skip flags): the status patch
 * first, then the spec patch. v1.10 always has the status subresource, so the v0.9 fallback
 * (a unified patch after a 404 on /status) is not needed.
 */
export function promoteRequests(rollout: RolloutObject): PatchRequest[] {
  const status = rollout.status ?? {};
  const pauseConditions = status.pauseConditions ?? [];
  const requests: PatchRequest[] = [];
  const inconclusive = rollout.spec.strategy.canary !== undefined && status.canary?.currentStepAnalysisRunStatus?.status === 'Inconclusive';
  if (inconclusive && pauseConditions.length > 0 && status.controllerPause) {
    // An inconclusive step analysis is stepped over, or the next pause step would hold it forever.
    const next = nextStepIndex(rollout);
    if (next !== null) requests.push(rolloutStatusPatch(rollout, { pauseConditions: null, controllerPause: false, currentStepIndex: next }));
  } else if (pauseConditions.length > 0) {
    requests.push(rolloutStatusPatch(rollout, { pauseConditions: null }));
  } else if (rollout.spec.strategy.canary !== undefined) {
    // Mid-analysis or mid-experiment: promote means "go to the next step" (never both this and the above).
    const next = nextStepIndex(rollout);
    if (next !== null) requests.push(rolloutStatusPatch(rollout, { pauseConditions: null, currentStepIndex: next }));
  }
  if (rollout.spec.paused) requests.push(rolloutSpecPatch(rollout, { paused: false }));
  return requests;
}

/** `kubectl argo rollouts promote --full`. */
export function promoteFullRequests(rollout: RolloutObject): PatchRequest[] {
  const requests: PatchRequest[] = [];
  if (rollout.status?.currentPodHash !== rollout.status?.stableRS) requests.push(rolloutStatusPatch(rollout, { promoteFull: true }));
  if (rollout.spec.paused) requests.push(rolloutSpecPatch(rollout, { paused: false }));
  return requests;
}

/** `kubectl argo rollouts restart` (RestartRollout): a spec merge patch, restartAt to the second. */
function rolloutRestartRequest(rollout: RolloutObject, now: Date): PatchRequest {
  return rolloutSpecPatch(rollout, { restartAt: rfc3339Seconds(now) });
}

export interface ActionContext {
  /** The resourceVersion the user saw: becomes the precondition of the first request. */
  resourceVersion: string | null;
  /** Restart time (upstream takes the clock at the moment of the command). */
  now: Date;
}

/** The requests of every Rollout action except undo (which needs the ReplicaSets: see undo.ts). */
export function buildRolloutAction(action: Exclude<RolloutAction, 'undo'>, rollout: RolloutObject, context: ActionContext): ActionPlan {
  const requests = ((): PatchRequest[] => {
    switch (action) {
      case 'promote':
        return promoteRequests(rollout);
      case 'promote-full':
        return promoteFullRequests(rollout);
      case 'abort':
        return [rolloutStatusPatch(rollout, { abort: true })];
      case 'retry':
        return [rolloutStatusPatch(rollout, { abort: false })];
      case 'pause':
        return [rolloutSpecPatch(rollout, { paused: true })];
      case 'resume':
        // The CLI has no resume: pause's exact inverse is the unpause half of promote's patches,
        // which leaves step pauses alone (promote would also clear them and move on).
        return [rolloutSpecPatch(rollout, { paused: false })];
      case 'restart':
        return [rolloutRestartRequest(rollout, context.now)];
    }
  })();
  if (requests.length === 0) return { outcome: 'nothing-to-do', message: `rollout '${rollout.metadata.name}' has nothing to ${action === 'promote-full' ? 'fully promote' : action}` };
  return { outcome: 'requests', requests: preconditioned(requests, context.resourceVersion) };
}

function deploymentPatch(deployment: DeploymentObject, body: { [key: string]: JsonValue }): PatchRequest {
  const path = appsPath('deployments', deployment.metadata.namespace ?? '', deployment.metadata.name);
  // kubectl computes a strategic merge patch between the object and its edited copy; for these
  // fields that diff is exactly the body below.
  return { method: 'PATCH', path, patchType: 'strategic', body, resourceVersion: null };
}

/** `kubectl rollout pause|resume|restart deployment/NAME`, with kubectl's own refusals. */
export function buildDeploymentAction(action: Exclude<DeploymentAction, 'undo'>, deployment: DeploymentObject, context: ActionContext): ActionPlan {
  const paused = deployment.spec.paused ?? false;
  const name = deployment.metadata.name;
  let request: PatchRequest;
  switch (action) {
    case 'pause':
      if (paused) return { outcome: 'invalid', message: `deployment.apps/${name} is already paused` };
      request = deploymentPatch(deployment, { spec: { paused: true } });
      break;
    case 'resume':
      if (!paused) return { outcome: 'invalid', message: `deployment.apps/${name} is not paused` };
      // `paused` is omitempty: the diff of true → false is a deletion, i.e. null.
      request = deploymentPatch(deployment, { spec: { paused: null } });
      break;
    case 'restart':
      if (paused) return { outcome: 'invalid', message: "can't restart paused deployment (run rollout resume first)" };
      request = deploymentPatch(deployment, {
        spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': rfc3339Seconds(context.now) } } } },
      });
      break;
  }
  return { outcome: 'requests', requests: preconditioned([request], context.resourceVersion) };
}
