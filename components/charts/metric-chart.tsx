'use client';

import { CartesianGrid, ComposedChart, Line, ReferenceLine, ResponsiveContainer, Scatter, Tooltip, XAxis, YAxis } from 'recharts';
import type { ChartPanel } from '@/lib/contracts/metrics';

const COLORS = { canary: '#8b5cf6', stable: '#10b981', value: '#0ea5e9' } as const;

function formatValue(unit: ChartPanel['unit'], v: number): string {
  if (unit === 'ratio') return `${(v * 100).toFixed(v < 0.01 ? 2 : 1)} %`;
  if (unit === 'ms') return `${Math.round(v)} ms`;
  if (unit === 'percent') return `${v.toFixed(1)} %`;
  if (unit === 'rps') return `${v.toFixed(1)}/s`;
  return Number(v.toPrecision(4)).toString();
}

const time = (t: number) => new Date(t * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/** One chart in one of four explicit states: loading, error, empty, data. Never draws missing data as 0. */
export function MetricChart({ panel, loading }: { panel: ChartPanel | null; loading?: boolean }) {
  const frame = 'h-56 rounded-lg border border-slate-200 p-3 dark:border-slate-800';
  if (loading || !panel) {
    return <div className={`${frame} animate-pulse bg-slate-100 dark:bg-slate-900`} data-chart-state="loading" aria-busy="true" />;
  }
  const header = (
    <div className="mb-1 flex items-baseline justify-between gap-2">
      <h3 className="text-sm font-medium">{panel.title}</h3>
      <span className="text-[0.65rem] uppercase text-slate-400">{panel.source === 'analysis' ? 'analysis query' : 'profile'}</span>
    </div>
  );
  if (panel.state !== 'data') {
    const text =
      panel.state === 'error'
        ? panel.error?.kind === 'unreachable'
          ? 'Prometheus unreachable'
          : panel.error?.kind === 'not-configured'
            ? 'Prometheus not configured'
            : `Query failed (${panel.error?.kind})`
        : 'No data for this window';
    return (
      <div className={frame} data-chart-state={panel.state} data-testid={`chart-${panel.id}`}>
        {header}
        <div className={`flex h-40 flex-col items-center justify-center text-center text-sm ${panel.state === 'error' ? 'text-rose-700 dark:text-rose-300' : 'text-slate-500'}`}>
          <p className="font-medium">{text}</p>
          {panel.error && <p className="mt-1 max-w-md truncate text-xs opacity-80" title={panel.error.message}>{panel.error.message}</p>}
        </div>
      </div>
    );
  }
  const rows = new Map<number, Record<string, number | null>>();
  for (const s of panel.series) for (const [t, v] of s.points) rows.set(t, { ...(rows.get(t) ?? { t }), [s.name]: v });
  for (const m of panel.measurements) rows.set(m.at, { ...(rows.get(m.at) ?? { t: m.at }), measurement: m.value });
  const data = [...rows.values()].sort((a, b) => (a.t ?? 0) - (b.t ?? 0));
  return (
    <div className={frame} data-chart-state="data" data-testid={`chart-${panel.id}`}>
      {header}
      <ResponsiveContainer width="100%" height={180}>
        <ComposedChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#94a3b833" />
          <XAxis dataKey="t" type="number" domain={['dataMin', 'dataMax']} tickFormatter={time} fontSize={10} />
          <YAxis fontSize={10} width={56} tickFormatter={(v: number) => formatValue(panel.unit, v)} />
          <Tooltip labelFormatter={(t) => new Date(Number(t) * 1000).toLocaleTimeString()} formatter={(v) => (typeof v === 'number' ? formatValue(panel.unit, v) : String(v))} />
          {panel.series.map((s) => (
            <Line key={s.name} dataKey={s.name} stroke={COLORS[s.role]} dot={false} strokeWidth={2} connectNulls={false} isAnimationActive={false} />
          ))}
          {panel.measurements.length > 0 && <Scatter dataKey="measurement" fill="#f59e0b" name="analysis measurement" isAnimationActive={false} />}
          {panel.markers.map((m) => (
            <ReferenceLine key={`${m.at}-${m.label}`} x={m.at} stroke="#64748b" strokeDasharray="2 4" label={{ value: m.label, fontSize: 9, position: 'insideTopLeft', fill: '#64748b' }} />
          ))}
          {panel.thresholds.map((th) => (
            <ReferenceLine key={th.label + th.value} y={th.value} stroke="#e11d48" strokeDasharray="6 3" label={{ value: th.label, fontSize: 10, position: 'insideTopRight', fill: '#e11d48' }} />
          ))}
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}

