import 'server-only';

/** A kind Aviary lists and watches, and where the API server serves it. */
export interface ResourceType {
  kind: string;
  group: string;
  version: string;
  plural: string;
}

export const RESOURCES = {
  rollouts: { kind: 'Rollout', group: 'argoproj.io', version: 'v1alpha1', plural: 'rollouts' },
  analysisRuns: { kind: 'AnalysisRun', group: 'argoproj.io', version: 'v1alpha1', plural: 'analysisruns' },
  experiments: { kind: 'Experiment', group: 'argoproj.io', version: 'v1alpha1', plural: 'experiments' },
  replicaSets: { kind: 'ReplicaSet', group: 'apps', version: 'v1', plural: 'replicasets' },
  deployments: { kind: 'Deployment', group: 'apps', version: 'v1', plural: 'deployments' },
  pods: { kind: 'Pod', group: '', version: 'v1', plural: 'pods' },
  hpas: { kind: 'HorizontalPodAutoscaler', group: 'autoscaling', version: 'v2', plural: 'horizontalpodautoscalers' },
  events: { kind: 'Event', group: '', version: 'v1', plural: 'events' },
  /** Aviary's own audit trail (deploy/crds): each workload's action history, live. */
  auditRecords: { kind: 'AuditRecord', group: 'aviary.dev', version: 'v1alpha1', plural: 'auditrecords' },
  /** Release approvals (deploy/crds): the /approvals page and the header count, live. */
  releaseApprovals: { kind: 'ReleaseApproval', group: 'aviary.dev', version: 'v1alpha1', plural: 'releaseapprovals' },
} as const satisfies Record<string, ResourceType>;

export type ResourceName = keyof typeof RESOURCES;

export function collectionPath(type: ResourceType, namespace?: string): string {
  const base = type.group === '' ? `/api/${type.version}` : `/apis/${type.group}/${type.version}`;
  return namespace ? `${base}/namespaces/${encodeURIComponent(namespace)}/${type.plural}` : `${base}/${type.plural}`;
}
