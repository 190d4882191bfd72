import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));

import { KubeConfig } from '@kubernetes/client-node';
import { paths, urls } from '@/sandbox/lib/config';
import { ClusterCache } from '@/lib/server/cluster/cache';
import { freshTag, release, settleCheckout, waitFor, waitForTrafficHistory } from '@/test/sandbox';
import { CoalescingCache } from './cache';
import { PrometheusClient, type Series } from './client';
import { wallSparklines } from './wall-sparklines';

/**
 * The wall's error-rate and p99 sparklines against the sandbox Prometheus: two queries for every
 * tile, the two sides of a release with the analysis' own bounds, a settled rollout's one side.
 */
const kc = new KubeConfig();
kc.loadFromFile(paths.kubeconfig);
const cache = new ClusterCache('sandbox', kc, ['shop'], 50);
const prometheus = new PrometheusClient(urls.prometheus);
const CHECKOUT = 'sandbox/Rollout/shop/checkout';
const last = (points: [number, number | null][]) => [...points].reverse().find(([, v]) => v !== null)?.[1] ?? null;
const wall = () => wallSparklines([...cache.workloads.values()], prometheus, new CoalescingCache<Series[]>(1000), 5);

beforeAll(async () => {
  cache.start();
  await waitFor('cache synced', async () => (cache.currentHealth().connected && cache.workloads.size > 0 ? true : undefined), { timeoutMs: 30_000 });
  await waitForTrafficHistory();
  // A clean stable: earlier tests may leave an -errors release aborted, and settling promotes what is there.
  await settleCheckout();
  await release('shop/checkout', freshTag('v1.5'));
  await settleCheckout();
}, 600_000);

afterAll(async () => {
  // Leave checkout settled on a clean image for whoever comes next.
  await release('shop/checkout', freshTag('v1.7'));
  await settleCheckout();
  cache.stop();
}, 300_000);

describe('wall sparklines against the sandbox Prometheus', () => {
  it('every tile from two range queries, shared by ten concurrent walls; a settled canary shows its stable side; blue-green says preview / active', async () => {
    await waitFor('checkout settled in the cache', async () => (cache.workloads.get(CHECKOUT)?.revisions.some((r) => r.roles.includes('canary')) === false ? true : undefined), { timeoutMs: 60_000 });
    // The stable Service's rate window forgets the replaced pods' requests within a minute or two.
    await waitFor('a clean stable side on the wall', async () => {
      const side = (await wall()).byId[CHECKOUT]?.errorRate.sides[0];
      return side && last(side.points) === 0 ? true : undefined;
    }, { timeoutMs: 180_000, intervalMs: 2000 });
    const shared = new CoalescingCache<Series[]>(5000);
    const walls = await Promise.all(Array.from({ length: 10 }, () => wallSparklines([...cache.workloads.values()], prometheus, shared, 5)));
    expect(shared.stats.misses).toBe(2);
    const res = walls[0];
    expect(res.state).toBe('data');
    const checkout = res.byId[CHECKOUT];
    expect(checkout.errorRate.sides.map((s) => s.role)).toEqual(['stable']);
    expect(last(checkout.errorRate.sides[0].points)).toBe(0);
    expect(last(checkout.latencyP99.sides[0].points)).toBeGreaterThan(0);
    expect(last(checkout.latencyP99.sides[0].points)).toBeLessThan(250);
    const payments = res.byId['sandbox/Rollout/shop/payments'];
    expect(payments.errorRate.sides.length).toBeGreaterThan(0);
    expect(payments.errorRate.sides.every((s) => s.role === 'preview' || s.role === 'active')).toBe(true);
    expect(Object.keys(res.byId).some((id) => id.includes('/Deployment/'))).toBe(false);
  });

  it("an -errors canary: canary vs stable on both charts, the canary's 5xx over the analysis' 0.05 and p99 under its 500 ms", async () => {
    await release('shop/checkout', freshTag('v1.6', '-errors'));
    const tile = await waitFor("the canary's error rate on the wall", async () => {
      const t = (await wall()).byId[CHECKOUT];
      const canary = t?.errorRate.sides.find((s) => s.role === 'canary');
      const value = canary ? last(canary.points) : null;
      return t && value !== null && value > 0.05 && t.errorRate.threshold ? t : undefined;
    }, { timeoutMs: 120_000, intervalMs: 2000 });
    expect(tile.errorRate.sides.map((s) => s.role)).toEqual(['canary', 'stable']);
    // The stable side is drawn from its own series (what it serves depends on what earlier tests left
    // as stable, so its value is not asserted here; the settled case above checks a clean stable reads 0).
    expect(tile.errorRate.sides[1].points.some(([, v]) => v !== null)).toBe(true);
    expect(tile.errorRate.threshold).toMatchObject({ op: '<', value: 0.05 });
    expect(tile.latencyP99.threshold).toMatchObject({ op: '<', value: 500 });
    expect(tile.latencyP99.sides.map((s) => s.role)).toEqual(['canary', 'stable']);
    expect(last(tile.latencyP99.sides[0].points)).toBeLessThan(500);
  });

  it('Prometheus unreachable: the wall gets an error, not empty lines', async () => {
    const down = await wallSparklines([...cache.workloads.values()], new PrometheusClient('http://127.0.0.1:9', 1000), new CoalescingCache<Series[]>(1000), 5);
    expect(down).toMatchObject({ state: 'error', byId: {} });
  });
});
