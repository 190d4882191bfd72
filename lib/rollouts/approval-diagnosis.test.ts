import { describe, expect, it } from 'vitest';
import type { GateInfo } from '@/lib/contracts/approvals';
import { deriveFixture } from '@/test/fixtures';
import { withApprovalGate } from './approval-diagnosis';

const policy = { quorum: 2, approvers: ['group:release-managers'], reasonRequired: false, validFor: '1h', source: 'rollout' as const };
const gate = (open: GateInfo['open'] = null): GateInfo => ({ step: '3', stepLabel: 'step 3/8 (pause)', policy, invalid: null, open });

describe('withApprovalGate', () => {
  const paused = deriveFixture('canary-manual-pause').diagnosis;

  it('at a gated step the manual-promotion reason says approvals, nobody asked yet, and the policy', () => {
    expect(paused?.reasons[0].code).toBe('manual-promotion');
    const d = withApprovalGate(paused, gate());
    expect(d?.headline).toBe('Waiting for release approval at step 3/8 (pause): 0 of 2 approvals, nobody has asked yet');
    expect(d?.reasons[0]).toMatchObject({ code: 'manual-promotion', severity: 'warning' });
    expect(d?.reasons[0].evidence[0]).toBe('approval policy on the Rollout: 2 of group:release-managers, not the person who asks');
    expect(d?.reasons[0].evidence.slice(1)).toEqual(paused?.reasons[0].evidence);
  });

  it('with an open request it counts its approvals and names who asked', () => {
    const open = { requester: { user: 'alice', groups: [] }, approvedBy: ['bob'], quorum: 2 } as unknown as NonNullable<GateInfo['open']>;
    expect(withApprovalGate(paused, gate(open))?.headline).toBe('Waiting for release approval at step 3/8 (pause): 1 of 2 approvals, requested by alice');
  });

  it('changes nothing without a gate here, a policy, a pause to explain, or a diagnosis', () => {
    expect(withApprovalGate(paused, undefined)).toBe(paused);
    expect(withApprovalGate(paused, { ...gate(), step: null })).toBe(paused);
    expect(withApprovalGate(paused, { ...gate(), policy: null })).toBe(paused);
    const aborted = deriveFixture('canary-aborted').diagnosis;
    expect(withApprovalGate(aborted, gate())).toBe(aborted);
    expect(withApprovalGate(null, gate())).toBeNull();
  });

  it('an approved request whose promotion the cluster refused says so, and who can send it again', () => {
    const open = {
      state: 'approved',
      requester: { user: 'alice', groups: [] },
      approvedBy: ['bob', 'dana'],
      quorum: 2,
      promotion: { time: '2026-11-23T08:00:00Z', actor: 'alice', approvedBy: ['bob', 'dana'], result: 'refused-rbac', message: 'the cluster refused the promotion as alice' },
    } as unknown as NonNullable<GateInfo['open']>;
    expect(withApprovalGate(paused, gate(open))?.headline).toBe(
      'Approved at step 3/8 (pause) (2 of 2), but the cluster did not accept the promotion: the cluster refused the promotion as alice — the requester or an approver can send it again from Approvals',
    );
  });

  it('an approved request with no promotion result yet does not read as waiting for approvals', () => {
    const open = { state: 'approved', requester: { user: 'alice', groups: [] }, approvedBy: ['bob', 'dana'], quorum: 2, promotion: null } as unknown as NonNullable<GateInfo['open']>;
    expect(withApprovalGate(paused, gate(open))?.headline).toBe(
      'Approved at step 3/8 (pause) (2 of 2); no promotion result is recorded yet — if the rollout has not moved 30 s after the quorum, the requester or an approver can send it again from Approvals',
    );
  });
});
