import { describe, expect, it } from 'vitest';
import { abortedAt } from './aborted';
import type { EventObject, ReplicaSetObject, RolloutObject } from './objects';

const steps = [{ setWeight: 20 }, { pause: {} }, { setWeight: 50 }, { pause: { duration: '30s' } }, { setWeight: 80 }];
const rollout: RolloutObject = {
  metadata: { name: 'web', namespace: 'shop', uid: 'u-1' },
  spec: { strategy: { canary: { steps } } },
  status: { abort: true, abortedAt: '2026-11-22T10:10:00Z', currentPodHash: 'new', stableRS: 'old', currentStepIndex: 0 },
};
const replicaSets: ReplicaSetObject[] = [
  { metadata: { name: 'web-old', namespace: 'shop', labels: { 'rollouts-pod-template-hash': 'old' }, creationTimestamp: '2026-11-22T09:00:00Z' } },
  { metadata: { name: 'web-new', namespace: 'shop', labels: { 'rollouts-pod-template-hash': 'new' }, creationTimestamp: '2026-11-22T10:00:00Z' } },
];

let n = 0;
function event(reason: string, message: string, at: string, name = 'web'): EventObject {
  n += 1;
  return {
    metadata: { name: `${name}.${n}`, namespace: 'shop' },
    involvedObject: { kind: 'Rollout', name, namespace: 'shop', uid: name === 'web' ? 'u-1' : 'u-2' },
    reason,
    message,
    type: reason === 'RolloutAborted' ? 'Warning' : 'Normal',
    lastTimestamp: at,
  };
}

const abortEvent = event('RolloutAborted', 'Rollout aborted update to revision 2: Background analysis phase error/failed', '2026-11-22T10:10:00Z');
// The message Argo v1.10.1 emits (rollout/canary.go, conditions.RolloutStepCompletedMessage): the first number is the index reached.
const completed = (index: number, at: string, total = steps.length) => event('RolloutStepCompleted', `Rollout step ${index}/${total} completed (x)`, at);

describe('where an aborted canary had got to', () => {
  it('the abort event alone says nothing about the step: unknown, never "step 0"', () => {
    expect(abortedAt(rollout, replicaSets, [abortEvent])).toEqual({ known: false, step: null, total: 5, weight: null, at: '2026-11-22T10:10:00Z' });
  });

  it('other controller events of this release (scaling, traffic, analysis) do not make it known either', () => {
    const others = [
      event('NewReplicaSetCreated', 'Created ReplicaSet web-new (revision 2)', '2026-11-22T10:00:01Z'),
      event('TrafficWeightUpdated', 'Traffic weight updated from 0 to 20', '2026-11-22T10:00:02Z'),
      event('AnalysisRunFailed', "Background Analysis Run 'web-new-2' Status New: 'Failed'", '2026-11-22T10:10:00Z'),
      abortEvent,
    ];
    expect(abortedAt(rollout, replicaSets, others)?.known).toBe(false);
  });

  it('the highest step-completed event of this release gives the step and its weight', () => {
    const events = [completed(1, '2026-11-22T10:00:02Z'), completed(2, '2026-11-22T10:03:00Z'), completed(3, '2026-11-22T10:03:01Z'), abortEvent];
    expect(abortedAt(rollout, replicaSets, events)).toEqual({ known: true, step: 3, total: 5, weight: 50, at: '2026-11-22T10:10:00Z' });
  });

  it('step events of an earlier release (before this revision existed), of another rollout or of a different step count are not this release', () => {
    const events = [
      completed(4, '2026-11-22T09:30:00Z'),
      event('RolloutStepCompleted', 'Rollout step 4/5 completed (pause: 30s)', '2026-11-22T10:05:00Z', 'other'),
      completed(4, '2026-11-22T10:05:00Z', 7),
      event('RolloutStepCompleted', 'Rollout step 4/5 completed (pause: 30s)', '2026-11-22T10:20:00Z'),
      abortEvent,
    ];
    expect(abortedAt(rollout, replicaSets, events)?.known).toBe(false);
    expect(abortedAt(rollout, replicaSets, [...events, completed(1, '2026-11-22T10:00:02Z')])).toMatchObject({ known: true, step: 1, weight: 20 });
  });

  it('an event whose reason is not RolloutStepCompleted does not count even if its message looks like one', () => {
    const forged = event('Custom', 'Rollout step 4/5 completed (pause: 30s)', '2026-11-22T10:05:00Z');
    expect(abortedAt(rollout, replicaSets, [forged, abortEvent])?.known).toBe(false);
  });

  it('not aborted: null', () => {
    expect(abortedAt({ ...rollout, status: { ...rollout.status, abort: false } }, replicaSets, [abortEvent])).toBeNull();
  });
});
