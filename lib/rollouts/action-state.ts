import type { DeploymentObject, RolloutObject } from './objects';

/**
 * What an action's decision rests on, as one opaque string: the spec (its generation) and the
 * status fields that say where a release is (revision, step, pauses, abort). Everything else —
 * ready counts, condition timestamps, an HPA's scaling — changes the resourceVersion many times a
 * minute while a Deployment rolls out or a canary's pods come up, without changing what "promote"
 * or "roll back" would do.
 *
 * Every action Aviary sends changes this key itself (a spec patch bumps the generation; promote,
 * abort, retry and promote-full change pauseConditions / controllerPause / abort / promoteFull), so
 * two people sending the same action on the same key still advance exactly one step: the second
 * finds a different key and gets 409.
 */
export function actionStateKey(object: RolloutObject | DeploymentObject, kind: 'Rollout' | 'Deployment'): string {
  const generation = object.metadata.generation ?? 0;
  if (kind === 'Deployment') {
    const revision = object.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? '';
    return `g${generation}:r${revision}`;
  }
  const status = (object as RolloutObject).status;
  const pauses = (status?.pauseConditions ?? []).map((p) => `${p.reason}@${p.startTime}`).join(',');
  return [
    `g${generation}`,
    `h${status?.currentPodHash ?? ''}`,
    `s${status?.stableRS ?? ''}`,
    `i${status?.currentStepIndex ?? ''}`,
    `p${pauses}`,
    `c${status?.controllerPause ? 1 : 0}`,
    `a${status?.abort ? 1 : 0}`,
    `f${status?.promoteFull ? 1 : 0}`,
    `b${status?.blueGreen?.activeSelector ?? ''}/${status?.blueGreen?.previewSelector ?? ''}`,
  ].join(':');
}
