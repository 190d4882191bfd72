// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ApprovalDto } from '@/lib/contracts/approvals';
import { ApprovalCard, cannotDecide, mayRetry } from './approval-card';
import { filterApprovals } from './approvals-page';

vi.mock('next/link', () => ({ default: ({ href, children, ...rest }: { href: string; children: React.ReactNode }) => <a href={href} {...rest}>{children}</a> }));

afterEach(cleanup);

const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

const approval = (extra: Partial<ApprovalDto> = {}): ApprovalDto => ({
  cluster: 'sandbox',
  namespace: 'shop',
  name: 'checkout-x1',
  rollout: 'checkout',
  workloadId: 'sandbox/Rollout/shop/checkout',
  podHash: '5dfc86958b',
  step: '5',
  stepLabel: 'step 5',
  requester: { user: 'alice', groups: ['release-managers'] },
  reason: 'healthy at 25 %',
  requestedAt: ago(10),
  quorum: 2,
  decisions: [{ user: 'bob', groups: ['release-managers'], verdict: 'approve', comment: null, time: ago(3) }],
  state: 'pending',
  approvedBy: ['bob'],
  why: null,
  promotion: null,
  ...extra,
});

describe('ApprovalCard', () => {
  it('shows what, who asked and why, each decision with a relative time, and the count', () => {
    render(<ApprovalCard approval={approval()} me="dana" busy={false} onDecide={() => undefined} onRetry={() => undefined} />);
    const card = screen.getByTestId('approval-shop-checkout-x1');
    expect(card.textContent).toContain('shop/checkout');
    expect(card.textContent).toContain('past step 5 · revision 5dfc86958b');
    expect(card.textContent).toMatch(/alice asked 10 minutes ago: “healthy at 25 %”/);
    expect(card.textContent).toMatch(/Approved by bob 3 minutes ago/);
    expect(card.textContent).toContain('1 of 2 approvals');
  });

  it('offers approve, and reject only with a comment', () => {
    const onDecide = vi.fn();
    render(<ApprovalCard approval={approval()} me="dana" busy={false} onDecide={onDecide} onRetry={() => undefined} />);
    const reject = screen.getByRole('button', { name: 'Reject' });
    expect(reject).toHaveProperty('disabled', true);
    fireEvent.change(screen.getByLabelText('Comment'), { target: { value: 'p99 creeping up' } });
    fireEvent.click(screen.getByRole('button', { name: 'Reject' }));
    expect(onDecide).toHaveBeenCalledWith({ verdict: 'reject', comment: 'p99 creeping up' });
  });

  it('the requester and someone who decided see why they cannot, not a button', () => {
    render(<ApprovalCard approval={approval()} me="alice" busy={false} onDecide={() => undefined} onRetry={() => undefined} />);
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
    expect(screen.getByText('You asked for this promotion: someone else must approve it')).toBeTruthy();
    expect(cannotDecide(approval(), 'bob')).toBe('You have decided on this request');
    expect(cannotDecide(approval({ state: 'void' }), 'dana')).toBeNull();
  });

  it('a void or promoted request says why, and the page filters by state and text', () => {
    render(<ApprovalCard approval={approval({ state: 'void', why: 'a new revision was released' })} me="dana" busy={false} onDecide={() => undefined} onRetry={() => undefined} />);
    expect(screen.getByTestId('approval-shop-checkout-x1').getAttribute('data-state')).toBe('void');
    expect(screen.getByText('a new revision was released')).toBeTruthy();
    const list = [approval(), approval({ name: 'b', rollout: 'payments', state: 'promoted' })];
    expect(filterApprovals(list, 'pending', '').map((a) => a.name)).toEqual(['checkout-x1']);
    expect(filterApprovals(list, 'all', 'PAY').map((a) => a.name)).toEqual(['b']);
    expect(filterApprovals(list, 'all', 'alice')).toHaveLength(2);
  });

  it('a quorum whose promotion the cluster refused: the reason, and "send again" for the requester and approvers only; it stays under Waiting', () => {
    const refused = approval({
      state: 'approved',
      approvedBy: ['bob', 'dana'],
      promotion: { time: ago(1), actor: 'alice', approvedBy: ['bob', 'dana'], result: 'refused-rbac', message: 'the cluster refused the promotion as alice' },
    });
    const onRetry = vi.fn();
    render(<ApprovalCard approval={refused} me="bob" busy={false} onDecide={() => undefined} onRetry={onRetry} />);
    const card = screen.getByTestId('approval-shop-checkout-x1');
    expect(card.textContent).toContain('refused-rbac, approved by bob, dana');
    fireEvent.click(screen.getByRole('button', { name: 'Send the promotion again' }));
    expect(onRetry).toHaveBeenCalledTimes(1);
    const now = new Date();
    expect([mayRetry(refused, 'alice', now), mayRetry(refused, 'dana', now), mayRetry(refused, 'erin', now), mayRetry(refused, null, now)]).toEqual([true, true, false, false]);
    const sent = { ...refused, state: 'promoted' as const, promotion: { ...refused.promotion!, result: 'accepted', message: null } };
    expect(mayRetry(sent, 'alice', now)).toBe(false);
    expect(filterApprovals([refused, sent], 'pending', '')).toEqual([refused]);
    // The server reports an accepted promotion as promoted; should one read "approved" it still is not under Waiting.
    expect(filterApprovals([{ ...sent, state: 'approved' }], 'pending', '')).toEqual([]);
    cleanup();
    render(<ApprovalCard approval={refused} me="erin" busy={false} onDecide={() => undefined} onRetry={onRetry} />);
    expect(screen.queryByRole('button', { name: 'Send the promotion again' })).toBeNull();
    expect(screen.getByText('The requester or an approver can send it again.')).toBeTruthy();
  });

  it('a quorum with no promotion result: on its way for 30 s, then lost and offered again to the requester and approvers', () => {
    const decisions = [
      { user: 'bob', groups: ['release-managers'], verdict: 'approve' as const, comment: null, time: ago(3) },
      { user: 'dana', groups: ['release-managers'], verdict: 'approve' as const, comment: null, time: new Date(Date.now() - 10_000).toISOString() },
    ];
    const onTheWay = approval({ state: 'approved', approvedBy: ['bob', 'dana'], decisions, promotion: null });
    render(<ApprovalCard approval={onTheWay} me="alice" busy={false} onDecide={() => undefined} onRetry={() => undefined} />);
    expect(screen.queryByTestId('approval-shop-checkout-x1-retry')).toBeNull();
    expect(mayRetry(onTheWay, 'alice', new Date())).toBe(false);
    cleanup();
    const lost = approval({ state: 'approved', approvedBy: ['bob', 'dana'], decisions: [decisions[0], { ...decisions[1], time: ago(2) }], promotion: null });
    const onRetry = vi.fn();
    render(<ApprovalCard approval={lost} me="dana" busy={false} onDecide={() => undefined} onRetry={onRetry} />);
    expect(screen.getByTestId('approval-shop-checkout-x1-retry').textContent).toContain('no promotion result was recorded');
    fireEvent.click(screen.getByRole('button', { name: 'Send the promotion again' }));
    expect(onRetry).toHaveBeenCalledTimes(1);
    expect([mayRetry(lost, 'alice', new Date()), mayRetry(lost, 'erin', new Date())]).toEqual([true, false]);
  });
});
