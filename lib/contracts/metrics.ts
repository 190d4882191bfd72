import { z } from 'zod';

export const MetricsWindow = z.enum(['rollout', '15m', '1h', '6h']);
export type MetricsWindow = z.infer<typeof MetricsWindow>;

/**
 * What a series is: the new or old revision in the strategy's own words (canary/stable for a
 * canary, preview/active for blue-green), one series of an analysis query, or the desired weight
 * (drawn as a step line).
 */
export const SeriesRole = z.enum(['canary', 'stable', 'preview', 'active', 'value', 'desired']);
export type SeriesRole = z.infer<typeof SeriesRole>;

export const ChartSeries = z.object({
  name: z.string(),
  role: SeriesRole,
  points: z.array(z.tuple([z.number(), z.number().nullable()])),
});
export type ChartSeries = z.infer<typeof ChartSeries>;

export const ChartPanel = z.object({
  id: z.string(),
  title: z.string(),
  unit: z.enum(['ratio', 'ms', 'rps', 'percent', 'value']),
  /** Where the query comes from: the rollout's own analysis (what the controller judges) or a profile. */
  source: z.enum(['analysis', 'profile']),
  query: z.string(),
  state: z.enum(['data', 'empty', 'error']),
  error: z.object({ kind: z.string(), message: z.string() }).nullable(),
  series: z.array(ChartSeries),
  /** How many series the query returned; more than `series.length` when the chart shows only the first few. */
  seriesTotal: z.number().int(),
  thresholds: z.array(z.object({ op: z.string(), value: z.number(), label: z.string() })),
  measurements: z.array(z.object({ at: z.number(), value: z.number(), phase: z.string() })),
  /** Where the weight or step changed (seconds since epoch): vertical markers. */
  markers: z.array(z.object({ at: z.number(), label: z.string(), detail: z.string() })),
  /** Things the reader must know to read the chart right (another Prometheus was asked, series were capped). */
  notices: z.array(z.string()),
});
export type ChartPanel = z.infer<typeof ChartPanel>;

/** The words for the two revisions being compared: canary vs stable, or preview vs active (blue-green). */
export const Comparison = z.object({ next: z.enum(['canary', 'preview']), current: z.enum(['stable', 'active']) });
export type Comparison = z.infer<typeof Comparison>;

export const MetricsResponse = z.object({
  window: z.object({ name: MetricsWindow, start: z.number(), end: z.number(), step: z.number() }),
  prometheus: z.enum(['configured', 'not-configured']),
  comparison: Comparison,
  /** The revision whose AnalysisRuns the analysis charts show (the current canary/preview or updated one). */
  analysisRevision: z.string().nullable(),
  panels: z.array(ChartPanel),
});
export type MetricsResponse = z.infer<typeof MetricsResponse>;

export const Sparklines = z.object({
  state: z.enum(['data', 'error']),
  error: z.string().nullable(),
  byId: z.record(z.string(), z.object({ role: z.enum(['canary', 'stable', 'preview', 'active']), points: z.array(z.tuple([z.number(), z.number().nullable()])) })),
});
export type Sparklines = z.infer<typeof Sparklines>;
