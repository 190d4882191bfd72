'use client';

import { useEffect, useRef, useState } from 'react';
import { CartesianGrid, ComposedChart, Line, ReferenceLine, ResponsiveContainer, Scatter, Tooltip, XAxis, YAxis } from 'recharts';
import { chartRows, seriesColors, thinMarkers, timeTicks, yAxis } from '@/components/charts/chart-geometry';
import { MarkerLabel, ThresholdLabel } from '@/components/charts/chart-labels';
import type { ChartPanel } from '@/lib/contracts/metrics';

export function formatValue(unit: ChartPanel['unit'], v: number): string {
  if (unit === 'ratio') return `${(v * 100).toFixed(v !== 0 && Math.abs(v) < 0.01 ? 2 : 1)} %`;
  if (unit === 'ms') return `${Math.round(v)} ms`;
  if (unit === 'percent') return `${v.toFixed(1)} %`;
  if (unit === 'rps') return `${v.toFixed(1)}/s`;
  return Number(v.toPrecision(4)).toString();
}

/** Axis ticks: short, no trailing zeros, so "100 %" fits the axis instead of wrapping. */
function formatTick(unit: ChartPanel['unit'], v: number): string {
  const short = (n: number) => String(Number(n.toPrecision(3)));
  if (unit === 'ratio') return `${short(v * 100)} %`;
  if (unit === 'percent') return `${short(v)} %`;
  if (unit === 'ms') return `${short(v)} ms`;
  if (unit === 'rps') return `${short(v)}/s`;
  return short(v);
}

const time = (t: number) => new Date(t * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
const timeWithSeconds = (t: number) => new Date(t * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const Y_AXIS_WIDTH = 56;
const MARGIN = { top: 10, right: 8, bottom: 0, left: 0 };

export function stateText(panel: ChartPanel): string {
  if (panel.state === 'empty') return 'No data for this window';
  if (panel.error?.kind === 'unreachable') return 'Prometheus unreachable';
  if (panel.error?.kind === 'timeout') return 'Prometheus did not answer in time';
  if (panel.error?.kind === 'not-configured') return 'Prometheus not configured';
  return `Query failed (${panel.error?.kind ?? 'unknown'})`;
}

/** The chart's width in pixels, so marker labels are thinned for the space they really have. */
function useWidth(): [React.RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement | null>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => setWidth(Math.round(entry.contentRect.width)));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

function Header({ panel }: { panel: ChartPanel }) {
  return (
    <>
      <div className="mb-1 flex items-baseline justify-between gap-2">
        <h3 className="min-w-0 truncate text-sm font-medium" title={panel.title}>{panel.title}</h3>
        <span className="shrink-0 text-[0.65rem] uppercase text-slate-500 dark:text-slate-400">{panel.source === 'analysis' ? 'analysis query' : 'profile'}</span>
      </div>
      {panel.notices.map((n) => (
        <p key={n} className="mb-1 text-xs text-amber-800 dark:text-amber-300" data-testid="chart-notice">{n}</p>
      ))}
    </>
  );
}

/** The time span every chart of a response shares (seconds since epoch), so their x axes line up. */
export interface ChartWindow {
  start: number;
  end: number;
}

/** One chart in one of four explicit states: loading, error, empty, data. Never draws missing data as 0. */
export function MetricChart({ panel, loading, range }: { panel: ChartPanel | null; loading?: boolean; range?: ChartWindow }) {
  const frame = 'min-h-56 min-w-0 rounded-lg border border-slate-200 p-3 dark:border-slate-800';
  if (loading || !panel) {
    return <div className={`${frame} animate-pulse bg-slate-100 dark:bg-slate-900`} data-chart-state="loading" aria-busy="true" aria-label="Loading chart" />;
  }
  if (panel.state !== 'data') {
    return (
      <div className={frame} data-chart-state={panel.state} data-testid={`chart-${panel.id}`}>
        <Header panel={panel} />
        <div className={`flex h-40 flex-col items-center justify-center text-center text-sm ${panel.state === 'error' ? 'text-rose-700 dark:text-rose-300' : 'text-slate-500 dark:text-slate-400'}`}>
          <p className="font-medium">{stateText(panel)}</p>
          {panel.error && <p className="mt-1 max-w-full truncate text-xs opacity-80" title={panel.error.message}>{panel.error.message}</p>}
        </div>
      </div>
    );
  }
  return <DataChart panel={panel} frame={frame} range={range} />;
}

function DataChart({ panel, frame, range }: { panel: ChartPanel; frame: string; range?: ChartWindow }) {
  const [ref, width] = useWidth();
  const data = chartRows(panel);
  const colors = seriesColors(panel.series);
  const times = data.map((r) => r.t ?? 0);
  // The response's window, not the data's extent: a canary that started a minute ago sits at the
  // right of its chart, under the same clock times as the charts beside it.
  const xDomain: [number, number] = range && range.end > range.start ? [range.start, range.end] : [Math.min(...times), Math.max(...times)];
  const plotWidth = Math.max(0, width - Y_AXIS_WIDTH - MARGIN.right);
  const markers = thinMarkers(panel.markers, xDomain, plotWidth);
  const x = timeTicks(xDomain, plotWidth, 64, MARGIN.right);
  const y = yAxis(panel);
  const showLegend = panel.series.length > 1;
  return (
    <div className={frame} data-chart-state="data" data-testid={`chart-${panel.id}`}>
      <Header panel={panel} />
      <div ref={ref} className="h-[180px] w-full">
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={data} margin={MARGIN}>
            <CartesianGrid strokeDasharray="3 3" stroke="#94a3b833" />
            <XAxis dataKey="t" type="number" domain={xDomain} allowDataOverflow ticks={x.ticks} interval={0} tickFormatter={x.withSeconds ? timeWithSeconds : time} fontSize={10} stroke="#94a3b8" />
            <YAxis fontSize={10} width={Y_AXIS_WIDTH} domain={y.domain} ticks={y.ticks} interval={0} allowDataOverflow stroke="#94a3b8" tickFormatter={(v: number) => formatTick(panel.unit, v)} />
            <Tooltip
              labelFormatter={(t) => new Date(Number(t) * 1000).toLocaleTimeString()}
              formatter={(v, key) => [typeof v === 'number' ? formatValue(panel.unit, v) : String(v), panel.series[Number(String(key).slice(1))]?.name ?? String(key)]}
              contentStyle={{ fontSize: 11 }}
            />
            {panel.series.map((s, i) => (
              <Line
                key={s.name}
                dataKey={`s${i}`}
                name={s.name}
                type={s.role === 'desired' ? 'stepAfter' : 'linear'}
                stroke={colors[i]}
                strokeDasharray={s.role === 'desired' ? '6 3' : undefined}
                dot={false}
                strokeWidth={2}
                connectNulls={s.role === 'desired'}
                isAnimationActive={false}
              />
            ))}
            {panel.measurements.length > 0 && <Scatter dataKey="measurement" fill="#f59e0b" name="analysis measurement" isAnimationActive={false} />}
            {markers.map((m) => (
              <ReferenceLine key={m.at} x={m.at} stroke="#64748b" strokeDasharray="2 4" label={<MarkerLabel text={m.label} detail={m.detail} show={m.showLabel} />} />
            ))}
            {panel.thresholds.map((th) => (
              <ReferenceLine key={th.label + th.value} y={th.value} stroke="#e11d48" strokeDasharray="6 3" label={<ThresholdLabel text={th.label} plotTop={MARGIN.top} />} />
            ))}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      {showLegend && (
        <ul className="mt-1 flex flex-wrap gap-x-3 gap-y-0.5 text-[0.7rem] text-slate-600 dark:text-slate-300" aria-label="Series">
          {panel.series.map((s, i) => (
            <li key={s.name} className="flex min-w-0 max-w-full items-center gap-1" title={s.name}>
              <span aria-hidden className="inline-block h-0.5 w-3 shrink-0" style={{ background: colors[i] }} />
              <span className="truncate">{s.name}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
