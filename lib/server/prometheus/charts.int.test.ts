import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));

import { KubeConfig } from '@kubernetes/client-node';
import { paths, urls } from '@/sandbox/lib/config';
import type { AnalysisRunObject } from '@/lib/rollouts/objects';
import { ClusterCache } from '@/lib/server/cluster/cache';
import { freshTag, getRollout, release, waitFor, waitForTrafficHistory } from '@/test/sandbox';
import { CoalescingCache } from './cache';
import { PrometheusClient, type Series } from './client';
import { workloadCharts } from './charts';
import { sparklines } from './sparklines';

const kc = new KubeConfig();
kc.loadFromFile(paths.kubeconfig);
const cache = new ClusterCache('sandbox', kc, ['shop'], 50);
const chartCache = new CoalescingCache<Series[]>(2000);
const prometheus = new PrometheusClient(urls.prometheus);

async function charts(window: '15m' | 'rollout' = '15m') {
  const w = cache.workloads.get('sandbox/Rollout/shop/checkout');
  if (!w) throw new Error('checkout not in cache');
  return workloadCharts(w, cache.objects<AnalysisRunObject>('analysisRuns'), window, { client: prometheus, cache: chartCache, scrapeIntervalSeconds: 5 });
}

const last = (points: [number, number | null][]) => [...points].reverse().find(([, v]) => v !== null)?.[1] ?? null;

beforeAll(async () => {
  cache.start();
  await waitFor('cache synced', async () => (cache.currentHealth().connected && cache.workloads.size > 0 ? true : undefined), { timeoutMs: 30_000 });
  await waitForTrafficHistory();
}, 240_000);
afterAll(() => cache.stop());

/** An AnalysisRun of checkout's released revision running `query` (as the controller would hold it), against `address`. */
function runFor(query: string, address?: string): AnalysisRunObject {
  const w = cache.workloads.get('sandbox/Rollout/shop/checkout');
  const hash = w?.revisions.find((r) => r.roles.includes('canary'))?.podTemplateHash ?? w?.revisions.find((r) => r.roles.includes('stable'))?.podTemplateHash ?? '';
  return {
    metadata: { name: `checkout-${hash}-probe`, namespace: 'shop', creationTimestamp: new Date().toISOString(), labels: { 'rollouts-pod-template-hash': hash }, ownerReferences: [{ kind: 'Rollout', name: 'checkout', uid: 'x' }] },
    spec: { metrics: [{ name: 'probe', successCondition: 'result[0] < 0.05', provider: { prometheus: { query, ...(address ? { address } : {}) } } }] },
  };
}

describe('charts that read right (issue 7, section 5)', () => {
  const checkout = () => {
    const w = cache.workloads.get('sandbox/Rollout/shop/checkout');
    if (!w) throw new Error('no checkout');
    return w;
  };

  it('an analysis query with several series is one line per series, labelled by what differs, capped with a notice', async () => {
    const ctx = { client: prometheus, cache: chartCache, scrapeIntervalSeconds: 5 };
    const perPod = await workloadCharts(checkout(), [runFor('sum by (pod) (rate(http_requests_total{namespace="shop",service=~"checkout.*"}[30s]))')], '15m', ctx);
    const pods = perPod.panels.find((p) => p.id === 'analysis-probe');
    expect(pods?.state).toBe('data');
    expect(pods?.series.length).toBeGreaterThan(1);
    expect(pods?.series.every((s) => /^pod="checkout-[a-z0-9]+-[a-z0-9]+"$/.test(s.name))).toBe(true);
    const raw = await workloadCharts(checkout(), [runFor('rate(http_requests_total{namespace="shop"}[30s])')], '15m', ctx);
    const many = raw.panels.find((p) => p.id === 'analysis-probe');
    expect(many?.seriesTotal).toBeGreaterThan(8);
    expect(many?.series).toHaveLength(8);
    expect(many?.notices).toContain(`Showing 8 of ${many?.seriesTotal} series: the 8 that reach highest.`);
  });

  it("uses the template's own Prometheus address when allowed, and says plainly when it queried the configured one instead", async () => {
    const query = 'sum(rate(http_requests_total{namespace="shop",service=~"checkout.*"}[30s]))';
    const panelFor = async (address: string, allowedAddresses: string[]) =>
      (await workloadCharts(checkout(), [runFor(query, address)], '15m', { client: prometheus, cache: chartCache, scrapeIntervalSeconds: 5, allowedAddresses })).panels.find((p) => p.id === 'analysis-probe');
    const same = await panelFor(`${urls.prometheus}/`, []);
    expect(same).toMatchObject({ state: 'data', notices: [] });
    const refused = await panelFor('http://169.254.169.254:9090', []);
    expect(refused?.state).toBe('data');
    expect(refused?.notices).toEqual(["This chart queried Aviary's own Prometheus, not the one the AnalysisTemplate names: the template's address is not in AVIARY_PROMETHEUS_ALLOWED_URLS."]);
    const dead = await panelFor('http://127.0.0.1:9', ['http://127.0.0.1:9']);
    expect(dead?.state).toBe('data');
    expect(dead?.notices).toEqual(["This chart queried Aviary's own Prometheus, not the one the AnalysisTemplate names: the template's Prometheus is unreachable."]);
    expect(JSON.stringify([refused, dead])).not.toMatch(/169\.254|127\.0\.0\.1:9\b/);
    const allowed = await panelFor(urls.prometheus.replace('127.0.0.1', 'localhost'), [urls.prometheus.replace('127.0.0.1', 'localhost')]);
    expect(allowed).toMatchObject({ state: 'data', notices: [] });
  });

  it('blue-green payments is charted as preview vs active', async () => {
    const w = cache.workloads.get('sandbox/Rollout/shop/payments');
    if (!w) throw new Error('no payments');
    const res = await workloadCharts(w, cache.objects<AnalysisRunObject>('analysisRuns'), '15m', { client: prometheus, cache: chartCache, scrapeIntervalSeconds: 5 });
    expect(res.comparison).toEqual({ next: 'preview', current: 'active' });
    const errorRate = res.panels.find((p) => p.id === 'error-rate');
    expect(errorRate?.series.length).toBeGreaterThan(0);
    expect(errorRate?.series.every((s) => /^(preview|active) \(/.test(s.name))).toBe(true);
    expect(res.panels.some((p) => /canary|stable/.test(p.series.map((s) => s.name).join(' ')))).toBe(false);
  });

  it("sparklines read each workload with its own metric profile: one query per profile in use, not per card", async () => {
    const shared = new CoalescingCache<Series[]>(5000);
    const workloads = [...cache.workloads.values()].map((w) => (w.name === 'checkout' ? { ...w, metricsProfile: 'istio' } : w));
    const res = await sparklines(workloads, prometheus, shared, 5, 'generic');
    expect(shared.stats.misses).toBe(2);
    expect(res.byId['sandbox/Rollout/shop/checkout']?.points.length).toBeGreaterThan(5);
    expect(res.byId['sandbox/Rollout/shop/payments']?.role).toMatch(/^(preview|active)$/);
    await Promise.all(Array.from({ length: 10 }, () => sparklines(workloads, prometheus, shared, 5, 'generic')));
    expect(shared.stats.misses).toBe(2);
  });
});

describe('charts against the sandbox Prometheus', () => {
  it('a healthy stable version: error rate 0, success rate 1, p99 well under 500 ms, ~40 rps', async () => {
    const res = await charts();
    const panel = (id: string) => res.panels.find((p) => p.id === id);
    const stable = (id: string) => panel(id)?.series.find((s) => s.role === 'stable');
    expect(panel('error-rate')?.state).toBe('data');
    expect(last(stable('error-rate')?.points ?? [])).toBe(0);
    expect(last(stable('success-rate')?.points ?? [])).toBe(1);
    expect(last(stable('latency-p99')?.points ?? [])).toBeLessThan(250);
    expect(last(stable('request-rate')?.points ?? [])).toBeGreaterThan(25);
    expect((res.window.end - res.window.start) / res.window.step + 1).toBeLessThanOrEqual(500);
  });

  it('the Istio (split by service) and Linkerd (split by hash) profiles chart the same traffic', async () => {
    const w = cache.workloads.get('sandbox/Rollout/shop/checkout');
    if (!w) throw new Error('no checkout');
    for (const profile of ['istio', 'linkerd']) {
      const res = await workloadCharts({ ...w, metricsProfile: profile }, [], '15m', { client: prometheus, cache: chartCache, scrapeIntervalSeconds: 5 });
      const stable = (id: string) => res.panels.find((p) => p.id === id)?.series.find((s) => s.role === 'stable');
      expect(res.panels.find((p) => p.id === 'error-rate')?.title, profile).toContain(profile);
      expect(last(stable('request-rate')?.points ?? []), profile).toBeGreaterThan(25);
      expect(last(stable('error-rate')?.points ?? []), profile).toBe(0);
      expect(last(stable('latency-p99')?.points ?? []), profile).toBeLessThan(250);
    }
  });

  it('an -errors canary: the analysis query and the profile both show ~12 % 5xx, above the 0.05 threshold', async () => {
    const before = await getRollout('shop', 'checkout');
    await release('shop/checkout', freshTag('v1.6', '-errors'));
    const newHash = await waitFor('the new canary revision in the cache', async () =>
      cache.workloads.get('sandbox/Rollout/shop/checkout')?.revisions.find((x) => x.roles.includes('canary') && x.podTemplateHash !== before.status?.currentPodHash)?.podTemplateHash,
    { timeoutMs: 60_000 });
    const res = await waitFor('the new canary\'s error rate in the charts', async () => {
      const r = await charts();
      const canary = r.panels.find((p) => p.id === 'error-rate')?.series.find((s) => s.role === 'canary' && s.name.includes(newHash));
      const value = last(canary?.points ?? []);
      return value !== null && value > 0.05 ? r : undefined;
    }, { timeoutMs: 90_000, intervalMs: 2000 });
    const analysis = res.panels.find((p) => p.id === 'analysis-error-rate');
    expect(analysis?.source).toBe('analysis');
    // "This rollout": the new canary's own AnalysisRun, not a run of the revision before it.
    expect(res.analysisRevision).toBe(newHash);
    expect(analysis?.query).toContain('service="checkout-canary"');
    expect(analysis?.query).not.toContain('{{');
    expect(analysis?.thresholds).toEqual([{ op: '<', value: 0.05, label: 'success: result[0] < 0.05' }]);
    const canaryRate = last(res.panels.find((p) => p.id === 'error-rate')?.series.find((s) => s.role === 'canary')?.points ?? []);
    expect(canaryRate).toBeGreaterThan(0.05);
    expect(canaryRate).toBeLessThan(0.25);
  });

  it('sparklines: one query gives every Rollout card its error-rate line', async () => {
    const shared = new CoalescingCache<Series[]>(5000);
    const res = await sparklines([...cache.workloads.values()], prometheus, shared, 5);
    expect(res.state).toBe('data');
    expect(shared.stats.misses).toBe(1);
    expect(res.byId['sandbox/Rollout/shop/payments']?.points.length).toBeGreaterThan(5);
    expect(res.byId['sandbox/Rollout/shop/checkout']).toBeDefined();
    expect(Object.keys(res.byId).some((id) => id.includes('/Deployment/'))).toBe(false);
    const down = await sparklines([...cache.workloads.values()], new PrometheusClient('http://127.0.0.1:9', 1000), new CoalescingCache<Series[]>(1000), 5);
    expect(down).toMatchObject({ state: 'error', byId: {} });
  });

  it('says "unreachable" (not zero) when Prometheus is not there, and one query per panel is shared by concurrent viewers', async () => {
    const w = cache.workloads.get('sandbox/Rollout/shop/checkout');
    if (!w) throw new Error('no checkout');
    const dead = new PrometheusClient('http://127.0.0.1:9', 2000);
    const res = await workloadCharts(w, [], '15m', { client: dead, cache: new CoalescingCache(1000), scrapeIntervalSeconds: 5 });
    expect(res.panels.length).toBeGreaterThan(0);
    expect(res.panels.every((p) => p.state === 'error' && p.error?.kind === 'unreachable' && p.series.length === 0)).toBe(true);

    const shared = new CoalescingCache<Series[]>(5000);
    const ctx = { client: prometheus, cache: shared, scrapeIntervalSeconds: 5, now: Math.floor(Date.now() / 1000) };
    const viewers = await Promise.all(Array.from({ length: 20 }, () => workloadCharts(w, [], '15m', ctx)));
    const panels = viewers[0].panels.length;
    expect(shared.stats.misses).toBe(panels);
    expect(shared.stats.coalesced + shared.stats.hits).toBe(panels * 19);
  });
});
