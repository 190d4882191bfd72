'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { ApprovalDto } from '@/lib/contracts/approvals';
import { meQuery } from '@/lib/queries/actions';
import { approvalsQuery, postDecision, postRetry, type ApprovalOutcome } from '@/lib/queries/approvals';
import { awaitsAction } from '@/lib/rollouts/approvals';
import { ApprovalCard, type DecisionInput } from './approval-card';

const FILTERS = [
  { value: 'pending', label: 'Waiting' },
  { value: 'all', label: 'All' },
  { value: 'promoted', label: 'Promoted' },
  { value: 'rejected', label: 'Rejected' },
  { value: 'void', label: 'Void' },
] as const;
type Filter = (typeof FILTERS)[number]['value'];

/**
 * Filters as pure code: by state and by a text that matches namespace/rollout or the requester.
 * "Waiting" also holds an approved request whose promotion the cluster refused: it waits for a retry.
 */
export function filterApprovals(approvals: ApprovalDto[], state: Filter, text: string): ApprovalDto[] {
  const needle = text.trim().toLowerCase();
  return approvals.filter(
    (a) => (state === 'all' || (state === 'pending' ? awaitsAction(a) : a.state === state)) && (!needle || `${a.namespace}/${a.rollout}`.toLowerCase().includes(needle) || a.requester.user.toLowerCase().includes(needle)),
  );
}

/** /approvals: every request the viewer may see, newest first, live; approvers decide here. */
export function ApprovalsPage() {
  const { data, isError, error } = useQuery(approvalsQuery());
  const me = useQuery(meQuery());
  const [state, setState] = useState<Filter>('pending');
  const [text, setText] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<ApprovalOutcome | null>(null);
  const list = filterApprovals(data?.approvals ?? [], state, text);

  const decide = async (a: ApprovalDto, input: DecisionInput) => {
    if (!me.data) return;
    setBusy(a.name);
    setOutcome(await postDecision({ cluster: a.cluster, namespace: a.namespace, approval: a.name, verdict: input.verdict, comment: input.comment || null }, me.data.csrfToken));
    setBusy(null);
  };
  const retry = async (a: ApprovalDto) => {
    if (!me.data) return;
    setBusy(a.name);
    setOutcome(await postRetry({ cluster: a.cluster, namespace: a.namespace, approval: a.name }, me.data.csrfToken));
    setBusy(null);
  };

  return (
    <main className="mx-auto max-w-5xl px-4 py-6">
      <h1 className="text-xl font-bold">Release approvals</h1>
      <div className="mt-4 flex flex-wrap items-center gap-2" role="group" aria-label="Filter approvals">
        {FILTERS.map((f) => (
          <button
            key={f.value}
            type="button"
            aria-pressed={state === f.value}
            onClick={() => setState(f.value)}
            className={`rounded-md border px-3 py-1 text-sm ${state === f.value ? 'border-slate-900 bg-slate-900 text-white dark:border-slate-100 dark:bg-slate-100 dark:text-slate-900' : 'border-slate-300 dark:border-slate-700'}`}
          >
            {f.label}
          </button>
        ))}
        <label className="sr-only" htmlFor="approvals-filter">
          Rollout or requester
        </label>
        <input
          id="approvals-filter"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="Rollout or requester"
          className="ml-auto w-56 rounded-md border border-slate-300 bg-transparent px-2 py-1 text-sm dark:border-slate-700"
        />
      </div>
      <p role="status" aria-live="polite" data-testid="approval-outcome" data-outcome={outcome?.kind ?? ''} className={`mt-3 text-sm ${outcome?.kind === 'refused' ? 'text-rose-700 dark:text-rose-300' : 'text-emerald-700 dark:text-emerald-300'}`}>
        {outcome ? (outcome.kind === 'accepted' ? outcome.message : `Refused (${outcome.status}): ${outcome.message}`) : ''}
      </p>
      {isError ? (
        <p className="mt-4 text-sm text-rose-700 dark:text-rose-300">Approvals could not be loaded: {error.message}</p>
      ) : !data ? (
        <p className="mt-4 text-sm text-slate-500">Loading approvals…</p>
      ) : list.length === 0 ? (
        <p className="mt-4 text-sm text-slate-500" data-testid="approvals-empty">
          {state === 'pending' ? 'Nothing is waiting for a decision or a retry.' : 'No approvals match.'}
        </p>
      ) : (
        <ul className="mt-4 space-y-3" data-testid="approvals-list">
          {list.map((a) => (
            <ApprovalCard key={`${a.cluster}/${a.namespace}/${a.name}`} approval={a} me={me.data?.user ?? null} busy={busy === a.name} onDecide={(input) => void decide(a, input)} onRetry={() => void retry(a)} />
          ))}
        </ul>
      )}
    </main>
  );
}
