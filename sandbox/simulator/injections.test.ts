import { describe, expect, it } from 'vitest';
import { ErrorInjections, parseInjection } from './injections';
import type { Flow } from './routing';
import { TrafficRecorder } from './traffic';

const flow = (service: string, via: string): Flow => ({
  namespace: 'shop',
  service,
  via,
  requestsPerSecond: 100,
  pod: { namespace: 'shop', name: `${service}-1`, labels: {}, ready: true, image: 'app:v1', workload: 'checkout', templateHash: 'abc' },
});

describe('ErrorInjections (simulator-errors fault)', () => {
  it('applies to the service a request went through or the one addressed, and nowhere else', () => {
    const injections = new ErrorInjections();
    injections.set({ namespace: 'shop', service: 'checkout', errorRatio: 0.3, until: 2000 });
    expect(injections.ratioFor(flow('checkout-canary', 'checkout'), 1000)).toBe(0.3);
    expect(injections.ratioFor(flow('payments-active', 'payments'), 1000)).toBe(0);
    injections.set({ namespace: 'shop', service: 'payments-active', errorRatio: 0.5, until: 2000 });
    expect(injections.ratioFor(flow('payments-active', 'payments'), 1000)).toBe(0.5);
  });

  it('ends by itself at its deadline, and on clear', () => {
    const injections = new ErrorInjections();
    injections.set({ namespace: 'shop', service: 'checkout', errorRatio: 0.3, until: 2000 });
    expect(injections.ratioFor(flow('checkout-stable', 'checkout'), 2000)).toBe(0);
    expect(injections.list(2000)).toEqual([]);
    injections.set({ namespace: 'shop', service: 'checkout', errorRatio: 0.3, until: 5000 });
    expect(injections.clear('shop', 'checkout')).toBe(true);
    expect(injections.list(1000)).toEqual([]);
  });

  it('rejects malformed requests with a reason', () => {
    expect(parseInjection({ namespace: 'shop', service: 'checkout', errorRatio: 1.5, durationMs: 1000 })).toMatch(/errorRatio/);
    expect(parseInjection({ namespace: 'shop', errorRatio: 0.1, durationMs: 1000 })).toMatch(/service/);
    expect(parseInjection({ namespace: 'shop', service: 'c', errorRatio: 0.1, durationMs: 1000 }, 10)).toEqual({
      namespace: 'shop',
      service: 'c',
      errorRatio: 0.1,
      until: 1010,
    });
  });

  it('raises the recorded 5xx share of a healthy image to the injected ratio', () => {
    const recorder = new TrafficRecorder();
    const f = flow('checkout-canary', 'checkout');
    recorder.tick([f], 10, new Set(['shop/checkout-canary-1']), () => 0.25);
    const text = recorder.store.render();
    const count = (status: string) =>
      text
        .split('\n')
        .filter((l) => l.startsWith('http_requests_total{') && l.includes(`status="${status}"`))
        .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
    const errors = count('500') + count('503');
    expect(errors / (errors + count('200'))).toBeCloseTo(0.25, 2);
  });
});
