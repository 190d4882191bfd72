'use client';

import type { AuditSummary } from '@/lib/contracts/actions';
import { Ago } from '@/components/ui/time';

const resultText: Record<AuditSummary['result'], string> = {
  accepted: 'accepted',
  'refused-rbac': "refused by the cluster's RBAC",
  conflict: 'conflict: the object had changed',
  invalid: 'invalid',
};

/** Who did what to this workload, newest first, with times relative to the viewer's clock. */
export function ActionHistory({ history, testId }: { history: readonly AuditSummary[]; testId: string }) {
  if (history.length === 0) return <p className="text-sm text-slate-500" data-testid={testId}>No actions taken through Aviary yet.</p>;
  const newestFirst = [...history].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  return (
    <ol className="flex flex-col gap-2 text-sm" data-testid={testId}>
      {newestFirst.map((entry) => (
        <li key={entry.name} data-result={entry.result} className="border-l-2 border-slate-300 pl-2 dark:border-slate-700">
          <p>
            <span className="font-medium">{entry.user}</span>
            {entry.groups.length > 0 && <span className="text-xs text-slate-500"> ({entry.groups.join(', ')})</span>}: {entry.description}
          </p>
          <p className={`text-xs ${entry.result === 'accepted' ? 'text-slate-500' : 'text-rose-700 dark:text-rose-300'}`}>
            {resultText[entry.result]} · <Ago iso={entry.at} />
            {entry.reason ? ` · “${entry.reason}”` : ''}
          </p>
        </li>
      ))}
    </ol>
  );
}
