import 'server-only';
import type { ChartPanel, MetricsResponse, MetricsWindow } from '@/lib/contracts/metrics';
import type { WorkloadSummary } from '@/lib/contracts/workload';
import { parseThresholds, substituteArgs } from '@/lib/rollouts/conditions';
import type { AnalysisRunObject } from '@/lib/rollouts/objects';
import { CoalescingCache } from './cache';
import { PrometheusError, type PrometheusClient, type Series } from './client';
import { duration, rateWindowSeconds } from './promql';
import { profileByName, profileQueries } from './profiles';
import { alignRange } from './range';

const WINDOW_SECONDS: Record<Exclude<MetricsWindow, 'rollout'>, number> = { '15m': 900, '1h': 3600, '6h': 21600 };

export interface ChartContext {
  client: PrometheusClient | null;
  cache: CoalescingCache<Series[]>;
  scrapeIntervalSeconds: number;
  defaultProfile?: string;
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

/** Canary vs stable from the workload's metric profile (annotation, else the configured default). */
function profilePanels(w: WorkloadSummary, rateWindow: string, defaultProfile: string): PanelSpec[] {
  const profile = profileByName(w.metricsProfile, profileByName(defaultProfile).name);
  const canaryRevision = w.revisions.find((r) => r.roles.includes('canary') || r.roles.includes('preview'));
  const stableRevision = w.revisions.find((r) => r.roles.includes('stable') || r.roles.includes('active'));
  const targets =
    profile.split.by === 'hash'
      ? { canary: canaryRevision?.podTemplateHash ?? null, stable: stableRevision?.podTemplateHash ?? null }
      : { canary: canaryRevision ? w.services.canary : null, stable: w.services.stable };
  const q = profileQueries(profile, w.namespace, targets, rateWindow);
  if (!q) return [];
  const roles: Record<string, 'canary' | 'stable'> = {};
  if (targets.canary) roles[targets.canary] = 'canary';
  if (targets.stable) roles[targets.stable] = 'stable';
  const split = { splitBy: q.splitLabel, roles, source: 'profile' as const };
  const panels: PanelSpec[] = [
    { id: 'error-rate', title: `Error rate (5xx / all) · ${profile.name}`, unit: 'ratio', query: q.errorRate, ...split },
    { id: 'latency-p99', title: `p99 latency · ${profile.name}`, unit: 'ms', query: q.latencyP99, ...split },
    { id: 'success-rate', title: `Success rate (2xx / all) · ${profile.name}`, unit: 'ratio', query: q.successRate, ...split },
    { id: 'request-rate', title: `Requests per second · ${profile.name}`, unit: 'rps', query: q.requestRate, ...split },
  ];
  if (q.canaryShare && w.strategy === 'canary') {
    panels.push({
      id: 'traffic-share',
      title: 'Observed canary traffic share vs desired weight',
      unit: 'percent',
      source: 'profile',
      query: q.canaryShare,
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

async function runPanel(
  spec: PanelSpec,
  ctx: ChartContext,
  range: { start: number; end: number; step: number; markers?: ChartPanel['markers'] },
): Promise<ChartPanel> {
  const base = {
    id: spec.id,
    title: spec.title,
    unit: spec.unit,
    source: spec.source,
    query: spec.query,
    thresholds: spec.thresholds ?? [],
    measurements: spec.measurements ?? [],
    markers: (range.markers ?? []).filter((m) => m.at >= range.start && m.at <= range.end),
  };
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

/** The controller's own events say when it changed the weight or finished a step. */
export function weightMarkers(w: WorkloadSummary): ChartPanel['markers'] {
  return w.events
    .filter((e) => e.reason === 'TrafficWeightUpdated' || e.reason === 'RolloutStepCompleted' || e.reason === 'SwitchService')
    .map((e) => ({ at: Date.parse(e.lastSeen ?? '') / 1000, label: e.message.replace(/^Rollout step (\d+\/\d+) completed.*$/, 'step $1').replace(/^Traffic weight updated from \d+ to (\d+)$/, '→ $1 %') }))
    .filter((m) => Number.isFinite(m.at))
    .sort((a, b) => a.at - b.at);
}

export async function workloadCharts(w: WorkloadSummary, runs: AnalysisRunObject[], window: MetricsWindow, ctx: ChartContext): Promise<MetricsResponse> {
  const now = ctx.now ?? Date.now() / 1000;
  const range = alignRange(windowStart(w, window, now), now, 500, 1);
  const rateWindow = duration(rateWindowSeconds(range.step, ctx.scrapeIntervalSeconds));
  const specs = [...analysisPanels(w, runs), ...profilePanels(w, rateWindow, ctx.defaultProfile ?? 'generic')];
  const markers = weightMarkers(w);
  const panels = await Promise.all(specs.map((spec) => runPanel(spec, ctx, { ...range, markers })));
  return { window: { name: window, ...range }, prometheus: ctx.client ? 'configured' : 'not-configured', panels };
}
