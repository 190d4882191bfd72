'use client';

import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { ActionName } from '@/lib/contracts/actions';
import type { WorkloadSummary } from '@/lib/contracts/workload';
import { canAct, currentRevision, describeAction } from '@/lib/rollouts/action-rules';
import { Ago } from '@/components/ui/time';
import { ACTION_LABELS, NEEDS_TYPED_CONFIRMATION } from './button-states';

export interface ActionConfirmation {
  reason: string | undefined;
  toRevision: number | undefined;
}

const FOCUSABLE = 'button:not([disabled]), input:not([disabled]), textarea:not([disabled]), select:not([disabled]), [href], [tabindex]:not([tabindex="-1"])';

/**
 * Confirms exactly what an action will do before it is sent. Modal and keyboard-first: focus moves
 * in on open and stays inside (Tab wraps), Escape cancels, Enter confirms, and on close focus goes
 * back to whatever opened it. Abort and roll back also ask for the workload's name, typed.
 */
export function ActionDialog({
  action,
  workload: w,
  busy,
  onCancel,
  onConfirm,
}: {
  action: ActionName;
  workload: WorkloadSummary;
  busy: boolean;
  onCancel: () => void;
  onConfirm: (confirmation: ActionConfirmation) => void;
}) {
  const titleId = useId();
  const descriptionId = useId();
  const dialogRef = useRef<HTMLFormElement>(null);
  const [reason, setReason] = useState('');
  const [typed, setTyped] = useState('');
  const current = currentRevision(w);
  const choices = action === 'undo' ? w.revisions.filter((r) => r.revision !== null && r.revision !== current) : [];
  const [toRevision, setToRevision] = useState<number | undefined>(undefined);

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialogRef.current?.querySelector<HTMLElement>(FOCUSABLE)?.focus();
    return () => {
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  const needsName = NEEDS_TYPED_CONFIRMATION.has(action);
  const nameMatches = !needsName || typed.trim() === w.name;
  const revisionChosen = action !== 'undo' || (toRevision !== undefined && canAct('undo', w, toRevision).allowed);
  const ready = nameMatches && revisionChosen && !busy;

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (!ready) return;
    onConfirm({ reason: reason.trim() || undefined, toRevision: action === 'undo' ? toRevision : undefined });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      onCancel();
      return;
    }
    if (event.key === 'Enter' && event.target instanceof HTMLElement && !(event.target instanceof HTMLButtonElement)) {
      event.preventDefault();
      submit();
      return;
    }
    if (event.key !== 'Tab' || !dialogRef.current) return;
    const focusable = Array.from(dialogRef.current.querySelectorAll<HTMLElement>(FOCUSABLE));
    if (focusable.length === 0) return;
    const first = focusable[0]!;
    const last = focusable[focusable.length - 1]!;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  const label = ACTION_LABELS[action].replace('…', '');
  const destructive = action === 'abort' || action === 'undo';
  return (
    <div className="fixed inset-0 z-50 flex items-center justify-center bg-slate-950/50 p-4">
      <form
        ref={dialogRef}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={descriptionId}
        data-testid="action-dialog"
        onSubmit={submit}
        onKeyDown={onKeyDown}
        className="flex w-full max-w-lg flex-col gap-3 rounded-xl border border-slate-200 bg-white p-5 shadow-xl dark:border-slate-700 dark:bg-slate-900"
      >
        <h2 id={titleId} className="text-lg font-semibold">
          {label} {w.namespace}/{w.name}?
        </h2>
        <p id={descriptionId} data-testid="action-description" className="text-sm">
          {describeAction(action, w, toRevision)}
        </p>
        {action === 'undo' && (
          <fieldset className="flex flex-col gap-1">
            <legend className="mb-1 text-sm font-medium">Roll back to</legend>
            {choices.length === 0 && <p className="text-sm text-slate-500">There is no earlier revision to roll back to.</p>}
            {choices.map((r) => (
              <label key={r.podTemplateHash} className="flex items-start gap-2 rounded-md border border-slate-200 p-2 text-sm dark:border-slate-700">
                <input type="radio" name="toRevision" value={r.revision ?? ''} checked={toRevision === r.revision} onChange={() => setToRevision(r.revision ?? undefined)} />
                <span>
                  <span className="font-medium">Revision {r.revision}</span>
                  {r.createdAt && (
                    <span className="text-slate-500">
                      {' '}
                      · created <Ago iso={r.createdAt} />
                    </span>
                  )}
                  <span className="block break-all font-mono text-xs text-slate-600 dark:text-slate-400">{r.images.join(', ') || 'no images recorded'}</span>
                </span>
              </label>
            ))}
          </fieldset>
        )}
        <label className="flex flex-col gap-1 text-sm">
          Reason (optional, recorded in the audit history)
          <input value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} className="rounded-md border border-slate-300 px-2 py-1 dark:border-slate-700 dark:bg-slate-950" />
        </label>
        {needsName && (
          <label className="flex flex-col gap-1 text-sm">
            <span>
              To confirm, type the {w.kind === 'Rollout' ? 'rollout' : 'deployment'}’s name: <strong className="font-mono">{w.name}</strong>
            </span>
            <input
              value={typed}
              autoComplete="off"
              spellCheck={false}
              aria-label={`Type ${w.name} to confirm`}
              onChange={(e) => setTyped(e.target.value)}
              className="rounded-md border border-slate-300 px-2 py-1 font-mono dark:border-slate-700 dark:bg-slate-950"
            />
          </label>
        )}
        <div className="mt-2 flex justify-end gap-2">
          <button type="button" onClick={onCancel} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm dark:border-slate-700">
            Cancel
          </button>
          <button
            type="submit"
            disabled={!ready}
            className={`rounded-md px-3 py-1.5 text-sm font-medium text-white disabled:opacity-40 ${destructive ? 'bg-rose-700' : 'bg-sky-700'}`}
          >
            {busy ? 'Sending…' : label}
          </button>
        </div>
      </form>
    </div>
  );
}
