import type { EventSummary, PodSummary, RevisionRole, RevisionSummary } from '@/lib/contracts/workload';
import type { AuditRecordObject, Condition, EventObject, HpaObject, KubeObject, PodObject, PodTemplate, ReplicaSetObject } from './objects';
import { auditHistory } from './audit-history';
import { summarisePod } from './pods';

/** The objects around one workload, gathered from the cluster cache. */
export interface Related {
  replicaSets: ReplicaSetObject[];
  pods: PodObject[];
  hpas: HpaObject[];
  events: EventObject[];
  /** Aviary's AuditRecords of the namespace (absent when the audit CRD is not watched). */
  auditRecords?: AuditRecordObject[];
}

export const ownedBy = (owner: KubeObject) => (object: KubeObject) =>
  (object.metadata.ownerReferences ?? []).some((ref) => ref.uid === owner.metadata.uid);

export function podsOf(replicaSet: ReplicaSetObject, pods: PodObject[]): PodSummary[] {
  return pods
    .filter(ownedBy(replicaSet))
    .map(summarisePod)
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function revisionSummary(
  replicaSet: ReplicaSetObject,
  hash: string,
  roles: RevisionRole[],
  revisionAnnotation: string,
  pods: PodObject[],
): RevisionSummary {
  const revision = Number(replicaSet.metadata.annotations?.[revisionAnnotation]);
  return {
    revision: Number.isInteger(revision) ? revision : null,
    podTemplateHash: hash,
    roles,
    images: (replicaSet.spec?.template?.spec?.containers ?? []).map((c) => c.image ?? ''),
    scaledDown: (replicaSet.spec?.replicas ?? 0) === 0,
    scaleDownDeadline: replicaSet.metadata.annotations?.['scale-down-deadline'] || null,
    createdAt: replicaSet.metadata.creationTimestamp ?? null,
    desiredReplicas: replicaSet.spec?.replicas ?? 0,
    readyReplicas: replicaSet.status?.readyReplicas ?? 0,
    availableReplicas: replicaSet.status?.availableReplicas ?? 0,
    pods: podsOf(replicaSet, pods),
  };
}

export function byRevisionDesc(a: RevisionSummary, b: RevisionSummary): number {
  return (b.revision ?? 0) - (a.revision ?? 0) || a.podTemplateHash.localeCompare(b.podTemplateHash);
}

const EVENTS_KEPT = 25;

/** Events about the workload and the ReplicaSets / pods / analysis runs it owns, newest first. */
export function eventsAbout(names: Set<string>, namespace: string, events: EventObject[]): EventSummary[] {
  return events
    .filter((e) => (e.involvedObject.namespace ?? e.metadata.namespace) === namespace && names.has(`${e.involvedObject.kind}/${e.involvedObject.name}`))
    .map((e) => ({
      type: e.type ?? 'Normal',
      reason: e.reason ?? '',
      message: e.message ?? '',
      object: `${e.involvedObject.kind}/${e.involvedObject.name}`,
      count: e.count ?? 1,
      lastSeen: e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp ?? null,
    }))
    .sort((a, b) => (b.lastSeen ?? '').localeCompare(a.lastSeen ?? ''))
    .slice(0, EVENTS_KEPT);
}

export function hpaFor(kind: string, name: string, hpas: HpaObject[]) {
  const hpa = hpas.find((h) => h.spec.scaleTargetRef.kind === kind && h.spec.scaleTargetRef.name === name);
  if (!hpa) return null;
  const metric = hpa.spec.metrics?.find((m) => m.type === 'Resource');
  const current = hpa.status?.currentMetrics?.find((m) => m.type === 'Resource' && m.resource?.name === metric?.resource?.name);
  const inactive = hpa.status?.conditions?.find((c) => (c.type === 'ScalingActive' || c.type === 'AbleToScale') && c.status === 'False');
  return {
    name: hpa.metadata.name,
    minReplicas: hpa.spec.minReplicas ?? 1,
    maxReplicas: hpa.spec.maxReplicas,
    currentReplicas: hpa.status?.currentReplicas ?? null,
    desiredReplicas: hpa.status?.desiredReplicas ?? null,
    target: metric?.resource ? `${metric.resource.name} ${metric.resource.target.averageUtilization ?? '?'} %` : null,
    current:
      current?.resource?.current.averageUtilization !== undefined ? `${current.resource.name} ${current.resource.current.averageUtilization} %` : null,
    problem: inactive ? `${inactive.reason ?? inactive.type}: ${inactive.message ?? ''}`.trim() : null,
  };
}

/** The fields every workload summary fills the same way, Rollout or Deployment. */
export function commonFields(
  kind: 'Rollout' | 'Deployment',
  workload: KubeObject & { spec: { template?: PodTemplate } },
  conditions: Condition[],
  related: Related,
  ownedNames: Set<string>,
) {
  const { name, namespace = '' } = workload.metadata;
  return {
    conditions: conditions.map((c) => ({
      type: c.type,
      status: c.status,
      reason: c.reason ?? null,
      message: c.message ?? null,
      lastTransitionTime: c.lastTransitionTime ?? null,
    })),
    hpa: hpaFor(kind, name, related.hpas),
    events: eventsAbout(ownedNames, namespace, related.events),
    history: auditHistory(kind, name, related.auditRecords ?? []),
    images: (workload.spec.template?.spec?.containers ?? []).map((c) => c.image ?? ''),
    createdAt: workload.metadata.creationTimestamp ?? null,
    metricsProfile: workload.metadata.annotations?.['aviary.dev/metrics-profile'] ?? null,
    // The cluster cache sets this when a derive function throws; one that returns has none.
    derivationError: null,
  };
}
