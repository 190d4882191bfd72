import { describe, expect, it } from 'vitest';
import { parseThresholds, substituteArgs } from './conditions';

describe('parseThresholds', () => {
  it('reads the seed conditions', () => {
    expect(parseThresholds('result[0] < 0.05')).toEqual([{ op: '<', value: 0.05 }]);
    expect(parseThresholds('result[0] < 500')).toEqual([{ op: '<', value: 500 }]);
    expect(parseThresholds('result[0] > 0.99')).toEqual([{ op: '>', value: 0.99 }]);
    expect(parseThresholds('result[0] >= 0.99')).toEqual([{ op: '>=', value: 0.99 }]);
  });

  it('ignores guards for empty and NaN results, keeps the real comparison', () => {
    expect(parseThresholds('len(result) == 0 || result[0] < 0.05')).toEqual([{ op: '<', value: 0.05 }]);
    expect(parseThresholds('len(result) == 0 || isNaN(result[0]) || result[0] < 0.01')).toEqual([{ op: '<', value: 0.01 }]);
  });

  it('handles scalar results, reversed comparisons, two-sided bands and nothing at all', () => {
    expect(parseThresholds('result < 1.5e-2')).toEqual([{ op: '<', value: 0.015 }]);
    expect(parseThresholds('0.95 <= result[0]')).toEqual([{ op: '>=', value: 0.95 }]);
    expect(parseThresholds('result[0] > 10 && result[0] < 20')).toEqual([
      { op: '>', value: 10 },
      { op: '<', value: 20 },
    ]);
    expect(parseThresholds('result == "ok"')).toEqual([]);
    expect(parseThresholds(undefined)).toEqual([]);
  });
});

describe('substituteArgs', () => {
  it('fills {{args.x}} with or without spaces and reports missing args instead of leaving a blank', () => {
    const query = 'sum(rate(http_requests_total{service="{{args.service-name}}",ns="{{ args.namespace }}"}[5m]))';
    expect(substituteArgs(query, [{ name: 'service-name', value: 'checkout-canary' }, { name: 'namespace', value: 'shop' }])).toEqual({
      text: 'sum(rate(http_requests_total{service="checkout-canary",ns="shop"}[5m]))',
      missing: [],
    });
    expect(substituteArgs(query, [{ name: 'service-name', value: 'x' }]).missing).toEqual(['namespace']);
  });
});
