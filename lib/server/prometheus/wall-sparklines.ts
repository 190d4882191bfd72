import 'server-only';
import type { WallMetric, WallSide, WallSparklines, WallThreshold } from '@/lib/contracts/kiosk';
import type { WorkloadSummary } from '@/lib/contracts/workload';
import { parseThresholds } from '@/lib/rollouts/conditions';
import { sidesOf } from '@/lib/rollouts/labels';
import type { CoalescingCache } from './cache';
import type { PrometheusClient, Series } from './client';
import { cachedRangeQuery, groupByProfile, seriesByTarget } from './by-profile';
import { errorRateByTarget, latencyP99ByTarget, type Profile } from './profiles';
import { duration, rateWindowSeconds } from './promql';
import { alignRange } from './range';
import { currentRevision, nextRevision, releaseRevision } from './revision';

type Metric = 'errorRate' | 'latencyP99';

/** One side a tile draws: which series (namespace/target) it reads and what the side is called. */
export interface TileSide {
  role: WallSide['role'];
  key: string;
}

/**
 * The sides a tile compares: the new revision (canary / preview) against the current one (stable /
 * active) while a release is in flight; a settled rollout shows its current side only. Targets are
 * pod-template hashes or the Kubernetes services, as the workload's metric profile splits traffic.
 */
export function tileSides(w: Pick<WorkloadSummary, 'strategy' | 'namespace' | 'revisions' | 'services'>, profile: Profile): TileSide[] {
  const words = sidesOf(w);
  const next = nextRevision(w as WorkloadSummary);
  const current = currentRevision(w as WorkloadSummary);
  const byHash = profile.split.by === 'hash';
  const sides: TileSide[] = [];
  const nextTarget = next ? (byHash ? next.podTemplateHash : w.services.canary) : null;
  const currentTarget = current ? (byHash ? current.podTemplateHash : w.services.stable) : null;
  if (nextTarget) sides.push({ role: words.next, key: `${w.namespace}/${nextTarget}` });
  if (currentTarget && currentTarget !== nextTarget) sides.push({ role: words.current, key: `${w.namespace}/${currentTarget}` });
  return sides;
}

/** Which of the wall's two charts an analysis metric judges, by its name (seed 002: error-rate, latency-p99). */
export function metricOf(name: string): Metric | null {
  const n = name.toLowerCase();
  if (/latency|p9\d|duration/.test(n)) return 'latencyP99';
  if (/error|5xx/.test(n)) return 'errorRate';
  return null;
}

/**
 * The bound the rollout's own analysis holds each chart to, read with the detail charts'
 * `parseThresholds`: an upper bound from the success condition (`result[0] < 0.05`), else from the
 * failure condition (`result[0] > 0.05`). The newest run of the released revision decides, else the
 * rollout's newest run (its templates rarely change between revisions). Latency bounds under 20 are
 * taken to be seconds (a p99 bound of under 20 ms is not a thing anyone writes) and drawn in ms.
 */
export function analysisThresholds(w: Pick<WorkloadSummary, 'analysisRuns' | 'revisions'>): Record<Metric, WallThreshold | null> {
  const hash = releaseRevision(w as WorkloadSummary)?.podTemplateHash;
  const runs = [...w.analysisRuns].sort((a, b) => (b.startedAt ?? '').localeCompare(a.startedAt ?? ''));
  const ordered = [...runs.filter((r) => r.podTemplateHash === hash), ...runs.filter((r) => r.podTemplateHash !== hash)];
  const out: Record<Metric, WallThreshold | null> = { errorRate: null, latencyP99: null };
  for (const run of ordered) {
    for (const metric of run.metrics) {
      const which = metricOf(metric.name);
      if (!which || out[which]) continue;
      const upper = parseThresholds(metric.successCondition).find((t) => t.op === '<' || t.op === '<=');
      const failAbove = parseThresholds(metric.failureCondition).find((t) => t.op === '>' || t.op === '>=');
      const bound = upper ?? (failAbove ? { op: failAbove.op === '>' ? ('<=' as const) : ('<' as const), value: failAbove.value } : null);
      if (!bound) continue;
      const value = which === 'latencyP99' && bound.value < 20 ? bound.value * 1000 : bound.value;
      out[which] = { op: bound.op, value, label: `analysis ${metric.name} ${upper ? metric.successCondition : metric.failureCondition}` };
    }
    if (out.errorRate && out.latencyP99) break;
  }
  return out;
}

const finite = (v: number) => (Number.isFinite(v) ? v : null);

/** One chart of one tile: each side's points from the shared query's series (a side with no series is left out). */
export function tileMetric(sides: TileSide[], series: Map<string, Series['values']>, threshold: WallThreshold | null): WallMetric {
  const drawn: WallSide[] = [];
  for (const side of sides) {
    const values = series.get(side.key);
    if (values) drawn.push({ role: side.role, points: values.map(([t, v]) => [t, finite(v)]) });
  }
  return { sides: drawn, threshold };
}


/**
 * Error-rate and p99 sparklines for every wall tile: TWO range queries per metric profile in use
 * (error rate and p99, each over every workload at once), through the shared coalescing cache.
 * The number of tiles, walls and viewers never changes what is asked of Prometheus.
 */
export async function wallSparklines(
  workloads: WorkloadSummary[],
  client: Pick<PrometheusClient, 'baseUrl' | 'queryRange'> | null,
  cache: CoalescingCache<Series[]>,
  scrapeIntervalSeconds: number,
  defaultProfile = 'generic',
  now = Date.now() / 1000,
): Promise<WallSparklines> {
  if (!client) return { state: 'error', error: 'Prometheus is not configured', byId: {} };
  // 15 minutes at a 15 s step: a line a person can read from across the room, even for a canary a minute old.
  const range = alignRange(now - 900, now, 61);
  const rateWindow = duration(rateWindowSeconds(range.step, scrapeIntervalSeconds));
  const tilesByProfile = groupByProfile(workloads, defaultProfile, (w, profile) => {
    const sides = tileSides(w, profile);
    return sides.length > 0 ? { w, sides } : null;
  });
  const load = cachedRangeQuery(client, cache, range);
  try {
    const byId: WallSparklines['byId'] = {};
    await Promise.all(
      [...tilesByProfile].map(async ([profile, tiles]) => {
        const [errors, latency] = await Promise.all([load(errorRateByTarget(profile, rateWindow)), load(latencyP99ByTarget(profile, rateWindow))]);
        const errorSeries = seriesByTarget(profile, errors);
        const latencySeries = seriesByTarget(profile, latency);
        for (const { w, sides } of tiles) {
          const thresholds = analysisThresholds(w);
          byId[w.id] = { errorRate: tileMetric(sides, errorSeries, thresholds.errorRate), latencyP99: tileMetric(sides, latencySeries, thresholds.latencyP99) };
        }
      }),
    );
    return { state: 'data', error: null, byId };
  } catch (error) {
    return { state: 'error', error: error instanceof Error ? error.message : String(error), byId: {} };
  }
}
