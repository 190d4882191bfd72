import { describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));

import { CoalescingCache } from './cache';
import { duration, escapeRegex, quote, rateWindowSeconds, selector } from './promql';
import { alignRange } from './range';

describe('PromQL building', () => {
  it('escapes hostile label values so they stay one string literal', () => {
    const hostile = 'x"} or vector(1) or {a="\\';
    const built = selector('http_requests_total', [{ label: 'service', op: '=', value: hostile }]);
    expect(built).toBe('http_requests_total{service="x\\"} or vector(1) or {a=\\"\\\\"}');
    expect(quote('line\nbreak')).toBe('"line\\nbreak"');
    expect(escapeRegex('a.b*c')).toBe('a\\.b\\*c');
  });

  it('refuses invalid metric and label names', () => {
    expect(() => selector('rate(x)', [])).toThrow(/metric name/);
    expect(() => selector('x', [{ label: 'bad-label', op: '=', value: 'v' }])).toThrow(/label name/);
    expect(() => selector('x', [{ label: '__name__', op: '=', value: 'v' }])).toThrow(/label name/);
  });

  it('uses rate windows of at least four scrape intervals', () => {
    expect(rateWindowSeconds(5, 15)).toBe(60);
    expect(rateWindowSeconds(120, 15)).toBe(120);
    expect(duration(60)).toBe('60s');
    expect(() => duration(0)).toThrow();
  });
});

describe('alignRange', () => {
  it('keeps within the point budget, uses a recognisable step and aligns to it', () => {
    const r = alignRange(1_000_003, 1_000_003 + 6 * 3600, 500);
    expect(r.step).toBe(60);
    expect(r.start % 60).toBe(0);
    expect(r.end % 60).toBe(0);
    expect(r.points).toBeLessThanOrEqual(500);
    expect(alignRange(0, 15 * 60, 500).step).toBe(2);
    expect(alignRange(0, 30 * 86400, 500).points).toBeLessThanOrEqual(500);
  });

  it('gives the same query for the same window asked a few seconds apart', () => {
    const a = alignRange(1_700_000_001, 1_700_003_601, 500);
    const b = alignRange(1_700_000_004, 1_700_003_604, 500);
    expect(b).toEqual(a);
  });
});

describe('CoalescingCache', () => {
  it('N concurrent identical requests cost one upstream call; later ones hit the cache until it expires', async () => {
    let now = 0;
    const cache = new CoalescingCache<number>(1000, 10, () => now);
    let calls = 0;
    const load = () => new Promise<number>((resolve) => setTimeout(() => resolve(++calls), 10));
    const results = await Promise.all(Array.from({ length: 50 }, () => cache.get('q|1h|60', load)));
    expect(new Set(results)).toEqual(new Set([1]));
    expect(calls).toBe(1);
    expect(cache.stats).toEqual({ hits: 0, misses: 1, coalesced: 49 });
    await cache.get('q|1h|60', load);
    expect(cache.stats.hits).toBe(1);
    now = 2000;
    expect(await cache.get('q|1h|60', load)).toBe(2);
  });

  it('drops expired answers as new ones arrive: a window that moves every step does not pile up to maxEntries', async () => {
    let now = 0;
    const cache = new CoalescingCache<number>(1000, 1000, () => now);
    for (let step = 0; step < 100; step++) {
      now = step * 15_000;
      await cache.get(`errors|${now}`, async () => step);
      await cache.get(`p99|${now}`, async () => step);
    }
    expect(cache.size).toBe(2);
    // A key answered again moves to the end, so the front stays the oldest.
    now += 500;
    await cache.get('a', async () => 1);
    now += 600;
    expect(await cache.get('errors|1485000', async () => -1)).toBe(-1);
    expect(cache.size).toBe(2);
  });

  it('does not cache a failure', async () => {
    const cache = new CoalescingCache<number>(1000);
    await expect(cache.get('k', () => Promise.reject(new Error('unreachable')))).rejects.toThrow('unreachable');
    expect(await cache.get('k', () => Promise.resolve(7))).toBe(7);
  });
});
