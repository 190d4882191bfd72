import { z } from 'zod';

export const MetricsWindow = z.enum(['rollout', '15m', '1h', '6h']);
export type MetricsWindow = z.infer<typeof MetricsWindow>;

export const ChartSeries = z.object({
  name: z.string(),
  role: z.enum(['canary', 'stable', 'value']),
  points: z.array(z.tuple([z.number(), z.number().nullable()])),
});

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
  thresholds: z.array(z.object({ op: z.string(), value: z.number(), label: z.string() })),
  measurements: z.array(z.object({ at: z.number(), value: z.number(), phase: z.string() })),
  /** Where the weight or step changed (seconds since epoch): vertical markers. */
  markers: z.array(z.object({ at: z.number(), label: z.string() })),
});
export type ChartPanel = z.infer<typeof ChartPanel>;

export const MetricsResponse = z.object({
  window: z.object({ name: MetricsWindow, start: z.number(), end: z.number(), step: z.number() }),
  prometheus: z.enum(['configured', 'not-configured']),
  panels: z.array(ChartPanel),
});
export type MetricsResponse = z.infer<typeof MetricsResponse>;

export const Sparklines = z.object({
  state: z.enum(['data', 'error']),
  error: z.string().nullable(),
  byId: z.record(z.string(), z.object({ role: z.enum(['canary', 'stable']), points: z.array(z.tuple([z.number(), z.number().nullable()])) })),
});
export type Sparklines = z.infer<typeof Sparklines>;
