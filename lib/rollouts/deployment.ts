import type { Phase, WorkloadSummary } from '@/lib/contracts/workload';
import { actionStateKey } from './action-state';
import { diagnose } from './diagnosis';
import type { DeploymentObject } from './objects';
import { byRevisionDesc, commonFields, ownedBy, revisionSummary, type Related } from './related';

const REVISION = 'deployment.kubernetes.io/revision';

/** Deployment phase in the Rollout vocabulary, by the rules `kubectl rollout status` uses. */
export function deploymentPhase(deployment: DeploymentObject): Phase {
  const status = deployment.status ?? {};
  const desired = deployment.spec.replicas ?? 1;
  const progressing = status.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') return 'Degraded';
  if (deployment.spec.paused) return 'Paused';
  if ((status.observedGeneration ?? 0) < (deployment.metadata.generation ?? 0)) return 'Progressing';
  if ((status.updatedReplicas ?? 0) < desired) return 'Progressing';
  if ((status.replicas ?? 0) > (status.updatedReplicas ?? 0)) return 'Progressing';
  if ((status.availableReplicas ?? 0) < (status.updatedReplicas ?? 0)) return 'Progressing';
  return 'Healthy';
}

export function deriveDeployment(cluster: string, deployment: DeploymentObject, related: Related): WorkloadSummary {
  const { namespace = '', name } = deployment.metadata;
  const status = deployment.status ?? {};
  const replicaSets = related.replicaSets.filter(ownedBy(deployment));
  const newest = Math.max(0, ...replicaSets.map((rs) => Number(rs.metadata.annotations?.[REVISION] ?? 0)));
  const revisions = replicaSets
    .map((rs) => {
      const isNewest = Number(rs.metadata.annotations?.[REVISION] ?? 0) === newest;
      return revisionSummary(rs, rs.metadata.labels?.['pod-template-hash'] ?? '', [isNewest ? 'stable' : 'old'], REVISION, related.pods);
    })
    .sort(byRevisionDesc);
  const phase = deploymentPhase(deployment);
  const replicas = {
    desired: deployment.spec.replicas ?? 1,
    current: status.replicas ?? 0,
    updated: status.updatedReplicas ?? 0,
    ready: status.readyReplicas ?? 0,
    available: status.availableReplicas ?? 0,
  };
  const conditions = status.conditions ?? [];
  const progressing = conditions.find((c) => c.type === 'Progressing');
  const message = phase === 'Healthy' ? null : (progressing?.message ?? null);
  const diagnosis = diagnose(
    {
      phase,
      message,
      abortMessage: null,
      abortedAt: null,
      steps: [],
      currentStep: null,
      pauses: [],
      specPaused: deployment.spec.paused ?? false,
      controllerPaused: false,
      revisions,
      analysisRuns: [],
      conditions,
      replicaSetConditions: replicaSets.flatMap((rs) => (rs.status?.conditions ?? []).map((c) => ({ ...c, replicaSet: rs.metadata.name }))),
      replicas,
      events: related.events,
    },
    null,
  );
  const ownedNames = new Set([
    `Deployment/${name}`,
    ...replicaSets.map((rs) => `ReplicaSet/${rs.metadata.name}`),
    ...revisions.flatMap((r) => r.pods.map((p) => `Pod/${p.name}`)),
  ]);
  return {
    id: `${cluster}/Deployment/${namespace}/${name}`,
    cluster,
    kind: 'Deployment',
    namespace,
    name,
    labels: deployment.metadata.labels ?? {},
    resourceVersion: deployment.metadata.resourceVersion ?? '',
    actionState: actionStateKey(deployment, 'Deployment'),
    phase,
    message,
    strategy: deployment.spec.strategy?.type === 'Recreate' ? 'recreate' : 'rollingUpdate',
    trafficRouting: null,
    step: { current: null, total: 0 },
    steps: [],
    desiredWeight: null,
    actualWeight: null,
    abortedAt: null,
    replicas,
    runningImages: revisions
      .filter((r) => !r.scaledDown || r.pods.length > 0)
      .flatMap((r) => r.images.map((image) => ({ image, tags: r.roles.filter((role) => role !== 'old') })))
      .filter((entry, i, all) => all.findIndex((e) => e.image === entry.image) === i),
    revisions,
    pauses: [],
    analysisRuns: [],
    ...commonFields('Deployment', deployment, conditions, related, ownedNames),
    services: { canary: null, stable: null },
    blueGreen: null,
    templateRef: null,
    diagnosis,
  };
}
