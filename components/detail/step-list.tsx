import type { StepSummary } from '@/lib/contracts/workload';

const MARK: Record<StepSummary['status'], string> = {
  done: 'bg-emerald-500 text-white',
  current: 'bg-sky-500 text-white',
  aborted: 'bg-rose-600 text-white',
  pending: 'border border-slate-400 text-slate-500',
};
const SYMBOL: Record<StepSummary['status'], string> = { done: '✓', current: '▶', aborted: '✕', pending: '' };

/**
 * The canary steps with Argo's numbering: entries are numbered from 0 like status.currentStepIndex,
 * so the header "step 5/11" and the highlighted entry "5" always agree.
 */
export function StepList({ steps, current, testIdPrefix }: { steps: StepSummary[]; current: number | null; testIdPrefix: string }) {
  if (steps.length === 0) return <p className="text-sm text-slate-500">No canary steps: the new version replaces the old one at once.</p>;
  return (
    <>
      <p className="mb-2 text-xs text-slate-500" data-testid={`${testIdPrefix}-steps-position`}>
        {current === null ? `${steps.length} steps` : current >= steps.length ? `all ${steps.length} steps complete` : `step ${current}/${steps.length}: ${current} complete`}
      </p>
      <ol className="space-y-1" data-testid={`${testIdPrefix}-steps`}>
        {steps.map((s) => (
          <li
            key={s.index}
            data-step-status={s.status}
            data-step-index={s.index}
            aria-current={s.status === 'current' ? 'step' : undefined}
            className={`rounded-md px-2 py-1 text-sm ${s.status === 'current' ? 'bg-sky-100 font-semibold dark:bg-sky-900/50' : s.status === 'aborted' ? 'bg-rose-100 font-semibold dark:bg-rose-950/60' : ''}`}
          >
            <div className="flex items-center gap-3">
              <span className="w-5 text-right font-mono text-xs tabular-nums text-slate-500">{s.index}</span>
              <span aria-hidden className={`flex h-5 w-5 shrink-0 items-center justify-center rounded-full text-[0.65rem] ${MARK[s.status]}`}>
                {SYMBOL[s.status]}
              </span>
              <span className={s.status === 'pending' ? 'text-slate-500' : ''}>
                {s.label}
                {s.status === 'aborted' && <span className="font-normal text-rose-700 dark:text-rose-300"> — aborted here</span>}
              </span>
            </div>
            {s.details.length > 0 && (
              <ul className="ml-16 mt-0.5 list-disc pl-4 text-xs font-normal text-slate-600 dark:text-slate-400">
                {s.details.map((d) => (
                  <li key={d} className="break-words">
                    {d}
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ol>
    </>
  );
}
