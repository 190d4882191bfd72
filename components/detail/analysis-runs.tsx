import type { AnalysisSummary } from '@/lib/contracts/workload';
import { Ago } from '@/components/ui/time';

const PHASE_STYLE: Record<string, string> = {
  Successful: 'text-emerald-700 dark:text-emerald-300',
  Running: 'text-sky-700 dark:text-sky-300',
  Failed: 'text-rose-700 dark:text-rose-300',
  Error: 'text-rose-700 dark:text-rose-300',
  Inconclusive: 'text-amber-700 dark:text-amber-300',
};

export function AnalysisRuns({ runs }: { runs: AnalysisSummary[] }) {
  if (runs.length === 0) return <p className="text-sm text-slate-500">No analysis runs.</p>;
  return (
    <ul className="space-y-4">
      {runs.map((run) => (
        <li key={run.name} data-testid={`analysis-${run.name}`} className="rounded-lg border border-slate-200 p-3 dark:border-slate-800">
          <div className="flex flex-wrap items-baseline justify-between gap-2 text-sm">
            <span className="font-mono text-xs">{run.name}</span>
            <span>
              {run.kind} · <b className={PHASE_STYLE[run.phase] ?? ''}>{run.phase}</b> · <Ago iso={run.startedAt} />
            </span>
          </div>
          {run.message && <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">{run.message}</p>}
          <table className="mt-2 w-full text-xs">
            <thead className="text-left text-slate-500">
              <tr>
                <th className="py-1 pr-2">Metric</th>
                <th className="py-1 pr-2">Condition</th>
                <th className="py-1 pr-2">Phase</th>
                <th className="py-1 pr-2 text-right">✓ / ✗ / err</th>
                <th className="py-1">Last values</th>
              </tr>
            </thead>
            <tbody>
              {run.metrics.map((m) => (
                <tr key={m.name} className="border-t border-slate-100 align-top dark:border-slate-800">
                  <td className="py-1 pr-2 font-medium">{m.name}</td>
                  <td className="py-1 pr-2 font-mono">{m.successCondition ?? m.failureCondition ?? '—'}</td>
                  <td className={`py-1 pr-2 ${PHASE_STYLE[m.phase] ?? ''}`}>{m.phase}</td>
                  <td className="py-1 pr-2 text-right tabular-nums">
                    {m.successful} / {m.failed} / {m.errors}
                  </td>
                  <td className="py-1 font-mono">
                    {m.measurements
                      .slice(-5)
                      .map((x) => (x.value !== null ? shorten(x.value) : x.phase))
                      .join('  ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </li>
      ))}
    </ul>
  );
}

function shorten(value: string): string {
  const n = Number(value.replace(/^\[|\]$/g, ''));
  return Number.isFinite(n) ? String(Math.round(n * 10000) / 10000) : value.slice(0, 24);
}
