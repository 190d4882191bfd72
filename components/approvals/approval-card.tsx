'use client';

import Link from 'next/link';
import { useState } from 'react';
import type { ApprovalDto } from '@/lib/contracts/approvals';
import { formatAgo, useHydrated, useNow } from '@/components/ui/time';
import { promotionLost } from '@/lib/rollouts/approvals';

const stateStyle: Record<ApprovalDto['state'], string> = {
  pending: 'bg-amber-100 text-amber-900 dark:bg-amber-900/40 dark:text-amber-200',
  approved: 'bg-emerald-100 text-emerald-900 dark:bg-emerald-900/40 dark:text-emerald-200',
  promoted: 'bg-emerald-100 text-emerald-900 dark:bg-emerald-900/40 dark:text-emerald-200',
  rejected: 'bg-rose-100 text-rose-900 dark:bg-rose-900/40 dark:text-rose-200',
  void: 'bg-slate-200 text-slate-700 dark:bg-slate-800 dark:text-slate-300',
};

const stateWord: Record<ApprovalDto['state'], string> = { pending: 'Waiting', approved: 'Approved', promoted: 'Promoted', rejected: 'Rejected', void: 'Void' };

export interface DecisionInput {
  verdict: 'approve' | 'reject';
  comment: string;
}

/** Why this viewer cannot decide, or null: the server decides, this only avoids offering a useless button. */
export function cannotDecide(approval: ApprovalDto, me: string | null): string | null {
  if (approval.state !== 'pending') return null;
  if (!me) return 'Sign in to decide';
  if (approval.requester.user === me) return 'You asked for this promotion: someone else must approve it';
  if (approval.decisions.some((d) => d.user === me)) return 'You have decided on this request';
  return null;
}

/**
 * Whether the quorum met but the promotion was not accepted: the cluster refused it, or no result was
 * saved long after the quorum (lost on its way). The server checks the same rule.
 */
export function promotionStuck(approval: ApprovalDto, now: Date): boolean {
  if (approval.state !== 'approved') return false;
  return approval.promotion ? approval.promotion.result !== 'accepted' : promotionLost(approval.decisions, now);
}

/** Whether this viewer (the requester or a counting approver) may send a stuck promotion again. */
export function mayRetry(approval: ApprovalDto, me: string | null, now: Date): boolean {
  if (!me || !promotionStuck(approval, now)) return false;
  return approval.requester.user === me || approval.approvedBy.includes(me);
}

/** One release approval: what, who asked and why, every decision, and (when the viewer may) approve / reject, or send a refused promotion again. */
export function ApprovalCard({ approval: a, me, busy, onDecide, onRetry }: { approval: ApprovalDto; me: string | null; busy: boolean; onDecide: (input: DecisionInput) => void; onRetry: () => void }) {
  const hydrated = useHydrated();
  const now = useNow(30_000);
  const [comment, setComment] = useState('');
  const ago = (iso: string) => (hydrated ? formatAgo(iso, now) : '');
  // Before hydration no clock: the server's and the browser's would disagree about a lost promotion.
  const clock = new Date(hydrated ? now : 0);
  const blocked = cannotDecide(a, me);
  const testId = `approval-${a.namespace}-${a.name}`;
  return (
    <li data-testid={testId} data-state={a.state} className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <span className={`rounded px-2 py-0.5 text-xs font-semibold ${stateStyle[a.state]}`}>{stateWord[a.state]}</span>
        <Link href={`/rollouts/${encodeURIComponent(a.cluster)}/${encodeURIComponent(a.namespace)}/${encodeURIComponent(a.rollout)}`} className="font-semibold hover:underline">
          {a.namespace}/{a.rollout}
        </Link>
        <span className="text-sm text-slate-600 dark:text-slate-400">
          past {a.stepLabel} · revision {a.podHash}
        </span>
        <span className="ml-auto text-sm text-slate-600 dark:text-slate-400" data-testid={`${testId}-count`}>
          {a.approvedBy.length} of {a.quorum} approvals
        </span>
      </div>
      <p className="mt-2 text-sm">
        <span className="font-medium">{a.requester.user}</span> asked <time dateTime={a.requestedAt}>{ago(a.requestedAt)}</time>
        {a.reason ? <>: “{a.reason}”</> : ' (no reason given)'}
      </p>
      {a.why && <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{a.why}</p>}
      {a.promotion && (
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          Promotion sent as {a.promotion.actor} <time dateTime={a.promotion.time}>{ago(a.promotion.time)}</time> — {a.promotion.result}
          {a.promotion.approvedBy.length > 0 && <>, approved by {a.promotion.approvedBy.join(', ')}</>}
        </p>
      )}
      {promotionStuck(a, clock) && (
        <div className="mt-3 flex flex-wrap items-center gap-2 text-sm" data-testid={`${testId}-retry`}>
          <span className="text-rose-700 dark:text-rose-300">
            {a.promotion ? 'The quorum stands, but the cluster did not accept the promotion.' : 'The quorum stands, but no promotion result was recorded (the API server may have failed while it was sent).'}
          </span>
          {mayRetry(a, me, clock) ? (
            <button type="button" disabled={busy} onClick={onRetry} className="rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white disabled:opacity-50 dark:bg-slate-100 dark:text-slate-900">
              Send the promotion again
            </button>
          ) : (
            <span className="text-slate-500">The requester or an approver can send it again.</span>
          )}
        </div>
      )}
      {a.decisions.length > 0 && (
        <ul className="mt-2 space-y-0.5 text-sm">
          {a.decisions.map((d) => (
            <li key={`${d.user}-${d.time}`}>
              <span className={d.verdict === 'approve' ? 'text-emerald-700 dark:text-emerald-300' : 'text-rose-700 dark:text-rose-300'}>{d.verdict === 'approve' ? 'Approved' : 'Rejected'}</span> by{' '}
              <span className="font-medium">{d.user}</span> <time dateTime={d.time}>{ago(d.time)}</time>
              {d.comment && <>: “{d.comment}”</>}
            </li>
          ))}
        </ul>
      )}
      {a.state === 'pending' &&
        (blocked ? (
          <p className="mt-3 text-sm text-slate-500" data-testid={`${testId}-blocked`}>
            {blocked}
          </p>
        ) : (
          <form className="mt-3 flex flex-wrap items-center gap-2" onSubmit={(e) => e.preventDefault()}>
            <label className="sr-only" htmlFor={`${testId}-comment`}>
              Comment
            </label>
            <input
              id={`${testId}-comment`}
              value={comment}
              onChange={(e) => setComment(e.target.value)}
              placeholder="Comment (needed to reject)"
              maxLength={1000}
              className="min-w-48 flex-1 rounded-md border border-slate-300 bg-transparent px-2 py-1.5 text-sm dark:border-slate-700"
            />
            <button type="button" disabled={busy} data-decision="approve" onClick={() => onDecide({ verdict: 'approve', comment })} className="rounded-md bg-emerald-700 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-50">
              Approve
            </button>
            <button
              type="button"
              disabled={busy || comment.trim() === ''}
              title={comment.trim() === '' ? 'Say why you reject it' : undefined}
              data-decision="reject"
              onClick={() => onDecide({ verdict: 'reject', comment })}
              className="rounded-md border border-rose-300 px-3 py-1.5 text-sm font-medium text-rose-800 disabled:opacity-50 dark:border-rose-800 dark:text-rose-200"
            >
              Reject
            </button>
          </form>
        ))}
    </li>
  );
}
