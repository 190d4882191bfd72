import { describe, expect, it } from 'vitest';
import { behaviourForImage, inverseNormal, latencyAt, RequestStream } from './behaviour';

describe('behaviourForImage', () => {
  it('reads the tag, not the repository', () => {
    expect(behaviourForImage('registry:5000/shop/checkout:v2-errors').kind).toBe('errors');
    expect(behaviourForImage('registry.example.com/slow-errors/app:v2').kind).toBe('healthy');
    expect(behaviourForImage('app:v3-slow').kind).toBe('slow');
    expect(behaviourForImage('app').kind).toBe('healthy');
  });
});

describe('latency distribution', () => {
  it('has the documented median and p99', () => {
    const slow = behaviourForImage('app:v-slow');
    expect(latencyAt(slow, 0.5)).toBeCloseTo(0.32, 3);
    expect(latencyAt(slow, 0.99)).toBeCloseTo(0.9, 3);
    expect(inverseNormal(0.975)).toBeCloseTo(1.959964, 5);
  });
});

describe('RequestStream', () => {
  it('produces the exact long-run rate and error share, with no randomness', () => {
    const stream = new RequestStream();
    const errors = behaviourForImage('app:v-errors');
    const requests = Array.from({ length: 100 }, () => stream.next(2.5, 1, errors)).flat();
    expect(requests).toHaveLength(250);
    const failed = requests.filter((r) => r.status >= 500).length;
    expect(failed).toBe(30);
    expect(new Set(requests.map((r) => r.status))).toEqual(new Set([200, 500, 503]));
  });

  it('healthy pods answer every request with 200 and a p99 well under 500 ms', () => {
    const stream = new RequestStream();
    const requests = stream.next(1000, 1, behaviourForImage('app:v1'));
    expect(requests.every((r) => r.status === 200)).toBe(true);
    const sorted = requests.map((r) => r.seconds).sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length * 0.99)]).toBeLessThan(0.15);
  });
});
