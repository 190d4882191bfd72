import 'server-only';
import type { ChartPanel, MetricsResponse, MetricsWindow } from '@/lib/contracts/metrics';
import type { WorkloadSummary } from '@/lib/contracts/workload';
import { parseThresholds, substituteArgs } from '@/lib/rollouts/conditions';
import type { AnalysisRunObject } from '@/lib/rollouts/objects';
import { CoalescingCache } from './cache';
import { PrometheusError, type PrometheusClient, type Series } from './client';
import { duration, escapeRegex, quote, rateWindowSeconds } from './promql';
import { alignRange } from './range';

const WINDOW_SECONDS: Record<Exclude<MetricsWindow, 'rollout'>, number> = { '15m': 900, '1h': 3600, '6h': 21600 };

export interface ChartContext {
  client: PrometheusClient | null;
  cache: CoalescingCache<Series[]>;
  scrapeIntervalSeconds: number;
  now?: number;
}

interface PanelSpec {
  id: string;
  title: string;
  unit: ChartPanel['unit'];
  source: ChartPanel['source'];
  query: string;
  /** Label whose values name the series (the pod-template hash), or none for one series. */
  splitBy?: string;
  roles?: Record<string, 'canary' | 'stable'>;
  thresholds?: ChartPanel['thresholds'];
  measurements?: ChartPanel['measurements'];
}

function windowStart(workload: WorkloadSummary, window: MetricsWindow, now: number): number {
  if (window !== 'rollout') return now - WINDOW_SECONDS[window];
  const started = workload.analysisRuns.map((r) => Date.parse(r.startedAt ?? '')).filter(Number.isFinite);
  const since = started.length ? Math.min(...started) / 1000 - 60 : now - 3600;
  return Math.max(now - 86400, Math.min(since, now - 300));
}

/** Generic profile (seed 002's metric names), canary vs stable split by pod-template hash. */
function profilePanels(w: WorkloadSummary, rateWindow: string): PanelSpec[] {
  const canary = w.revisions.find((r) => r.roles.includes('canary') || r.roles.includes('preview'));
  const stable = w.revisions.find((r) => r.roles.includes('stable') || r.roles.includes('active'));
  const hashes = [canary?.podTemplateHash, stable?.podTemplateHash].filter((h): h is string => Boolean(h));
  if (hashes.length === 0) return [];
  const roles: Record<string, 'canary' | 'stable'> = {};
  if (canary) roles[canary.podTemplateHash] = 'canary';
  if (stable) roles[stable.podTemplateHash] = 'stable';
  const match = `namespace=${quote(w.namespace)},rollouts_pod_template_hash=~${quote(hashes.map(escapeRegex).join('|'))}`;
  const by = 'sum by (rollouts_pod_template_hash)';
  const requests = `rate(http_requests_total{${match}}[${rateWindow}])`;
  const panels: PanelSpec[] = [
    {
      id: 'error-rate',
      title: 'Error rate (5xx / all)',
      unit: 'ratio',
      source: 'profile',
      query: `${by} (rate(http_requests_total{${match},status=~"5.."}[${rateWindow}])) / ${by} (${requests})`,
      splitBy: 'rollouts_pod_template_hash',
      roles,
    },
    {
      id: 'latency-p99',
      title: 'p99 latency',
      unit: 'ms',
      source: 'profile',
      query: `histogram_quantile(0.99, sum by (rollouts_pod_template_hash, le) (rate(http_request_duration_seconds_bucket{${match}}[${rateWindow}]))) * 1000`,
      splitBy: 'rollouts_pod_template_hash',
      roles,
    },
    {
      id: 'success-rate',
      title: 'Success rate (2xx / all)',
      unit: 'ratio',
      source: 'profile',
      query: `${by} (rate(http_requests_total{${match},status=~"2.."}[${rateWindow}])) / ${by} (${requests})`,
      splitBy: 'rollouts_pod_template_hash',
      roles,
    },
    { id: 'request-rate', title: 'Requests per second', unit: 'rps', source: 'profile', query: `${by} (${requests})`, splitBy: 'rollouts_pod_template_hash', roles },
  ];
  if (canary && w.strategy === 'canary') {
    panels.push({
      id: 'traffic-share',
      title: 'Observed canary traffic share vs desired weight',
      unit: 'percent',
      source: 'profile',
      query: `100 * sum(rate(http_requests_total{namespace=${quote(w.namespace)},rollouts_pod_template_hash=${quote(canary.podTemplateHash)}}[${rateWindow}])) / sum(${requests})`,
      thresholds: w.desiredWeight === null ? [] : [{ op: '==', value: w.desiredWeight, label: `desired ${w.desiredWeight} %` }],
    });
  }
  return panels;
}

/** The rollout's own analysis queries, args substituted: exactly what the controller judges. */
function analysisPanels(w: WorkloadSummary, runs: AnalysisRunObject[]): PanelSpec[] {
  const newest = runs
    .filter((r) => r.metadata.namespace === w.namespace && (r.metadata.ownerReferences ?? []).some((o) => o.kind === 'Rollout' && o.name === w.name))
    .sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''))[0];
  if (!newest) return [];
  const summary = w.analysisRuns.find((r) => r.name === newest.metadata.name);
  const panels: PanelSpec[] = [];
  for (const metric of newest.spec?.metrics ?? []) {
    const prometheus = (metric.provider as { prometheus?: { query?: string } } | undefined)?.prometheus;
    if (!prometheus?.query) continue;
    const { text, missing } = substituteArgs(prometheus.query, newest.spec?.args ?? []);
    if (missing.length > 0) continue;
    const measured = summary?.metrics.find((m) => m.name === metric.name)?.measurements ?? [];
    panels.push({
      id: `analysis-${metric.name}`,
      title: `Analysis: ${metric.name}`,
      unit: 'value',
      source: 'analysis',
      query: text.trim(),
      thresholds: [
        ...parseThresholds(metric.successCondition).map((t) => ({ ...t, label: `success: ${metric.successCondition}` })),
        ...parseThresholds(metric.failureCondition).map((t) => ({ ...t, label: `failure: ${metric.failureCondition}` })),
      ],
      measurements: measured
        .map((m) => ({ at: Date.parse(m.finishedAt ?? m.startedAt ?? '') / 1000, value: Number((m.value ?? '').replace(/^\[|\]$/g, '')), phase: m.phase }))
        .filter((m) => Number.isFinite(m.at) && Number.isFinite(m.value)),
    });
  }
  return panels;
}

const finite = (v: number) => (Number.isFinite(v) ? v : null);
const PROMETHEUS_ERROR_KINDS = new Set(['unreachable', 'timeout', 'bad-query', 'server']);

async function runPanel(spec: PanelSpec, ctx: ChartContext, range: { start: number; end: number; step: number }): Promise<ChartPanel> {
  const base = { id: spec.id, title: spec.title, unit: spec.unit, source: spec.source, query: spec.query, thresholds: spec.thresholds ?? [], measurements: spec.measurements ?? [] };
  if (!ctx.client) return { ...base, state: 'error', error: { kind: 'not-configured', message: 'Prometheus is not configured (AVIARY_PROMETHEUS_URL)' }, series: [] };
  const client = ctx.client;
  try {
    const key = `${spec.query}|${range.start}|${range.end}|${range.step}`;
    const result = await ctx.cache.get(key, () => client.queryRange(spec.query, range.start, range.end, range.step));
    const series = result.map((s) => {
      const id = spec.splitBy ? (s.labels[spec.splitBy] ?? '') : '';
      const role: 'canary' | 'stable' | 'value' = spec.roles?.[id] ?? 'value';
      return { name: role === 'value' ? spec.title : `${role} (${id})`, role, points: s.values.map(([t, v]) => [t, finite(v)] as [number, number | null]) };
    });
    const hasData = series.some((s) => s.points.some(([, v]) => v !== null));
    return { ...base, state: hasData ? 'data' : 'empty', error: null, series };
  } catch (error) {
    // Duck-typed: Next may bundle this module and the client into separate chunks, so `instanceof` can miss.
    const kind = PROMETHEUS_ERROR_KINDS.has((error as { kind?: string }).kind ?? '') ? (error as PrometheusError).kind : 'server';
    return { ...base, state: 'error', error: { kind, message: error instanceof Error ? error.message : String(error) }, series: [] };
  }
}

export async function workloadCharts(w: WorkloadSummary, runs: AnalysisRunObject[], window: MetricsWindow, ctx: ChartContext): Promise<MetricsResponse> {
  const now = ctx.now ?? Date.now() / 1000;
  const range = alignRange(windowStart(w, window, now), now, 500, 1);
  const rateWindow = duration(rateWindowSeconds(range.step, ctx.scrapeIntervalSeconds));
  const specs = [...analysisPanels(w, runs), ...profilePanels(w, rateWindow)];
  const panels = await Promise.all(specs.map((spec) => runPanel(spec, ctx, range)));
  return { window: { name: window, ...range }, prometheus: ctx.client ? 'configured' : 'not-configured', panels };
}
