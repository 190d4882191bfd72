import type { Phase } from '@/lib/contracts/workload';

const STYLES: Record<Phase, string> = {
  Healthy: 'bg-emerald-100 text-emerald-800 ring-emerald-600/30 dark:bg-emerald-900/40 dark:text-emerald-200',
  Progressing: 'bg-sky-100 text-sky-800 ring-sky-600/30 dark:bg-sky-900/40 dark:text-sky-200',
  Paused: 'bg-amber-100 text-amber-900 ring-amber-600/30 dark:bg-amber-900/40 dark:text-amber-200',
  Degraded: 'bg-rose-100 text-rose-800 ring-rose-600/30 dark:bg-rose-900/40 dark:text-rose-200',
  Aborted: 'bg-rose-600 text-white ring-rose-700 dark:bg-rose-700',
};

const ICONS: Record<Phase, string> = { Healthy: '●', Progressing: '◐', Paused: '❚❚', Degraded: '▲', Aborted: '✕' };

export function PhaseBadge({ phase, testId }: { phase: Phase; testId?: string }) {
  return (
    <span
      data-testid={testId}
      data-phase={phase}
      className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ring-inset ${STYLES[phase]}`}
    >
      <span aria-hidden className="text-[0.6rem]">
        {ICONS[phase]}
      </span>
      {phase}
    </span>
  );
}
