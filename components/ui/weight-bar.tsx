/**
 * Canary traffic: the filled bar is the actual share, the marker the desired weight. "No data" is
 * drawn as such, never as 0.
 */
export function WeightBar({
  desired,
  actual,
  testIdPrefix,
}: {
  desired: number | null;
  actual: number | null;
  testIdPrefix?: string;
}) {
  const clamp = (v: number) => Math.max(0, Math.min(100, v));
  return (
    <div className="w-full">
      <div className="relative h-2.5 w-full overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800" role="img" aria-label={`canary weight: desired ${desired ?? 'n/a'} %, actual ${actual ?? 'n/a'} %`}>
        {actual !== null && <div className="absolute inset-y-0 left-0 bg-violet-500 transition-[width] duration-500" style={{ width: `${clamp(actual)}%` }} />}
        {desired !== null && <div className="absolute inset-y-0 w-0.5 bg-slate-900 dark:bg-white" style={{ left: `calc(${clamp(desired)}% - 1px)` }} />}
      </div>
      <div className="mt-1 flex justify-between text-xs tabular-nums text-slate-600 dark:text-slate-400">
        <span>
          desired <b data-testid={testIdPrefix ? `${testIdPrefix}-desired-weight` : undefined}>{desired === null ? '—' : `${desired}`}</b>
          {desired === null ? '' : ' %'}
        </span>
        <span>
          actual <b data-testid={testIdPrefix ? `${testIdPrefix}-actual-weight` : undefined}>{actual === null ? 'no data' : `${actual}`}</b>
          {actual === null ? '' : ' %'}
        </span>
      </div>
    </div>
  );
}
