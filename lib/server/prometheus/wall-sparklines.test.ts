import { describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));

import { WallSparklines } from '@/lib/contracts/kiosk';
import { deriveFixture } from '@/test/fixtures';
import { CoalescingCache } from './cache';
import type { Series } from './client';
import { latencyP99ByTarget, PROFILES } from './profiles';
import { analysisThresholds, metricOf, tileMetric, tileSides, wallSparklines } from './wall-sparklines';

const now = 1_800_000_000;
const points = (...values: (number | typeof NaN)[]): [number, number][] => values.map((v, i) => [now - 300 + i * 60, v]);

/** Prometheus' answer to the two by-target queries, as the client returns it; counts the queries asked. */
function recordingClient(answer: (query: string) => Series[]) {
  const queries: string[] = [];
  return {
    queries,
    client: {
      baseUrl: 'http://prometheus.test',
      queryRange: async (query: string) => {
        queries.push(query);
        return answer(query);
      },
    },
  };
}

describe('wall sparklines: which sides a tile draws', () => {
  it('a canary mid-release compares canary with stable (by hash for generic, by service for istio)', () => {
    const w = deriveFixture('canary-manual-pause');
    expect(tileSides(w, PROFILES.generic)).toEqual([
      { role: 'canary', key: 'shop/64c6588bd7' },
      { role: 'stable', key: 'shop/5958cd884b' },
    ]);
    expect(tileSides(w, PROFILES.istio)).toEqual([
      { role: 'canary', key: 'shop/checkout-canary' },
      { role: 'stable', key: 'shop/checkout-stable' },
    ]);
  });

  it('a Healthy settled canary shows its stable side only', () => {
    const w = deriveFixture('canary-healthy');
    expect(w.phase).toBe('Healthy');
    expect(tileSides(w, PROFILES.generic)).toEqual([{ role: 'stable', key: 'shop/64c6588bd7' }]);
  });

  it('a blue-green waiting for its switch says preview vs active', () => {
    const sides = tileSides(deriveFixture('bluegreen-waiting'), PROFILES.generic);
    expect(sides.map((s) => s.role)).toEqual(['preview', 'active']);
  });
});

describe("wall sparklines: the analysis' thresholds", () => {
  it("reads seed 002's error-rate < 0.05 and latency-p99 < 500 (ms) from the rollout's runs", () => {
    const t = analysisThresholds(deriveFixture('canary-aborted'));
    expect(t.errorRate).toMatchObject({ op: '<', value: 0.05 });
    expect(t.latencyP99).toMatchObject({ op: '<', value: 500 });
    expect(t.errorRate?.label).toContain('result[0] < 0.05');
  });

  it('a guard before the bound is ignored; a latency bound in seconds is drawn in ms; a failure condition gives an upper bound', () => {
    const t = analysisThresholds(deriveFixture('bluegreen-waiting'));
    expect(t.errorRate).toMatchObject({ op: '<', value: 0.01 });
    expect(t.latencyP99).toBeNull();
    const w = deriveFixture('canary-aborted');
    const run = { ...w.analysisRuns[0], metrics: [{ ...w.analysisRuns[0].metrics[0], name: 'p99-latency', successCondition: null, failureCondition: 'result[0] > 0.8' }] };
    expect(analysisThresholds({ ...w, analysisRuns: [run] }).latencyP99).toMatchObject({ op: '<=', value: 800 });
  });

  it('no analysis: no threshold line', () => {
    const w = deriveFixture('canary-crashloop');
    expect(analysisThresholds(w)).toEqual({ errorRate: null, latencyP99: null });
  });

  it('tells error-rate and latency metrics apart by name', () => {
    expect(['error-rate', 'errors-5xx', 'latency-p99', 'p95', 'request-duration', 'success-rate'].map(metricOf)).toEqual(['errorRate', 'errorRate', 'latencyP99', 'latencyP99', 'latencyP99', null]);
  });
});

describe('wall sparklines: series mapping and query count', () => {
  it('maps each side to its own series; no sample is a gap (null), never zero; a side without a series is left out', () => {
    const series = new Map([['shop/aaa', points(0.12, NaN, 0.2)]]);
    const metric = tileMetric([{ role: 'canary', key: 'shop/aaa' }, { role: 'stable', key: 'shop/bbb' }], series, null);
    expect(metric).toEqual({ sides: [{ role: 'canary', points: [[now - 300, 0.12], [now - 240, null], [now - 180, 0.2]] }], threshold: null });
  });

  it('two range queries (error rate, p99) for every tile of a profile, shared by concurrent walls through the cache', async () => {
    const canary = deriveFixture('canary-manual-pause');
    const healthy = { ...deriveFixture('canary-healthy'), id: 'sandbox/Rollout/search/ranker', namespace: 'search', name: 'ranker' };
    const blueGreen = deriveFixture('bluegreen-waiting');
    const [preview, active] = tileSides(blueGreen, PROFILES.generic);
    const errors: Series[] = [
      { labels: { namespace: 'shop', rollouts_pod_template_hash: '64c6588bd7' }, values: points(0.12, 0.13) },
      { labels: { namespace: 'shop', rollouts_pod_template_hash: '5958cd884b' }, values: points(0, 0) },
      { labels: { namespace: 'search', rollouts_pod_template_hash: '64c6588bd7' }, values: points(0.001, 0.002) },
      { labels: { namespace: 'shop', rollouts_pod_template_hash: preview.key.split('/')[1] }, values: points(0, 0.01) },
      { labels: { namespace: 'shop', rollouts_pod_template_hash: active.key.split('/')[1] }, values: points(0, 0) },
    ];
    const latency: Series[] = errors.map((s, i) => ({ labels: s.labels, values: points(100 + i, 120 + i) }));
    const { client, queries } = recordingClient((q) => (q.startsWith('histogram_quantile') ? latency : errors));
    const cache = new CoalescingCache<Series[]>(5000, 100, () => now * 1000);
    const walls = await Promise.all(Array.from({ length: 10 }, () => wallSparklines([canary, healthy, blueGreen], client, cache, 5, 'generic', now)));
    expect(queries).toHaveLength(2);
    const window = /\[(\w+)\]\)\)\) \* 1000$/.exec(queries.find((q) => q.startsWith('histogram_quantile')) ?? '')?.[1] ?? '';
    expect(queries).toContain(latencyP99ByTarget(PROFILES.generic, window));
    expect(latencyP99ByTarget(PROFILES.generic, '1m')).toBe('histogram_quantile(0.99, sum by (namespace, rollouts_pod_template_hash, le) (rate(http_request_duration_seconds_bucket[1m]))) * 1000');
    expect(latencyP99ByTarget(PROFILES.istio, '1m')).toBe('histogram_quantile(0.99, sum by (destination_service_namespace, destination_service_name, le) (rate(istio_request_duration_milliseconds_bucket{reporter="destination"}[1m])))');
    const res = walls[0];
    expect(WallSparklines.parse(res)).toEqual(res);
    expect(res.byId[canary.id].errorRate.sides.map((s) => [s.role, s.points.at(-1)?.[1]])).toEqual([['canary', 0.13], ['stable', 0]]);
    expect(res.byId[canary.id].errorRate.threshold).toMatchObject({ op: '<', value: 0.05 });
    expect(res.byId[canary.id].latencyP99.sides.map((s) => [s.role, s.points.at(-1)?.[1]])).toEqual([['canary', 120], ['stable', 121]]);
    expect(res.byId[canary.id].latencyP99.threshold).toMatchObject({ op: '<', value: 500 });
    expect(res.byId[healthy.id].errorRate.sides.map((s) => s.role)).toEqual(['stable']);
    expect(res.byId[blueGreen.id].errorRate.sides.map((s) => s.role)).toEqual(['preview', 'active']);
    expect(res.byId[blueGreen.id].errorRate.threshold).toMatchObject({ value: 0.01 });
  });

  it('an unreachable Prometheus is an error for the whole wall, never empty lines', async () => {
    const client = { baseUrl: 'http://prometheus.test', queryRange: async () => Promise.reject(new Error('connect ECONNREFUSED')) };
    const res = await wallSparklines([deriveFixture('canary-manual-pause')], client, new CoalescingCache<Series[]>(1000), 5, 'generic', now);
    expect(res).toEqual({ state: 'error', error: 'connect ECONNREFUSED', byId: {} });
  });
});
