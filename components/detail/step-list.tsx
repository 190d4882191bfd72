import type { StepSummary } from '@/lib/contracts/workload';

export function StepList({ steps, testIdPrefix }: { steps: StepSummary[]; testIdPrefix: string }) {
  if (steps.length === 0) return <p className="text-sm text-slate-500">No canary steps: the new version replaces the old one at once.</p>;
  return (
    <ol className="space-y-1" data-testid={`${testIdPrefix}-steps`}>
      {steps.map((s) => (
        <li
          key={s.index}
          data-step-status={s.status}
          aria-current={s.status === 'current' ? 'step' : undefined}
          className={`flex items-center gap-3 rounded-md px-2 py-1 text-sm ${s.status === 'current' ? 'bg-sky-100 font-semibold dark:bg-sky-900/50' : ''}`}
        >
          <span aria-hidden className={`flex h-5 w-5 items-center justify-center rounded-full text-[0.65rem] ${s.status === 'done' ? 'bg-emerald-500 text-white' : s.status === 'current' ? 'bg-sky-500 text-white' : 'border border-slate-400 text-slate-500'}`}>
            {s.status === 'done' ? '✓' : s.index + 1}
          </span>
          <span className={s.status === 'pending' ? 'text-slate-500' : ''}>{s.label}</span>
        </li>
      ))}
    </ol>
  );
}
