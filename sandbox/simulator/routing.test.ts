import { describe, expect, it } from 'vitest';
import { computeFlows, shortHost, type PodView, type ServiceView, type TrafficRule } from './routing';

const pod = (name: string, hash: string, ready = true, ns = 'shop'): PodView => ({
  namespace: ns,
  name,
  labels: { app: 'checkout', 'rollouts-pod-template-hash': hash },
  ready,
  image: 'registry.example.com/shop/checkout:v1',
  workload: 'checkout',
  templateHash: hash,
});

const services: ServiceView[] = [
  { namespace: 'shop', name: 'checkout', selector: { app: 'checkout' }, requestsPerSecond: 40 },
  { namespace: 'shop', name: 'checkout-stable', selector: { app: 'checkout', 'rollouts-pod-template-hash': 'stable1' } },
  { namespace: 'shop', name: 'checkout-canary', selector: { app: 'checkout', 'rollouts-pod-template-hash': 'canary1' } },
];

const vs = (stable: number, canary: number): TrafficRule => ({
  namespace: 'shop',
  kind: 'VirtualService',
  name: 'checkout-vsvc',
  hosts: ['checkout'],
  destinations: [
    { service: 'checkout-stable', weight: stable },
    { service: 'checkout-canary', weight: canary },
  ],
});

describe('computeFlows', () => {
  const pods = [pod('s-1', 'stable1'), pod('s-2', 'stable1'), pod('s-3', 'stable1'), pod('s-4', 'stable1'), pod('c-1', 'canary1')];

  it('splits a VirtualService-routed service by its weights, labelling the service the request went through', () => {
    const flows = computeFlows(services, pods, [vs(95, 5)]);
    const canary = flows.filter((f) => f.service === 'checkout-canary');
    const stable = flows.filter((f) => f.service === 'checkout-stable');
    expect(canary.map((f) => [f.pod.name, f.requestsPerSecond])).toEqual([['c-1', 2]]);
    expect(stable).toHaveLength(4);
    expect(stable.reduce((s, f) => s + f.requestsPerSecond, 0)).toBeCloseTo(38);
  });

  it('without a routing rule spreads requests over every ready pod of the service (basic canary)', () => {
    const flows = computeFlows(services, pods, []);
    expect(flows.every((f) => f.service === 'checkout')).toBe(true);
    expect(flows.map((f) => f.requestsPerSecond)).toEqual([8, 8, 8, 8, 8]);
  });

  it('sends nothing to pods that are not ready and nothing to a destination with weight 0', () => {
    const flows = computeFlows(services, [...pods, pod('c-2', 'canary1', false)], [vs(100, 0)]);
    expect(flows.some((f) => f.pod.name.startsWith('c-'))).toBe(false);
  });

  it('keeps namespaces apart', () => {
    const flows = computeFlows(services, [pod('other', 'stable1', true, 'search')], []);
    expect(flows).toEqual([]);
  });

  it('normalises weights of a TrafficSplit that do not add up to 100', () => {
    const split: TrafficRule = { ...vs(1, 1), kind: 'TrafficSplit' };
    const flows = computeFlows(services, pods, [split]);
    expect(flows.find((f) => f.pod.name === 'c-1')?.requestsPerSecond).toBe(20);
  });
});

describe('shortHost', () => {
  it('strips the cluster-local suffixes of the namespace', () => {
    expect(shortHost('checkout-canary.shop.svc.cluster.local', 'shop')).toBe('checkout-canary');
    expect(shortHost('checkout-canary.shop', 'shop')).toBe('checkout-canary');
    expect(shortHost('checkout.other.svc.cluster.local', 'shop')).toBe('checkout.other.svc.cluster.local');
  });
});
