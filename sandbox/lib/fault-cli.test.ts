import { describe, expect, it } from 'vitest';
import { parseFaultArgs } from './fault-cli';
import { parseDuration } from './faults';

describe('sandbox:fault arguments', () => {
  it('reads durations in ms, s and m, seconds by default', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('45')).toBe(45_000);
    expect(() => parseDuration('soon')).toThrow(/duration/);
  });

  it('parses every fault, with 30 s when no duration is given', () => {
    expect(parseFaultArgs(['apiserver-down'])).toEqual({ spec: { name: 'apiserver-down' }, durationMs: 30_000 });
    expect(parseFaultArgs(['nodes-down', '50s'])).toEqual({ spec: { name: 'nodes-down' }, durationMs: 50_000 });
    expect(parseFaultArgs(['apiserver-hang', '10s'])).toEqual({ spec: { name: 'apiserver-hang' }, durationMs: 10_000 });
    expect(parseFaultArgs(['simulator-errors', 'shop/checkout-canary', '30%', '1m'])).toEqual({
      spec: { name: 'simulator-errors', namespace: 'shop', service: 'checkout-canary', errorRatio: 0.3 },
      durationMs: 60_000,
    });
  });

  it('says what is wrong with a bad command line', () => {
    expect(() => parseFaultArgs(['network-down'])).toThrow(/unknown fault "network-down"/);
    expect(() => parseFaultArgs(['simulator-errors', 'checkout', '0.3'])).toThrow(/<namespace>\/<service>/);
    expect(() => parseFaultArgs(['simulator-errors', 'shop/checkout', '2'])).toThrow(/between 0 and 1/);
    expect(() => parseFaultArgs(['etcd-down', '10s', 'extra'])).toThrow(/only a duration/);
  });
});
