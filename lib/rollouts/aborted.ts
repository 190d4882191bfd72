import type { WorkloadSummary } from '@/lib/contracts/workload';
import type { EventObject, ReplicaSetObject, RolloutObject } from './objects';
import { canarySteps, setWeightAt } from './steps';

const STEP_COMPLETED = /^Rollout step (\d+)\/(\d+) completed/;
const HASH_LABEL = 'rollouts-pod-template-hash';

function eventTime(event: EventObject): string | null {
  return event.lastTimestamp ?? event.eventTime ?? event.firstTimestamp ?? event.metadata.creationTimestamp ?? null;
}

/**
 * Where an aborted canary had got to. Argo resets status.currentStepIndex to 0 on abort, so the
 * step is read back from the controller's own "Rollout step N/M completed" events between the
 * aborted revision's creation and the abort. Events expire (the API server keeps them an hour by
 * default): with none left for that window the answer is "unknown", never a guess.
 */
export function abortedAt(rollout: RolloutObject, replicaSets: ReplicaSetObject[], events: EventObject[]): WorkloadSummary['abortedAt'] {
  const status = rollout.status;
  if (!status?.abort) return null;
  const steps = canarySteps(rollout);
  const at = status.abortedAt ?? null;
  const total = steps.length;
  const unknown = { known: false, step: null, total, weight: null, at };
  if (!rollout.spec.strategy.canary || total === 0) return { ...unknown, known: true, weight: 0 };

  const canaryRs = replicaSets.find((rs) => rs.metadata.labels?.[HASH_LABEL] === status.currentPodHash);
  const from = canaryRs?.metadata.creationTimestamp;
  if (!from) return unknown;
  const to = at ?? new Date(8.64e15).toISOString();

  const about = events.filter(
    (e) =>
      e.involvedObject.kind === 'Rollout' &&
      e.involvedObject.name === rollout.metadata.name &&
      (e.involvedObject.uid === undefined || e.involvedObject.uid === rollout.metadata.uid),
  );
  const inWindow = about.filter((e) => {
    const time = eventTime(e);
    return time !== null && time >= from && time <= to;
  });
  // Without any controller event from this release the window is not covered: unknown.
  if (inWindow.length === 0) return unknown;
  let reached = 0;
  for (const event of inWindow) {
    const match = STEP_COMPLETED.exec(event.message ?? '');
    if (match && Number(match[2]) === total) reached = Math.max(reached, Number(match[1]));
  }
  const step = Math.min(reached, total - 1);
  return { known: true, step, total, weight: setWeightAt(steps, step), at };
}
