import type { Phase, RevisionRole, RevisionSummary, WorkloadSummary } from '@/lib/contracts/workload';
import { summariseAnalysisRun } from './analysis';
import { diagnose } from './diagnosis';
import { parseDurationSeconds } from './duration';
import type { AnalysisRunObject, RolloutObject } from './objects';
import { byRevisionDesc, commonFields, ownedBy, revisionSummary, type Related } from './related';
import { canarySteps, desiredCanaryWeight, isFullyPromoted, summariseSteps } from './steps';

const HASH_LABEL = 'rollouts-pod-template-hash';
const ANALYSIS_RUNS_KEPT = 6;
const PHASES = new Set<Phase>(['Healthy', 'Progressing', 'Paused', 'Degraded']);

/**
 * Argo's vocabulary: the controller's own status.phase when it has observed the current spec,
 * with "Aborted" split out of Degraded (the controller reports an abort as Degraded).
 */
export function rolloutPhase(rollout: RolloutObject): Phase {
  const status = rollout.status;
  if (status?.abort) return 'Aborted';
  const observed = status?.observedGeneration !== undefined && String(rollout.metadata.generation) === String(status.observedGeneration);
  if (observed && status?.phase && PHASES.has(status.phase as Phase)) return status.phase as Phase;
  if (rollout.spec.paused || (status?.pauseConditions ?? []).length > 0) return 'Paused';
  return 'Progressing';
}

function rolesFor(rollout: RolloutObject, hash: string): RevisionRole[] {
  const status = rollout.status ?? {};
  const roles: RevisionRole[] = [];
  if (rollout.spec.strategy.blueGreen) {
    if (status.blueGreen?.activeSelector === hash) roles.push('active');
    if (status.blueGreen?.previewSelector === hash && status.blueGreen?.activeSelector !== hash) roles.push('preview');
    if (status.stableRS === hash && !roles.includes('active')) roles.push('stable');
  } else {
    if (status.stableRS === hash) roles.push('stable');
    if (status.currentPodHash === hash && status.stableRS !== hash) roles.push('canary');
  }
  return roles.length > 0 ? roles : ['old'];
}

/** Share of traffic the canary actually gets: what the controller set on the mesh, or the pod share without a mesh. */
function actualCanaryWeight(rollout: RolloutObject, revisions: RevisionSummary[]): number | null {
  const canary = rollout.spec.strategy.canary;
  if (!canary) return null;
  if (canary.trafficRouting) return rollout.status?.canary?.weights?.canary?.weight ?? (isFullyPromoted(rollout) ? 0 : null);
  const available = revisions.reduce((sum, r) => sum + r.availableReplicas, 0);
  if (available === 0) return null;
  const canaryAvailable = revisions.filter((r) => r.roles.includes('canary')).reduce((sum, r) => sum + r.availableReplicas, 0);
  return Math.round((canaryAvailable / available) * 1000) / 10;
}

function pausesOf(rollout: RolloutObject) {
  const steps = canarySteps(rollout);
  const current = rollout.status?.currentStepIndex;
  const autoPromotionSeconds = rollout.spec.strategy.blueGreen?.autoPromotionSeconds;
  return (rollout.status?.pauseConditions ?? []).map((pause) => {
    let seconds: number | null = null;
    if (pause.reason === 'CanaryPauseStep' && current !== undefined) seconds = parseDurationSeconds(steps[current]?.pause?.duration);
    if (pause.reason === 'BlueGreenPause' && autoPromotionSeconds) seconds = autoPromotionSeconds;
    const endsAt = seconds === null ? null : new Date(Date.parse(pause.startTime) + seconds * 1000).toISOString();
    return { reason: pause.reason, startedAt: pause.startTime, endsAt };
  });
}

export function deriveRollout(cluster: string, rollout: RolloutObject, related: Related & { analysisRuns: AnalysisRunObject[] }): WorkloadSummary {
  const { namespace = '', name } = rollout.metadata;
  const status = rollout.status ?? {};
  const strategy = rollout.spec.strategy.blueGreen ? 'blueGreen' : 'canary';
  const replicaSets = related.replicaSets.filter(ownedBy(rollout));
  const revisions = replicaSets
    .map((rs) => {
      const hash = rs.metadata.labels?.[HASH_LABEL] ?? '';
      return revisionSummary(rs, hash, rolesFor(rollout, hash), 'rollout.argoproj.io/revision', related.pods);
    })
    .filter((r) => !r.roles.includes('old') || r.desiredReplicas > 0 || r.pods.length > 0)
    .sort(byRevisionDesc);

  const runs = related.analysisRuns
    .filter(ownedBy(rollout))
    .sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''))
    .slice(0, ANALYSIS_RUNS_KEPT)
    .map(summariseAnalysisRun);

  const steps = summariseSteps(rollout);
  const phase = rolloutPhase(rollout);
  const pauses = pausesOf(rollout);
  const replicas = {
    desired: rollout.spec.replicas ?? 1,
    updated: status.updatedReplicas ?? 0,
    ready: status.readyReplicas ?? 0,
    available: status.availableReplicas ?? 0,
  };
  const conditions = status.conditions ?? [];
  const currentStep = steps.length > 0 ? (status.currentStepIndex ?? 0) : null;
  const diagnosis = diagnose(
    {
      phase,
      message: status.message ?? null,
      abortMessage: status.abort ? (conditions.find((c) => c.reason === 'RolloutAborted')?.message ?? status.message ?? null) : null,
      steps,
      currentStep,
      pauses,
      specPaused: rollout.spec.paused ?? false,
      revisions,
      analysisRuns: runs,
      conditions,
      replicas,
    },
    status.currentPodHash ?? null,
  );

  const ownedNames = new Set([
    `Rollout/${name}`,
    ...replicaSets.map((rs) => `ReplicaSet/${rs.metadata.name}`),
    ...related.analysisRuns.filter(ownedBy(rollout)).map((run) => `AnalysisRun/${run.metadata.name}`),
    ...revisions.flatMap((r) => r.pods.map((p) => `Pod/${p.name}`)),
  ]);
  const trafficRouting = rollout.spec.strategy.canary?.trafficRouting;

  return {
    id: `${cluster}/Rollout/${namespace}/${name}`,
    cluster,
    kind: 'Rollout',
    namespace,
    name,
    labels: rollout.metadata.labels ?? {},
    phase,
    message: status.message ?? null,
    strategy,
    trafficRouting: trafficRouting ? Object.keys(trafficRouting).filter((k) => k !== 'managedRoutes').join(', ') || null : null,
    step: { current: currentStep, total: steps.length },
    steps,
    desiredWeight: desiredCanaryWeight(rollout),
    actualWeight: actualCanaryWeight(rollout, revisions),
    replicas,
    revisions,
    pauses,
    analysisRuns: runs,
    ...commonFields('Rollout', rollout, conditions, related, ownedNames),
    services: {
      canary: rollout.spec.strategy.canary?.canaryService ?? rollout.spec.strategy.blueGreen?.previewService ?? null,
      stable: rollout.spec.strategy.canary?.stableService ?? rollout.spec.strategy.blueGreen?.activeService ?? null,
    },
    diagnosis,
  };
}
