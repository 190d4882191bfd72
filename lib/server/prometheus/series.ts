import 'server-only';
import type { Series } from './client';

/** More lines than this are unreadable in a 180 px chart; the chart says how many it left out. */
export const MAX_SERIES = 8;

/** Labels whose values differ between the series: the only ones worth a legend entry. */
export function distinguishingLabels(series: Series[]): string[] {
  const keys = new Set(series.flatMap((s) => Object.keys(s.labels)));
  return [...keys].filter((k) => new Set(series.map((s) => s.labels[k] ?? '')).size > 1).sort();
}

export function seriesName(labels: Record<string, string>, keys: string[]): string {
  return keys.map((k) => `${k}="${labels[k] ?? ''}"`).join(', ');
}

const peak = (s: Series) => s.values.reduce((m, [, v]) => (Number.isFinite(v) && v > m ? v : m), -Infinity);

/**
 * One line per series of an analysis query, named by what tells them apart. Beyond `max` series,
 * keeps those that reach highest (the ones a failing threshold is about), listed by name so
 * colours stay put between refreshes.
 */
export function labelSeries(series: Series[], fallbackName: string, max = MAX_SERIES): { name: string; series: Series }[] {
  const keys = distinguishingLabels(series);
  const named = series.map((s, i) => ({ name: series.length === 1 ? fallbackName : seriesName(s.labels, keys) || `series ${i + 1}`, series: s }));
  const kept = named.length > max ? [...named].sort((a, b) => peak(b.series) - peak(a.series)).slice(0, max) : named;
  return kept.sort((a, b) => a.name.localeCompare(b.name));
}
