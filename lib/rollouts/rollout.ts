import type { Phase, RevisionRole, RevisionSummary, WorkloadSummary } from '@/lib/contracts/workload';
import { actionStateKey } from './action-state';
import { summariseAnalysisRun } from './analysis';
import { abortedAt } from './aborted';
import { diagnose } from './diagnosis';
import { parseDurationSeconds } from './duration';
import type { AnalysisRunObject, DeploymentObject, KubeObject, ReplicaSetObject, RolloutObject } from './objects';
import { byRevisionDesc, commonFields, ownedBy, revisionSummary, type Related } from './related';
import { canarySteps, currentCanaryStepIndex, desiredCanaryWeight, maxTrafficWeight, summariseSteps } from './steps';

const HASH_LABEL = 'rollouts-pod-template-hash';
const ANALYSIS_RUNS_KEPT = 6;
const PHASES = new Set<string>(['Healthy', 'Progressing', 'Paused', 'Degraded']);

export type RolloutRelated = Related & { analysisRuns: AnalysisRunObject[]; deployments?: DeploymentObject[]; experiments?: KubeObject[] };

const EXPERIMENT_TEMPLATE = 'experiment.argoproj.io/template-name';

/**
 * Argo's GetRolloutPhase (what `kubectl argo rollouts get` prints as Status): the controller's
 * status.phase once it has observed the current spec, "Progressing" while a spec change or an
 * unpause is not yet observed. Aviary splits "Aborted" out of Degraded; the message is Argo's.
 */
export function rolloutPhase(rollout: RolloutObject): { phase: Phase; message: string | null } {
  const status = rollout.status ?? {};
  const observed = Number(status.observedGeneration);
  if (Number.isInteger(observed) && observed < (rollout.metadata.generation ?? 0)) {
    return { phase: 'Progressing', message: 'waiting for rollout spec update to be observed' };
  }
  if (status.controllerPause && (status.pauseConditions ?? []).length === 0) {
    return { phase: 'Progressing', message: 'waiting for rollout to unpause' };
  }
  const workloadGeneration = rollout.metadata.annotations?.['rollout.argoproj.io/workload-generation'];
  if (rollout.spec.workloadRef && workloadGeneration !== undefined && status.workloadObservedGeneration !== undefined && workloadGeneration !== status.workloadObservedGeneration) {
    return { phase: 'Progressing', message: 'waiting for rollout spec update to be observed for the reference workload' };
  }
  const reported = status.phase && PHASES.has(status.phase) ? (status.phase as Phase) : 'Progressing';
  const phase = reported === 'Degraded' && status.abort ? 'Aborted' : reported;
  return { phase, message: status.message || null };
}

/** The CLI's tags for a ReplicaSet: stable, canary / active, preview (GetReplicaSetInfo). */
function rolesFor(rollout: RolloutObject, hash: string): RevisionRole[] {
  const status = rollout.status ?? {};
  const roles: RevisionRole[] = [];
  if (rollout.spec.strategy.canary) {
    if (status.stableRS === hash) roles.push('stable');
    else if (status.currentPodHash === hash) roles.push('canary');
  }
  if (rollout.spec.strategy.blueGreen) {
    if (status.stableRS === hash) roles.push('stable');
    if (status.blueGreen?.activeSelector === hash) roles.push('active');
    else if (status.blueGreen?.previewSelector === hash) roles.push('preview');
  }
  return roles.length > 0 ? roles : ['old'];
}

/** Argo's ActualWeight: the max weight past the last step, else the mesh weight or the canary's pod share. */
function actualCanaryWeight(rollout: RolloutObject, replicaSets: ReplicaSetObject[]): number | null {
  const canary = rollout.spec.strategy.canary;
  if (!canary) return null;
  const max = maxTrafficWeight(rollout);
  if (currentCanaryStepIndex(rollout) === null) return max;
  const available = rollout.status?.availableReplicas ?? 0;
  if (available <= 0) return 0;
  if (!canary.trafficRouting) {
    const hash = rollout.status?.currentPodHash;
    const canaryRs = hash && hash !== rollout.status?.stableRS ? replicaSets.find((rs) => rs.metadata.labels?.[HASH_LABEL] === hash) : undefined;
    return canaryRs ? Math.floor(((canaryRs.status?.availableReplicas ?? 0) * max) / available) : 0;
  }
  return rollout.status?.canary?.weights?.canary?.weight ?? desiredCanaryWeight(rollout);
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

/**
 * The CLI's image list: images of ReplicaSets that have pods (status.replicas > 0), tagged with the
 * roles of every revision running them, plus experiment pods tagged "Σ:<template>".
 */
function runningImages(revisions: RevisionSummary[], replicaSets: ReplicaSetObject[], experimentReplicaSets: ReplicaSetObject[]): WorkloadSummary['runningImages'] {
  const tags = new Map<string, Set<string>>();
  const add = (images: string[], names: string[]) => {
    for (const image of images) {
      const set = tags.get(image) ?? new Set<string>();
      for (const name of names) set.add(name);
      tags.set(image, set);
    }
  };
  const running = (rs: ReplicaSetObject) => (rs.status?.replicas ?? 0) > 0;
  const imagesOf = (rs: ReplicaSetObject) => (rs.spec?.template?.spec?.containers ?? []).map((c) => c.image ?? '');
  for (const rs of replicaSets.filter(running)) {
    const revision = revisions.find((r) => r.podTemplateHash === rs.metadata.labels?.[HASH_LABEL]);
    add(imagesOf(rs), (revision?.roles ?? []).filter((role) => role !== 'old'));
  }
  for (const rs of experimentReplicaSets.filter(running)) {
    const template = rs.metadata.annotations?.[EXPERIMENT_TEMPLATE];
    add(imagesOf(rs), template ? [`Σ:${template}`] : []);
  }
  return [...tags.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([image, set]) => ({ image, tags: [...set].sort() }));
}

export function deriveRollout(cluster: string, rollout: RolloutObject, related: RolloutRelated): WorkloadSummary {
  const { namespace = '', name } = rollout.metadata;
  const status = rollout.status ?? {};
  const strategy = rollout.spec.strategy.blueGreen ? 'blueGreen' : 'canary';
  const replicaSets = related.replicaSets.filter(ownedBy(rollout));
  const revisions = replicaSets
    .map((rs) => {
      const hash = rs.metadata.labels?.[HASH_LABEL] ?? '';
      return revisionSummary(rs, hash, rolesFor(rollout, hash), 'rollout.argoproj.io/revision', related.pods);
    })
    .sort(byRevisionDesc);

  const experiments = (related.experiments ?? []).filter(ownedBy(rollout));
  const experimentReplicaSets = related.replicaSets.filter((rs) => experiments.some((e) => ownedBy(e)(rs)));
  const ownedRuns = related.analysisRuns.filter(ownedBy(rollout));
  const runs = ownedRuns
    .sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''))
    .slice(0, ANALYSIS_RUNS_KEPT)
    .map(summariseAnalysisRun);

  const { phase, message } = rolloutPhase(rollout);
  const aborted = abortedAt(rollout, replicaSets, related.events);
  const steps = summariseSteps(rollout, aborted?.step ?? null);
  const pauses = pausesOf(rollout);
  const replicas = {
    desired: rollout.spec.replicas ?? 1,
    current: status.replicas ?? 0,
    updated: status.updatedReplicas ?? 0,
    ready: status.readyReplicas ?? 0,
    available: status.availableReplicas ?? 0,
  };
  const conditions = status.conditions ?? [];
  const currentStep = steps.length > 0 ? (status.currentStepIndex ?? null) : null;
  const diagnosis = diagnose(
    {
      phase,
      message,
      abortMessage: status.abort ? (conditions.find((c) => c.reason === 'RolloutAborted')?.message ?? status.message ?? null) : null,
      abortedAt: aborted,
      steps,
      currentStep,
      pauses,
      specPaused: rollout.spec.paused ?? false,
      controllerPaused: Boolean(status.controllerPause),
      revisions,
      analysisRuns: runs,
      conditions,
      replicaSetConditions: replicaSets.flatMap((rs) => (rs.status?.conditions ?? []).map((c) => ({ ...c, replicaSet: rs.metadata.name }))),
      replicas,
      events: related.events,
    },
    status.currentPodHash ?? null,
  );

  const ownedNames = new Set([
    `Rollout/${name}`,
    ...replicaSets.map((rs) => `ReplicaSet/${rs.metadata.name}`),
    ...ownedRuns.map((run) => `AnalysisRun/${run.metadata.name}`),
    ...revisions.flatMap((r) => r.pods.map((p) => `Pod/${p.name}`)),
  ]);
  const trafficRouting = rollout.spec.strategy.canary?.trafficRouting;
  const blueGreen = rollout.spec.strategy.blueGreen;
  const ref = rollout.spec.workloadRef;
  const refDeployment = ref?.kind === 'Deployment' ? related.deployments?.find((d) => d.metadata.name === ref.name) : undefined;
  const templateSource = refDeployment ?? rollout;

  return {
    id: `${cluster}/Rollout/${namespace}/${name}`,
    cluster,
    kind: 'Rollout',
    namespace,
    name,
    labels: rollout.metadata.labels ?? {},
    resourceVersion: rollout.metadata.resourceVersion ?? '',
    actionState: actionStateKey(rollout, 'Rollout'),
    phase,
    message,
    strategy,
    trafficRouting: trafficRouting
      ? Object.keys(trafficRouting)
          .filter((k) => k !== 'managedRoutes' && k !== 'maxTrafficWeight')
          .join(', ') || null
      : null,
    step: { current: currentStep, total: steps.length },
    steps,
    desiredWeight: desiredCanaryWeight(rollout),
    actualWeight: actualCanaryWeight(rollout, replicaSets),
    abortedAt: aborted,
    replicas,
    runningImages: runningImages(revisions, replicaSets, experimentReplicaSets),
    revisions,
    pauses,
    analysisRuns: runs,
    ...commonFields('Rollout', { ...rollout, spec: { ...rollout.spec, template: templateSource.spec.template } }, conditions, related, ownedNames),
    services: {
      canary: rollout.spec.strategy.canary?.canaryService ?? blueGreen?.previewService ?? null,
      stable: rollout.spec.strategy.canary?.stableService ?? blueGreen?.activeService ?? null,
    },
    blueGreen: blueGreen
      ? {
          activeService: blueGreen.activeService,
          previewService: blueGreen.previewService ?? null,
          scaleDownDelaySeconds: blueGreen.scaleDownDelaySeconds ?? 30,
          autoPromotionEnabled: blueGreen.autoPromotionEnabled ?? true,
          autoPromotionSeconds: blueGreen.autoPromotionSeconds ?? null,
        }
      : null,
    templateRef: ref ? { kind: ref.kind, name: ref.name, found: refDeployment !== undefined, scaleDown: ref.scaleDown ?? null } : null,
    diagnosis,
  };
}
