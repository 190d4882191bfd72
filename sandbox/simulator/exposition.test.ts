import { describe, expect, it } from 'vitest';
import { MetricStore } from './exposition';

describe('MetricStore', () => {
  it('renders counters and cumulative histogram buckets in the text format', () => {
    const store = new MetricStore();
    store.counter('http_requests_total', 'Requests.');
    store.histogram('latency_seconds', 'Latency.', [0.1, 1]);
    store.inc('http_requests_total', { pod: 'a', status: '200' }, 3);
    store.observe('latency_seconds', { pod: 'a' }, 0.05);
    store.observe('latency_seconds', { pod: 'a' }, 0.5);
    const text = store.render();
    expect(text).toContain('# TYPE http_requests_total counter');
    expect(text).toContain('http_requests_total{pod="a",status="200"} 3');
    expect(text).toContain('latency_seconds_bucket{pod="a",le="0.1"} 1');
    expect(text).toContain('latency_seconds_bucket{pod="a",le="1"} 2');
    expect(text).toContain('latency_seconds_bucket{pod="a",le="+Inf"} 2');
    expect(text).toContain('latency_seconds_count{pod="a"} 2');
  });

  it('escapes label values and drops every series of a pod that went away', () => {
    const store = new MetricStore();
    store.counter('c', 'c');
    store.inc('c', { namespace: 'shop', pod: 'gone', note: 'a "quoted"\nvalue' });
    store.inc('c', { namespace: 'shop', pod: 'kept' });
    expect(store.render()).toContain('note="a \\"quoted\\"\\nvalue"');
    store.drop({ namespace: 'shop', pod: 'gone' });
    expect(store.render()).not.toContain('gone');
    expect(store.render()).toContain('pod="kept"');
  });
});
