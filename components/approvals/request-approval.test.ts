import { describe, expect, it, vi } from 'vitest';
import type { ApprovalDto, GateInfo } from '@/lib/contracts/approvals';

vi.mock('next/link', () => ({ default: () => null }));

import { withLiveRequest } from './request-approval';

const w = { cluster: 'sandbox', namespace: 'shop', name: 'checkout' };
const gate: GateInfo = { step: '1', stepLabel: 'step 1', policy: { quorum: 2, approvers: ['group release-managers'], reasonRequired: false, validFor: '4 h', source: 'rollout' }, invalid: null, open: null };
const request = (over: Partial<ApprovalDto>): ApprovalDto => ({
  cluster: 'sandbox',
  namespace: 'shop',
  name: 'checkout-a1',
  rollout: 'checkout',
  workloadId: 'sandbox/Rollout/shop/checkout',
  podHash: 'abc',
  step: '1',
  stepLabel: 'step 1',
  requester: { user: 'alice', groups: [] },
  reason: null,
  requestedAt: '2026-11-23T07:00:00Z',
  quorum: 2,
  decisions: [],
  state: 'pending',
  approvedBy: [],
  why: null,
  promotion: null,
  ...over,
});

describe('withLiveRequest', () => {
  it('takes the open request of this rollout and step from the live list, as soon as it is there', () => {
    const mine = request({});
    expect(withLiveRequest(gate, [request({ rollout: 'payments' }), request({ step: '3' }), request({ state: 'void' }), mine], w).open).toBe(mine);
    expect(withLiveRequest(gate, [request({ state: 'approved', name: 'b' })], w).open?.name).toBe('b');
  });

  it('drops a request the list no longer holds open (promoted, rejected, void), and leaves an ungated step alone', () => {
    const stale = { ...gate, open: request({}) };
    expect(withLiveRequest(stale, [request({ state: 'promoted' })], w).open).toBeNull();
    const ungated = { ...gate, step: null };
    expect(withLiveRequest(ungated, [request({})], w)).toBe(ungated);
  });
});
