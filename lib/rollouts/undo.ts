/**
 * Roll back to an earlier revision, as `kubectl argo rollouts undo --to-revision` (Rollouts) and
 * `kubectl rollout undo --to-revision` (Deployments) do: find the ReplicaSet of that revision among
 * the ones the workload controls, and JSON-patch its pod template back into the workload.
 */
import {
  appsPath,
  preconditioned,
  REVISION_ANNOTATION,
  rolloutPath,
  type ActionPlan,
  type JsonPatchOperation,
  type JsonValue,
  type PatchRequest,
} from './actions';
import type { DeploymentObject, KubeObject, ReplicaSetObject, RolloutObject } from './objects';

/** The ReplicaSets the workload controls (upstream: metav1.IsControlledBy). */
function controlledBy(owner: KubeObject, replicaSets: ReplicaSetObject[]): ReplicaSetObject[] {
  return replicaSets.filter((rs) => (rs.metadata.ownerReferences ?? []).some((ref) => ref.controller === true && ref.uid === owner.metadata.uid));
}

function revisionOf(rs: ReplicaSetObject, annotation: string): number {
  const value = rs.metadata.annotations?.[annotation];
  return value === undefined ? 0 : Number(value);
}

/**
 * Upstream's rolloutRevision / deploymentRevision: the ReplicaSet of `toRevision`, or for 0 the
 * second newest revision.
 */
export function replicaSetForRevision(owned: ReplicaSetObject[], annotation: string, toRevision: number): ReplicaSetObject | string {
  if (toRevision > 0) return owned.find((rs) => revisionOf(rs, annotation) === toRevision) ?? `unable to find specified revision ${toRevision} in history`;
  const sorted = [...owned].filter((rs) => Number.isFinite(revisionOf(rs, annotation))).sort((a, b) => revisionOf(b, annotation) - revisionOf(a, annotation));
  return sorted[1] ?? 'no revision found';
}

type Json = JsonValue | undefined;

const isObject = (v: Json): v is { [key: string]: JsonValue } => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * apimachinery's Semantic.DeepDerivative over unstructured JSON: fields left empty on the left
 * are ignored, everything set must match. Argo uses it so defaulted fields do not count.
 */
export function deepDerivative(a: Json, b: Json): boolean {
  if (a === undefined || a === null || a === '') return true;
  if (Array.isArray(a)) {
    if (a.length === 0) return true;
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => deepDerivative(item, b[i]));
  }
  if (isObject(a)) {
    if (Object.keys(a).length === 0) return true;
    return isObject(b) && Object.keys(a).every((key) => key in b && deepDerivative(a[key], b[key]));
  }
  return a === b;
}

/** Semantic.DeepEqual over JSON, where an absent field and an empty one mean the same. */
export function deepEqual(a: Json, b: Json): boolean {
  const empty = (v: Json) => v === undefined || v === null || (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);
  if (empty(a) || empty(b)) return empty(a) && empty(b);
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((key) => deepEqual(a[key], b[key]));
  }
  return a === b;
}

/** The pod template without the hash label its ReplicaSet was given (upstream deletes it too). */
function templateWithoutHash(template: Json, hashLabel: string): { [key: string]: JsonValue } {
  const copy = structuredClone(isObject(template) ? template : {});
  const metadata = copy.metadata;
  if (isObject(metadata) && isObject(metadata.labels)) delete metadata.labels[hashLabel];
  return copy;
}

const asJson = (value: unknown): Json => value as Json;

export interface UndoInput {
  toRevision: number;
  replicaSets: ReplicaSetObject[];
  resourceVersion: string | null;
}

/** `kubectl argo rollouts undo NAME --to-revision=N` (RunUndoRollout). */
export function buildRolloutUndo(rollout: RolloutObject, input: UndoInput): ActionPlan {
  const found = replicaSetForRevision(controlledBy(rollout, input.replicaSets), REVISION_ANNOTATION.Rollout, input.toRevision);
  if (typeof found === 'string') return { outcome: 'invalid', message: found === 'no revision found' ? `no revision found for rollout "${rollout.metadata.name}"` : found };
  const hashLabel = 'rollouts-pod-template-hash';
  const current = templateWithoutHash(asJson(rollout.spec.template), hashLabel);
  const target = templateWithoutHash(asJson(found.spec?.template), hashLabel);
  if (deepDerivative(current, target)) {
    return { outcome: 'nothing-to-do', message: `skipped rollback (current template already matches revision ${input.toRevision})` };
  }
  const operations: JsonPatchOperation[] = [{ op: 'replace', path: '/spec/template', value: target }];
  const namespace = rollout.metadata.namespace ?? '';
  const ref = rollout.spec.workloadRef;
  let path = rolloutPath(namespace, rollout.metadata.name);
  if (ref) {
    // The template lives in the referenced object: upstream patches that one instead.
    if (ref.kind === 'Deployment') path = appsPath('deployments', namespace, ref.name);
    else if (ref.kind === 'ReplicaSet') path = appsPath('replicasets', namespace, ref.name);
    else return { outcome: 'invalid', message: `workload of type ${ref.kind} is not supported` };
  }
  const request: PatchRequest = { method: 'PATCH', path, patchType: 'json', body: operations, resourceVersion: null };
  // With a workloadRef the patched object is not the one the user saw: no precondition to carry.
  return { outcome: 'requests', requests: preconditioned([request], ref ? null : input.resourceVersion) };
}

/** Annotations kubectl keeps from the Deployment rather than copying from the ReplicaSet. */
const DEPLOYMENT_OWN_ANNOTATIONS = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  'deployment.kubernetes.io/revision',
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
]);

/** `kubectl rollout undo deployment/NAME --to-revision=N` (DeploymentRollbacker). */
export function buildDeploymentUndo(deployment: DeploymentObject, input: UndoInput): ActionPlan {
  const found = replicaSetForRevision(controlledBy(deployment, input.replicaSets), REVISION_ANNOTATION.Deployment, input.toRevision);
  if (typeof found === 'string') return { outcome: 'invalid', message: found === 'no revision found' ? 'no rollout history found' : found };
  if (deployment.spec.paused) {
    return { outcome: 'invalid', message: "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again" };
  }
  const hashLabel = 'pod-template-hash';
  const target = templateWithoutHash(asJson(found.spec?.template), hashLabel);
  if (deepEqual(templateWithoutHash(asJson(deployment.spec.template), hashLabel), target)) {
    return { outcome: 'nothing-to-do', message: `skipped rollback (current template already matches revision ${input.toRevision})` };
  }
  const annotations: { [key: string]: JsonValue } = {};
  for (const [key, value] of Object.entries(deployment.metadata.annotations ?? {})) if (DEPLOYMENT_OWN_ANNOTATIONS.has(key)) annotations[key] = value;
  for (const [key, value] of Object.entries(found.metadata.annotations ?? {})) if (!DEPLOYMENT_OWN_ANNOTATIONS.has(key)) annotations[key] = value;
  const operations: JsonPatchOperation[] = [
    { op: 'replace', path: '/spec/template', value: target },
    { op: 'replace', path: '/metadata/annotations', value: annotations },
  ];
  const path = appsPath('deployments', deployment.metadata.namespace ?? '', deployment.metadata.name);
  return { outcome: 'requests', requests: preconditioned([{ method: 'PATCH', path, patchType: 'json', body: operations, resourceVersion: null }], input.resourceVersion) };
}
