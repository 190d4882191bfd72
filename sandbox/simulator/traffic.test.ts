import { describe, expect, it } from 'vitest';
import type { Flow } from './routing';
import { TrafficRecorder } from './traffic';

const flow = (image: string, pod = 'checkout-abc-1'): Flow => ({
  namespace: 'shop',
  service: 'checkout-canary',
  via: 'checkout',
  requestsPerSecond: 10,
  pod: { namespace: 'shop', name: pod, labels: {}, ready: true, image, workload: 'checkout', templateHash: 'abc' },
});

describe('TrafficRecorder', () => {
  it('exposes the 5xx series at 0 for a healthy pod, so 5xx/all reads 0 rather than no data', () => {
    const recorder = new TrafficRecorder();
    recorder.tick([flow('app:v1')], 1, new Set(['shop/checkout-abc-1']));
    const text = recorder.store.render();
    expect(text).toContain(
      'http_requests_total{namespace="shop",pod="checkout-abc-1",service="checkout-canary",rollouts_pod_template_hash="abc",status="500"} 0',
    );
    expect(text).toContain(
      'http_requests_total{namespace="shop",pod="checkout-abc-1",service="checkout-canary",rollouts_pod_template_hash="abc",status="200"} 10',
    );
  });

  it('counts 12 % 5xx for an -errors image in every dialect', () => {
    const recorder = new TrafficRecorder();
    for (let i = 0; i < 50; i++) recorder.tick([flow('app:v2-errors')], 1, new Set(['shop/checkout-abc-1']));
    const text = recorder.store.render();
    const sum = (pattern: RegExp) =>
      text
        .split('\n')
        .filter((line) => pattern.test(line))
        .reduce((s, line) => s + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
    expect(sum(/^http_requests_total\{.*status="5\d\d"/)).toBe(60);
    expect(sum(/^istio_requests_total\{.*response_code="5\d\d"/)).toBe(60);
    expect(sum(/^response_total\{.*classification="failure"/)).toBe(60);
    expect(sum(/^http_requests_total\{/)).toBe(500);
  });

  it('forgets a pod that no longer exists', () => {
    const recorder = new TrafficRecorder();
    recorder.tick([flow('app:v1')], 1, new Set(['shop/checkout-abc-1']));
    recorder.tick([], 1, new Set());
    expect(recorder.store.render()).not.toContain('checkout-abc-1');
  });
});
