import 'server-only';
import type { ChartPanel, ChartSeries, Comparison, MetricsResponse, MetricsWindow } from '@/lib/contracts/metrics';
import type { WorkloadSummary } from '@/lib/contracts/workload';
import { parseThresholds, substituteArgs } from '@/lib/rollouts/conditions';
import type { AnalysisRunObject } from '@/lib/rollouts/objects';
import { allowedAddressesFromEnv, chooseAddress, clientFor, insteadNotice } from './addresses';
import type { CoalescingCache } from './cache';
import type { PrometheusClient, PrometheusError, Series } from './client';
import { desiredWeightHistory, weightMarkers } from './markers';
import { duration, rateWindowSeconds } from './promql';
import { profileByName, profileQueries } from './profiles';
import { alignRange } from './range';
import { sidesOf } from '@/lib/rollouts/labels';
import { currentRevision, nextRevision, releaseRevision, releaseRuns, windowStart } from './revision';
import { labelSeries, MAX_SERIES } from './series';

export interface ChartContext {
  client: PrometheusClient | null;
  cache: CoalescingCache<Series[]>;
  scrapeIntervalSeconds: number;
  defaultProfile?: string;
  /** Normalised Prometheus addresses an AnalysisTemplate may name besides the configured one (default: AVIARY_PROMETHEUS_ALLOWED_URLS). */
  allowedAddresses?: string[];
  /** Client for an allowed template address (tests pass their own). */
  clientFor?: (address: string) => PrometheusClient;
  now?: number;
}

type Role = ChartSeries['role'];

interface PanelSpec {
  id: string;
  title: string;
  unit: ChartPanel['unit'];
  source: ChartPanel['source'];
  query: string;
  /** Label whose values name the series (hash or service), or none: then every series is its own line. */
  splitBy?: string;
  roles?: Record<string, Role>;
  thresholds?: ChartPanel['thresholds'];
  measurements?: ChartPanel['measurements'];
  /** The AnalysisTemplate's own `provider.prometheus.address`, when it names one. */
  templateAddress?: string;
  /** Lines that do not come from Prometheus (the desired weight). */
  extraSeries?: ChartSeries[];
  /** The name of the line when the query returns a single series (default: the title). */
  lineName?: string;
  /** Said above the chart whatever Prometheus answers. */
  notices?: string[];
}

/** New vs current revision from the workload's metric profile (annotation, else the configured default). */
function profilePanels(w: WorkloadSummary, words: Comparison, rateWindow: string, defaultProfile: string, range: { start: number; end: number }): PanelSpec[] {
  const profile = profileByName(w.metricsProfile, profileByName(defaultProfile).name);
  const next = nextRevision(w);
  const current = currentRevision(w);
  const targets =
    profile.split.by === 'hash'
      ? { canary: next?.podTemplateHash ?? null, stable: current?.podTemplateHash ?? null }
      : { canary: next ? w.services.canary : null, stable: w.services.stable };
  const q = profileQueries(profile, w.namespace, targets, rateWindow);
  if (!q) return [];
  const roles: Record<string, Role> = {};
  if (targets.canary) roles[targets.canary] = words.next;
  if (targets.stable) roles[targets.stable] = words.current;
  const split = { splitBy: q.splitLabel, roles, source: 'profile' as const };
  const panels: PanelSpec[] = [
    { id: 'error-rate', title: `Error rate (5xx / all) · ${profile.name}`, unit: 'ratio', query: q.errorRate, ...split },
    { id: 'latency-p99', title: `p99 latency · ${profile.name}`, unit: 'ms', query: q.latencyP99, ...split },
    { id: 'success-rate', title: `Success rate (2xx / all) · ${profile.name}`, unit: 'ratio', query: q.successRate, ...split },
    { id: 'request-rate', title: `Requests per second · ${profile.name}`, unit: 'rps', query: q.requestRate, ...split },
  ];
  if (q.canaryShare && w.strategy === 'canary') {
    const desired = desiredWeightHistory(w, range.start, range.end);
    const gap = desired && !desired.complete && w.desiredWeight !== null
      ? `None of the Rollout's events left in the cluster says when the desired weight became ${w.desiredWeight} % (the controller's event recorder sends 25 events per rollout, then one every 5 minutes; the API server keeps events for an hour), so the dashed line stops at the last change they record.`
      : null;
    panels.push({
      id: 'traffic-share',
      title: 'Observed canary traffic share vs desired weight',
      unit: 'percent',
      source: 'profile',
      query: q.canaryShare,
      roles: {},
      lineName: 'observed canary share',
      extraSeries: desired ? [desired.series] : [],
      notices: gap ? [gap] : [],
    });
  }
  return panels;
}

/** The released revision's own analysis queries, args substituted: exactly what the controller judges. */
function analysisPanels(w: WorkloadSummary, runs: AnalysisRunObject[]): PanelSpec[] {
  const newest = runs[0];
  if (!newest) return [];
  const summary = w.analysisRuns.find((r) => r.name === newest.metadata.name);
  const panels: PanelSpec[] = [];
  for (const metric of newest.spec?.metrics ?? []) {
    const prometheus = (metric.provider as { prometheus?: { query?: string; address?: string } } | undefined)?.prometheus;
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
      templateAddress: prometheus.address,
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
// Duck-typed: Next may bundle this module and the client into separate chunks, so `instanceof` can miss.
const errorKind = (error: unknown) => (PROMETHEUS_ERROR_KINDS.has((error as { kind?: string }).kind ?? '') ? (error as PrometheusError).kind : 'server');

/** Prometheus series → chart lines: by revision role when the panel splits, else one per series (capped). */
export function toChartSeries(spec: Pick<PanelSpec, 'title' | 'splitBy' | 'roles' | 'lineName'>, result: Series[], max = MAX_SERIES): ChartSeries[] {
  const points = (s: Series) => s.values.map(([t, v]) => [t, finite(v)] as [number, number | null]);
  if (spec.splitBy) {
    const label = spec.splitBy;
    return result.map((s) => {
      const id = s.labels[label] ?? '';
      const role: Role = spec.roles?.[id] ?? 'value';
      return { name: role === 'value' ? id || spec.title : `${role} (${id})`, role, points: points(s) };
    });
  }
  return labelSeries(result, spec.lineName ?? spec.title, max).map(({ name, series }) => ({ name, role: 'value', points: points(series) }));
}

async function runPanel(spec: PanelSpec, ctx: ChartContext, range: { start: number; end: number; step: number; markers: ChartPanel['markers'] }): Promise<ChartPanel> {
  const notices: string[] = [...(spec.notices ?? [])];
  const base = {
    id: spec.id,
    title: spec.title,
    unit: spec.unit,
    source: spec.source,
    query: spec.query,
    thresholds: spec.thresholds ?? [],
    measurements: spec.measurements ?? [],
    markers: range.markers.filter((m) => m.at >= range.start && m.at <= range.end),
    notices,
  };
  const failed = (kind: string, message: string): ChartPanel => ({ ...base, state: 'error', error: { kind, message }, series: [], seriesTotal: 0 });
  const choice = chooseAddress(spec.templateAddress, ctx.client?.baseUrl ?? null, ctx.allowedAddresses ?? allowedAddressesFromEnv());
  const chosen = choice.use === 'template' ? (ctx.clientFor ?? clientFor)(choice.address) : ctx.client;
  if (choice.use === 'configured-instead') {
    if (ctx.client) console.warn(`[aviary] analysis chart: queried ${ctx.client.baseUrl} instead of the template's ${choice.address}: ${choice.reason}`);
    notices.push(ctx.client ? insteadNotice(choice.reason) : `This chart did not query the Prometheus the AnalysisTemplate names: ${choice.reason}.`);
  }
  if (!chosen) return failed('not-configured', 'Prometheus is not configured (AVIARY_PROMETHEUS_URL)');
  const load = (client: PrometheusClient) =>
    ctx.cache.get(`${client.baseUrl}|${spec.query}|${range.start}|${range.end}|${range.step}`, () => client.queryRange(spec.query, range.start, range.end, range.step));
  let result: Series[];
  try {
    result = await load(chosen);
  } catch (error) {
    const kind = errorKind(error);
    const fallback = choice.use === 'template' && ctx.client && (kind === 'unreachable' || kind === 'timeout') ? ctx.client : null;
    if (!fallback) return failed(kind, error instanceof Error ? error.message : String(error));
    console.warn(`[aviary] analysis chart: the template's Prometheus ${choice.use === 'template' ? choice.address : ''} failed (${kind}); queried ${fallback.baseUrl} instead`);
    notices.push(insteadNotice(kind === 'timeout' ? 'the template\'s Prometheus did not answer in time' : 'the template\'s Prometheus is unreachable'));
    try {
      result = await load(fallback);
    } catch (again) {
      return failed(errorKind(again), again instanceof Error ? again.message : String(again));
    }
  }
  const series = toChartSeries(spec, result);
  if (series.length < result.length) notices.push(`Showing ${series.length} of ${result.length} series: the ${series.length} that reach highest.`);
  const hasData = series.some((s) => s.points.some(([, v]) => v !== null));
  return { ...base, state: hasData ? 'data' : 'empty', error: null, series: [...series, ...(spec.extraSeries ?? [])], seriesTotal: result.length };
}

export async function workloadCharts(w: WorkloadSummary, runs: AnalysisRunObject[], window: MetricsWindow, ctx: ChartContext): Promise<MetricsResponse> {
  const now = ctx.now ?? Date.now() / 1000;
  const ownRuns = releaseRuns(w, runs);
  const range = alignRange(windowStart(w, runs, window, now), now, 500, 1);
  const rateWindow = duration(rateWindowSeconds(range.step, ctx.scrapeIntervalSeconds));
  const words = sidesOf(w);
  const specs = [...analysisPanels(w, ownRuns), ...profilePanels(w, words, rateWindow, ctx.defaultProfile ?? 'generic', range)];
  const markers = weightMarkers(w);
  const panels = await Promise.all(specs.map((spec) => runPanel(spec, ctx, { ...range, markers })));
  return {
    window: { name: window, start: range.start, end: range.end, step: range.step },
    prometheus: ctx.client ? 'configured' : 'not-configured',
    comparison: words,
    analysisRevision: releaseRevision(w)?.podTemplateHash ?? null,
    panels,
  };
}
