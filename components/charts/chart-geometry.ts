import type { ChartPanel, ChartSeries } from '@/lib/contracts/metrics';

/**
 * Pure geometry for the metric charts: the y domain, which step markers get a label, and where a
 * threshold label sits. Kept apart from the JSX so each rule has a unit test.
 */

/** A ratio can never pass 1 (100 %), a percentage never 100: a domain beyond that misreads as a disaster. */
const CEILING: Partial<Record<ChartPanel['unit'], number>> = { ratio: 1, percent: 100 };
/** With nothing above zero, still show a sensible scale instead of a flat line at the top. */
const EMPTY_TOP: Record<ChartPanel['unit'], number> = { ratio: 0.01, percent: 1, ms: 100, rps: 1, value: 1 };

/** The smallest 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k at or above `v`: axis ends people can read. */
export function niceCeil(v: number): number {
  if (!(v > 0)) return 0;
  const magnitude = 10 ** Math.floor(Math.log10(v));
  const nice = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].map((m) => m * magnitude).find((n) => n >= v * (1 - 1e-9)) ?? 10 * magnitude;
  return Number(nice.toPrecision(12));
}

export function yDomain(panel: Pick<ChartPanel, 'unit' | 'series' | 'thresholds' | 'measurements'>): [number, number] {
  const values = [
    ...panel.series.flatMap((s) => s.points.map(([, v]) => v)),
    ...panel.measurements.map((m) => m.value),
    ...panel.thresholds.map((t) => t.value),
  ].filter((v): v is number => v !== null && Number.isFinite(v));
  const max = values.length ? Math.max(...values) : 0;
  const min = values.length ? Math.min(...values) : 0;
  const ceiling = CEILING[panel.unit] ?? Infinity;
  const top = max > 0 ? Math.min(niceCeil(max * 1.1), ceiling) : EMPTY_TOP[panel.unit];
  const bottom = min < 0 ? Math.max(-niceCeil(-min * 1.1), -ceiling) : 0;
  return [bottom, top];
}

/** The smallest 1, 2, 2.5 or 5 × 10^k step that cuts `span` into at most `maxIntervals` pieces. */
export function niceStep(span: number, maxIntervals = 5): number {
  if (!(span > 0)) return 1;
  const raw = span / maxIntervals;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((n) => n >= raw * (1 - 1e-9)) ?? 10 * magnitude;
  return Number(step.toPrecision(12));
}

/**
 * The y axis: `yDomain` widened to whole steps, and a tick at every step, so the ticks are evenly
 * spaced and both ends are labelled (0, 10, 20 … 50/s — never 0, 15, 30, 50).
 */
export function yAxis(panel: Pick<ChartPanel, 'unit' | 'series' | 'thresholds' | 'measurements'>): { domain: [number, number]; ticks: number[] } {
  const [low, high] = yDomain(panel);
  const step = niceStep(high - low);
  const round = (v: number) => Number(v.toPrecision(12));
  const ceiling = CEILING[panel.unit] ?? Infinity;
  const bottom = Math.max(round(Math.floor(round(low / step)) * step), -ceiling);
  const top = Math.min(round(Math.ceil(round(high / step)) * step), ceiling);
  const ticks: number[] = [];
  for (let i = 0; bottom + i * step <= top * (1 + 1e-9) + 1e-12; i++) ticks.push(round(bottom + i * step));
  return { domain: [bottom, top], ticks };
}

/** Clock steps for the time axis, in seconds. */
const TIME_STEPS = [5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

/**
 * Time-axis ticks on round clock times (every 30 s, 1 min, 5 min, …) as many as fit `widthPx`
 * with labels `labelPx` wide, none whose label would stick out past the plot's right edge by more
 * than `rightRoomPx`. `withSeconds` says the labels need seconds (steps under a minute).
 */
export function timeTicks(domain: [number, number], widthPx: number, labelPx = 64, rightRoomPx = 8): { ticks: number[]; withSeconds: boolean } {
  const span = domain[1] - domain[0];
  if (!(span > 0)) return { ticks: [domain[0]], withSeconds: false };
  const width = widthPx > 0 ? widthPx : 300;
  const fits = (step: number) => (span / step) * (labelPx + (step < 60 ? 16 : 0)) <= width;
  const step = TIME_STEPS.find(fits) ?? Math.ceil(span / Math.max(1, Math.floor(width / labelPx)));
  // Whole steps of local clock time (the timezone offset matters once a step is an hour or more).
  const offset = -new Date(domain[0] * 1000).getTimezoneOffset() * 60;
  const first = Math.ceil((domain[0] + offset) / step) * step - offset;
  const ticks: number[] = [];
  const x = (t: number) => ((t - domain[0]) / span) * width;
  const half = (labelPx + (step < 60 ? 16 : 0)) / 2;
  for (let t = first; t <= domain[1]; t += step) if (x(t) + half <= width + rightRoomPx) ticks.push(t);
  return { ticks, withSeconds: step < 60 };
}

export interface PlacedMarker {
  at: number;
  label: string;
  /** Every merged event in full, for the title (hover) text. */
  detail: string;
  showLabel: boolean;
}

export interface MarkerLayout {
  /** Markers closer than this many pixels become one. */
  minGapPx: number;
  /** Rough width of one label character at the label's font size. */
  charPx: number;
  /** Free space required between two labels. */
  padPx: number;
}

const DEFAULT_LAYOUT: MarkerLayout = { minGapPx: 24, charPx: 5.2, padPx: 6 };
const clock = (t: number) => new Date(t * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/**
 * Thins the controller's step/weight markers for a plot `widthPx` wide: markers closer than
 * `minGapPx` merge into one (labelled by the last weight, "+n" for the others), and a label is drawn
 * only where it fits before the next label and inside the plot. The full text stays available.
 */
export function thinMarkers(markers: ChartPanel['markers'], domain: [number, number], widthPx: number, layout: Partial<MarkerLayout> = {}): PlacedMarker[] {
  const { minGapPx, charPx, padPx } = { ...DEFAULT_LAYOUT, ...layout };
  const span = domain[1] - domain[0];
  if (!(span > 0) || markers.length === 0) return [];
  const x = (t: number) => ((t - domain[0]) / span) * widthPx;
  const sorted = [...markers].filter((m) => m.at >= domain[0] && m.at <= domain[1]).sort((a, b) => a.at - b.at);
  const groups: ChartPanel['markers'][] = [];
  for (const m of sorted) {
    const group = groups.at(-1);
    if (group && x(m.at) - x(group[0].at) < minGapPx) group.push(m);
    else groups.push([m]);
  }
  let freeFrom = -Infinity;
  return groups.map((group) => {
    // The weight a burst of events ended at says most; else the latest step.
    const latest = group.findLast((m) => m.label.startsWith('→')) ?? group[group.length - 1];
    const label = group.length > 1 ? `${latest.label} +${group.length - 1}` : latest.label;
    const left = x(group[0].at);
    const right = left + 3 + label.length * charPx;
    const showLabel = widthPx > 0 && left >= freeFrom && right <= widthPx;
    if (showLabel) freeFrom = right + padPx;
    return { at: group[0].at, label, detail: group.map((m) => `${clock(m.at)} ${m.detail}`).join('\n'), showLabel };
  });
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * A threshold's label: inside the plot, right-aligned to its right edge, just above the line — or
 * just below it when the line runs along the top — on a background so grid and data stay behind it.
 */
export function thresholdLabelBox(line: { x: number; y: number; width: number }, plotTop: number, textWidth: number, textHeight = 12): { text: { x: number; y: number }; background: Box } {
  const pad = 3;
  const above = line.y - pad - textHeight >= plotTop;
  const top = above ? line.y - pad - textHeight : line.y + pad;
  const right = line.x + line.width - pad;
  const width = Math.min(textWidth + 2 * pad, line.width - 2 * pad);
  return { text: { x: right - pad, y: top + textHeight - 3 }, background: { x: right - width, y: top, width, height: textHeight } };
}

const ROLE_COLORS: Record<Exclude<ChartSeries['role'], 'value'>, string> = {
  canary: '#8b5cf6',
  preview: '#8b5cf6',
  stable: '#10b981',
  active: '#10b981',
  desired: '#f97316',
};
/** Distinct from the roles, the threshold red and the measurement amber. */
const PALETTE = ['#0ea5e9', '#64748b', '#d946ef', '#84cc16', '#0d9488', '#6366f1', '#ca8a04', '#be123c'];

export function seriesColors(series: ChartSeries[]): string[] {
  let next = 0;
  return series.map((s) => (s.role === 'value' ? PALETTE[next++ % PALETTE.length] : ROLE_COLORS[s.role]));
}

/**
 * The query's step: the smallest distance between two samples of the sampled series (Prometheus
 * answers a range query on a step grid). The desired-weight line is made of change events, off grid.
 */
function sampleStep(series: ChartPanel['series']): number | null {
  let step = Infinity;
  for (const s of series) {
    if (s.role === 'desired') continue;
    for (let i = 1; i < s.points.length; i++) step = Math.min(step, s.points[i][0] - s.points[i - 1][0]);
  }
  return Number.isFinite(step) && step > 0 ? step : null;
}

/**
 * One row per timestamp for recharts; a series without a sample there stays undefined (a gap), never 0.
 * Prometheus leaves out the steps where a series has no sample; where a series skips steps, a null is
 * put one step after its last sample, so the line breaks there instead of joining the gap with a
 * diagonal (an outage of every series at once leaves no row for recharts to break at otherwise).
 */
export function chartRows(panel: Pick<ChartPanel, 'series' | 'measurements'>): Record<string, number | null>[] {
  const rows = new Map<number, Record<string, number | null>>();
  const row = (t: number) => rows.get(t) ?? rows.set(t, { t }).get(t) ?? { t };
  const step = sampleStep(panel.series);
  panel.series.forEach((s, i) => {
    const key = `s${i}`;
    s.points.forEach(([t, v], j) => {
      const previous = j > 0 ? s.points[j - 1][0] : null;
      if (step !== null && s.role !== 'desired' && previous !== null && t - previous > 1.5 * step) {
        const after = row(previous + step);
        if (after[key] === undefined) after[key] = null;
      }
      row(t)[key] = v;
    });
  });
  for (const m of panel.measurements) row(m.at).measurement = m.value;
  return [...rows.values()].sort((a, b) => (a.t ?? 0) - (b.t ?? 0));
}
