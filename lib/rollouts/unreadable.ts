import type { WorkloadSummary } from '@/lib/contracts/workload';
import type { KubeObject } from './objects';

/**
 * A workload whose object Aviary could not derive and that has no earlier good summary: it still
 * gets a card, named and marked, rather than silently missing from the dashboard.
 */
export function unreadableWorkload(cluster: string, kind: WorkloadSummary['kind'], object: KubeObject, error: string): WorkloadSummary {
  const { name, namespace = '' } = object.metadata;
  return {
    id: `${cluster}/${kind}/${namespace}/${name}`,
    cluster,
    kind,
    namespace,
    name,
    labels: object.metadata.labels ?? {},
    resourceVersion: object.metadata.resourceVersion ?? '',
    // Nothing to decide on: an action on it needs the exact resourceVersion.
    actionState: '',
    phase: 'Degraded',
    message: null,
    strategy: kind === 'Rollout' ? 'canary' : 'rollingUpdate',
    trafficRouting: null,
    step: { current: null, total: 0 },
    steps: [],
    desiredWeight: null,
    actualWeight: null,
    abortedAt: null,
    replicas: { desired: 0, current: 0, updated: 0, ready: 0, available: 0 },
    runningImages: [],
    revisions: [],
    pauses: [],
    analysisRuns: [],
    conditions: [],
    hpa: null,
    events: [],
    weightEvents: [],
    history: [],
    diagnosis: {
      headline: `Aviary cannot read this ${kind}: ${error}`,
      reasons: [{ code: 'unreadable', severity: 'critical', summary: `Aviary cannot read this ${kind}: ${error}`, time: null, evidence: ['Check the object with kubectl; the rest of the dashboard is unaffected'] }],
    },
    images: [],
    createdAt: object.metadata.creationTimestamp ?? null,
    services: { canary: null, stable: null },
    blueGreen: null,
    templateRef: null,
    metricsProfile: null,
    derivationError: error,
  };
}
