import type { WorkloadSummary } from '@/lib/contracts/workload';
import type { EventObject, ReplicaSetObject, RolloutObject } from './objects';
import { controllerMessage } from './related';
import { canarySteps, setWeightAt } from './steps';

const STEP_COMPLETED = /^Rollout step (\d+)\/(\d+) completed/;
const STEP_COMPLETED_REASON = 'RolloutStepCompleted';
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
  // Only the controller's own step-completed events of THIS release say how far it got (Argo v1.10.1,
  // rollout/canary.go: reason RolloutStepCompleted, "Rollout step %d/%d completed (%s)" where the
  // first number is the step index reached). Any other event in the window — the RolloutAborted event
  // itself is always there — says nothing about the step, so without one of these the answer is unknown.
  let reached: number | null = null;
  for (const event of about) {
    if (event.reason !== undefined && event.reason !== STEP_COMPLETED_REASON) continue;
    const time = eventTime(event);
    if (time === null || time < from || time > to) continue;
    const match = STEP_COMPLETED.exec(controllerMessage(event.message));
    if (!match || Number(match[2]) !== total) continue;
    reached = Math.max(reached ?? 0, Number(match[1]));
  }
  if (reached === null) return unknown;
  const step = Math.min(reached, total - 1);
  return { known: true, step, total, weight: setWeightAt(steps, step), at };
}
