'use client';

import type { PersonAuditSummary, RunbookAuditSummary, AuditSummary } from '@/lib/contracts/actions';
import { Ago } from '@/components/ui/time';

const resultText: Record<PersonAuditSummary['result'], string> = {
  accepted: 'accepted',
  'refused-rbac': "refused by the cluster's RBAC",
  conflict: 'conflict: the object had changed',
  invalid: 'invalid',
};

const runbookResultText: Record<RunbookAuditSummary['result'], string> = {
  delivered: 'delivered',
  failed: 'FAILED',
  'not-configured': 'not configured',
};

function PersonEntry({ entry }: { entry: PersonAuditSummary }) {
  return (
    <li data-result={entry.result} data-actor="person" className="border-l-2 border-slate-300 pl-2 dark:border-slate-700">
      <p>
        <span className="font-medium">{entry.user}</span>
        {entry.groups.length > 0 && <span className="text-xs text-slate-500"> ({entry.groups.join(', ')})</span>}: {entry.description}
      </p>
      <p className={`text-xs ${entry.result === 'accepted' ? 'text-slate-500' : 'text-rose-700 dark:text-rose-300'}`}>
        {resultText[entry.result]} · <Ago iso={entry.at} />
        {entry.reason ? ` · “${entry.reason}”` : ''}
      </p>
    </li>
  );
}

/** Aviary's own runbook hook: marked as automation (dashed, no groups, "automatic"), with what was sent and how it went. */
function RunbookEntry({ entry }: { entry: RunbookAuditSummary }) {
  const ok = entry.result === 'delivered';
  const how = [
    entry.status !== null ? `HTTP ${entry.status}` : null,
    entry.attempts > 0 ? `${entry.attempts} attempt${entry.attempts === 1 ? '' : 's'}` : null,
  ].filter(Boolean).join(', ');
  return (
    <li data-result={entry.result} data-actor="aviary" className="border-l-2 border-dashed border-sky-500 pl-2 dark:border-sky-400">
      <p>
        <span className="rounded bg-sky-100 px-1 text-xs font-medium text-sky-900 dark:bg-sky-900 dark:text-sky-100">automatic</span>{' '}
        <span className="font-medium">{entry.user}</span>: {entry.description}
      </p>
      <p className={`text-xs ${ok ? 'text-slate-500' : 'text-rose-700 dark:text-rose-300'}`}>
        {runbookResultText[entry.result]}
        {how ? ` (${how})` : ''}
        {!ok && entry.message ? ` — ${entry.message}` : ''} · on abort · <Ago iso={entry.at} />
      </p>
    </li>
  );
}

/** Who did what to this workload — people's actions and Aviary's runbook hooks — newest first, with times relative to the viewer's clock. */
export function ActionHistory({ history, testId }: { history: readonly AuditSummary[]; testId: string }) {
  if (history.length === 0) return <p className="text-sm text-slate-500" data-testid={testId}>No actions taken through Aviary yet.</p>;
  const newestFirst = [...history].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  return (
    <ol className="flex flex-col gap-2 text-sm" data-testid={testId}>
      {newestFirst.map((entry) => (entry.actor === 'aviary' ? <RunbookEntry key={entry.name} entry={entry} /> : <PersonEntry key={entry.name} entry={entry} />))}
    </ol>
  );
}
