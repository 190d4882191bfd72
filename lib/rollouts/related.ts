import type { EventSummary, PodSummary, RevisionRole, RevisionSummary, WeightEvent } from '@/lib/contracts/workload';
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

const WEIGHT_EVENTS_KEPT = 100;
const COMBINED = '(combined from similar events): ';

/**
 * A controller event's message without the prefix client-go's event recorder adds when it merges
 * more than 10 events of the same reason about one object within 10 minutes (a fast release's
 * RolloutStepCompleted events, for one): the message is then the newest of them.
 */
export function controllerMessage(message: string | undefined): string {
  const text = message ?? '';
  return text.startsWith(COMBINED) ? text.slice(COMBINED.length) : text;
}

/**
 * The Rollout's own events that set or mark the canary weight, from every event the cache holds
 * for it (argo-rollouts v1.10.1 messages: "Traffic weight updated from %d to %d", "Rollout step
 * %d/%d completed (setWeight: %d)", "Switched selector for service '%s' from '%s' to '%s'", and
 * RolloutAborted, after which the desired weight is 0). Oldest first.
 */
export function weightEventsOf(workload: KubeObject, events: EventObject[]): WeightEvent[] {
  const { name, namespace, uid } = workload.metadata;
  const out: WeightEvent[] = [];
  for (const e of events) {
    const o = e.involvedObject;
    if (o.kind !== 'Rollout' || o.name !== name || (o.namespace ?? e.metadata.namespace) !== namespace) continue;
    if (o.uid !== undefined && uid !== undefined && o.uid !== uid) continue;
    const at = e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp ?? null;
    if (at === null) continue;
    const message = controllerMessage(e.message);
    if (e.reason === 'TrafficWeightUpdated') {
      const m = /from (\d+) to (\d+)/.exec(message);
      if (m) out.push({ reason: e.reason, message, at, from: Number(m[1]), weight: Number(m[2]) });
    } else if (e.reason === 'RolloutStepCompleted') {
      const m = /\(setWeight: (\d+)\)/.exec(message);
      out.push({ reason: e.reason, message, at, from: null, weight: m ? Number(m[1]) : null });
    } else if (e.reason === 'RolloutAborted') {
      out.push({ reason: e.reason, message, at, from: null, weight: 0 });
    } else if (e.reason === 'SwitchService') {
      out.push({ reason: e.reason, message, at, from: null, weight: null });
    }
  }
  return out.sort((a, b) => Date.parse(a.at) - Date.parse(b.at)).slice(-WEIGHT_EVENTS_KEPT);
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
    weightEvents: kind === 'Rollout' ? weightEventsOf(workload, related.events) : [],
    history: auditHistory(kind, name, related.auditRecords ?? []),
    images: (workload.spec.template?.spec?.containers ?? []).map((c) => c.image ?? ''),
    createdAt: workload.metadata.creationTimestamp ?? null,
    metricsProfile: workload.metadata.annotations?.['aviary.dev/metrics-profile'] ?? null,
    // The cluster cache sets this when a derive function throws; one that returns has none.
    derivationError: null,
  };
}
