import { describe, expect, it } from 'vitest';
import { loadFixture } from '@/test/fixtures';
import type { RolloutObject } from './objects';
import { needsNamespacePolicy, waitingForApproval, type OpenRequest } from './wall-approvals';

const GATE = { 'approvals.aviary.dev/approvers': 'group:release-managers', 'approvals.aviary.dev/quorum': '2' };

/** The recorded checkout canary, paused at its indefinite pause (step index 5), with extra annotations. */
function paused(annotations: Record<string, string> = {}): RolloutObject {
  const r = loadFixture('canary-manual-pause').workload as RolloutObject;
  return { ...r, metadata: { ...r.metadata, annotations: { ...r.metadata.annotations, ...annotations } } };
}
const id = 'sandbox/Rollout/shop/checkout';
const noNamespacePolicy = () => ({});

describe('waiting for approval on the wall', () => {
  it('a rollout paused at a gated step waits for approval before anyone asks: 0 of the quorum', () => {
    const waiting = waitingForApproval('sandbox', [paused({ ...GATE, 'approvals.aviary.dev/gate': 'steps:5' })], noNamespacePolicy, []);
    expect(waiting).toEqual([{ workloadId: id, approvals: 0, quorum: 2, requested: false }]);
  });

  it('once someone asks, the open request counts (and a request for another step does not)', () => {
    const rollout = paused({ ...GATE, 'approvals.aviary.dev/gate': 'manual-pauses' });
    const open: OpenRequest = { workloadId: id, step: '5', state: 'pending', approvedBy: ['bob'], quorum: 2 };
    expect(waitingForApproval('sandbox', [rollout], noNamespacePolicy, [open])).toEqual([{ workloadId: id, approvals: 1, quorum: 2, requested: true }]);
    expect(waitingForApproval('sandbox', [rollout], noNamespacePolicy, [{ ...open, step: '3' }])).toEqual([{ workloadId: id, approvals: 0, quorum: 2, requested: false }]);
  });

  it('an approved request whose promotion the cluster refused still shows its count, not "nobody asked"; an accepted one does not', () => {
    const rollout = paused({ ...GATE, 'approvals.aviary.dev/gate': 'manual-pauses' });
    const refused: OpenRequest = { workloadId: id, step: '5', state: 'approved', approvedBy: ['bob', 'dana'], quorum: 2, promotion: { result: 'refused-rbac' } };
    expect(waitingForApproval('sandbox', [rollout], noNamespacePolicy, [refused])).toEqual([{ workloadId: id, approvals: 2, quorum: 2, requested: true }]);
    // An accepted promotion (the server says promoted) holds nothing: the gate shows without the request until the rollout moves.
    expect(waitingForApproval('sandbox', [rollout], noNamespacePolicy, [{ ...refused, promotion: { result: 'accepted' } }])).toEqual([{ workloadId: id, approvals: 0, quorum: 2, requested: false }]);
  });

  it("a gate on other steps, an invalid policy, or no policy at all: not waiting", () => {
    expect(waitingForApproval('sandbox', [paused({ ...GATE, 'approvals.aviary.dev/gate': 'steps:1' })], noNamespacePolicy, [])).toEqual([]);
    expect(waitingForApproval('sandbox', [paused({ ...GATE, 'approvals.aviary.dev/gate': 'steps:5', 'approvals.aviary.dev/quorum': 'two' })], noNamespacePolicy, [])).toEqual([]);
    expect(waitingForApproval('sandbox', [paused()], noNamespacePolicy, [])).toEqual([]);
  });

  it("the namespace's policy gates a rollout without one of its own; only rollouts in flight need it", () => {
    const rollout = paused();
    expect(needsNamespacePolicy(rollout)).toBe(true);
    expect(needsNamespacePolicy(paused({ 'approvals.aviary.dev/gate': 'steps:5' }))).toBe(false);
    expect(needsNamespacePolicy(loadFixture('canary-healthy').workload as RolloutObject)).toBe(false);
    const namespacePolicy = (ns: string) => (ns === 'shop' ? { ...GATE, 'approvals.aviary.dev/gate': 'manual-pauses', 'approvals.aviary.dev/quorum': '3' } : {});
    expect(waitingForApproval('sandbox', [rollout], namespacePolicy, [])).toEqual([{ workloadId: id, approvals: 0, quorum: 3, requested: false }]);
  });

  it('a settled rollout is not waiting even with a gate', () => {
    const healthy = loadFixture('canary-healthy').workload as RolloutObject;
    const gated = { ...healthy, metadata: { ...healthy.metadata, annotations: { ...GATE, 'approvals.aviary.dev/gate': 'manual-pauses' } } };
    expect(waitingForApproval('sandbox', [gated], noNamespacePolicy, [])).toEqual([]);
  });

  it("an open request whose gate is not readable here still shows (the approvals service vouches for it); another cluster's does not", () => {
    const other: OpenRequest = { workloadId: 'sandbox/Rollout/search/ranker', step: 'bluegreen', state: 'pending', approvedBy: [], quorum: 1 };
    const elsewhere: OpenRequest = { ...other, workloadId: 'prod/Rollout/search/ranker' };
    const approved: OpenRequest = { ...other, workloadId: 'sandbox/Rollout/search/indexer', state: 'approved', promotion: { result: 'accepted' } };
    expect(waitingForApproval('sandbox', [], noNamespacePolicy, [other, elsewhere, approved])).toEqual([{ workloadId: other.workloadId, approvals: 0, quorum: 1, requested: true }]);
  });
});
