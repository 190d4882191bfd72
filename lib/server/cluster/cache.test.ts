import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));

/** Which workloads were derived, in order: the cache must derive only what a change touches. */
const derivedLog = vi.hoisted(() => [] as string[]);
vi.mock('@/lib/rollouts/rollout', async (importOriginal) => {
  const real = await importOriginal<typeof import('@/lib/rollouts/rollout')>();
  return { ...real, deriveRollout: (...args: Parameters<typeof real.deriveRollout>) => (derivedLog.push(`Rollout/${args[1].metadata.name}`), real.deriveRollout(...args)) };
});
vi.mock('@/lib/rollouts/deployment', async (importOriginal) => {
  const real = await importOriginal<typeof import('@/lib/rollouts/deployment')>();
  return { ...real, deriveDeployment: (...args: Parameters<typeof real.deriveDeployment>) => (derivedLog.push(`Deployment/${args[1].metadata.name}`), real.deriveDeployment(...args)) };
});

import { WorkloadSummary } from '@/lib/contracts/workload';
import type { KubeObject } from '@/lib/rollouts/objects';
import { KubeHttpError } from '@/lib/server/kube/http';
import { RESOURCES, type ResourceType } from '@/lib/server/kube/resources';
import type { ReflectorTransport, WatchEvent } from '@/lib/server/kube/transport';
import { ClusterCache, type ClusterHealth } from './cache';

interface Recorded {
  workload: KubeObject;
  replicaSets: KubeObject[];
  pods: KubeObject[];
}

/** Fixtures recorded from the sandbox by scripts/record-fixtures.ts. */
const recorded = (name: string) => JSON.parse(readFileSync(`lib/rollouts/__fixtures__/${name}.json`, 'utf8')) as Recorded;
const rollout = recorded('canary-healthy');
const deployment = recorded('deployment-mid-update');

/**
 * An API server in memory, per kind: LIST answers what `objects` holds; each watch stays open and
 * receives what `send` pushes; `deny` makes a kind answer an HTTP error.
 */
class FakeApi {
  readonly objects = new Map<string, KubeObject[]>();
  readonly denied = new Map<string, KubeHttpError>();
  private readonly watchers = new Map<string, (event: WatchEvent<KubeObject>) => void>();
  readonly kinds = new Set<string>();

  transportFor = (type: ResourceType): ReflectorTransport<KubeObject> => {
    this.kinds.add(type.plural);
    return {
      list: async () => {
        const denied = this.denied.get(type.plural);
        if (denied) throw denied;
        return { items: this.objects.get(type.plural) ?? [], resourceVersion: '1', continueToken: null };
      },
      watch: async (_from, signal) => {
        const queue: WatchEvent<KubeObject>[] = [];
        let wake: (() => void) | undefined;
        this.watchers.set(type.plural, (event) => {
          queue.push(event);
          wake?.();
        });
        signal.addEventListener('abort', () => wake?.(), { once: true });
        return (async function* () {
          while (!signal.aborted) {
            const event = queue.shift();
            if (event) yield event;
            else await new Promise<void>((resolve) => (wake = resolve));
          }
        })();
      },
    };
  };

  send(plural: string, event: WatchEvent<KubeObject>): void {
    this.watchers.get(plural)?.(event);
  }
}

let cache: ClusterCache | undefined;
afterEach(() => cache?.stop());

function startCache(api: FakeApi) {
  cache = new ClusterCache('c', api.transportFor, undefined, 5);
  const emitted: WorkloadSummary[] = [];
  const health: ClusterHealth[] = [];
  cache.onChanges((changes) => changes.forEach((c) => c.type === 'upsert' && emitted.push(c.workload)));
  cache.onHealth((h) => health.push(h));
  cache.start();
  return { cache, emitted, health };
}

async function until(description: string, condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${description}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function seeded(): FakeApi {
  const api = new FakeApi();
  api.objects.set('rollouts', [rollout.workload]);
  api.objects.set('deployments', [deployment.workload]);
  api.objects.set('replicasets', [...rollout.replicaSets, ...deployment.replicaSets]);
  api.objects.set('pods', [...rollout.pods, ...deployment.pods]);
  return api;
}

describe('ClusterCache', () => {
  it('keeps the last good summary of a workload it cannot derive, marked with the error, and the rest of the namespace keeps flowing', async () => {
    const api = seeded();
    const { cache, emitted } = startCache(api);
    const checkout = 'c/Rollout/shop/checkout';
    const catalog = 'c/Deployment/shop/catalog';
    await until('both workloads', () => cache.workloads.has(checkout) && cache.workloads.has(catalog));
    expect(cache.workloads.get(checkout)?.derivationError).toBeNull();
    const good = cache.workloads.get(checkout);

    // A Rollout whose spec lost its strategy: deriveRollout throws on it.
    const odd = { ...rollout.workload, metadata: { ...rollout.workload.metadata, resourceVersion: '999' }, spec: {} };
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    api.send('rollouts', { type: 'MODIFIED', object: odd });
    const scaled = { ...deployment.workload, metadata: { ...deployment.workload.metadata, resourceVersion: '1000' }, spec: { ...(deployment.workload as KubeObject & { spec: object }).spec, replicas: 9 } };
    api.send('deployments', { type: 'MODIFIED', object: scaled });

    await until('the error on the odd rollout', () => Boolean(cache.workloads.get(checkout)?.derivationError));
    const marked = cache.workloads.get(checkout);
    expect(marked?.derivationError).toMatch(/could not read this Rollout \(resourceVersion 999\)/);
    expect({ ...marked, derivationError: null }).toEqual(good);
    expect(warn).toHaveBeenCalledTimes(1);
    await until('the deployment in the same namespace to update', () => cache.workloads.get(catalog)?.replicas.desired === 9);
    expect(emitted.some((w) => w.id === checkout && w.derivationError)).toBe(true);

    // Fixed: the error goes away with the next good derivation.
    api.send('rollouts', { type: 'MODIFIED', object: { ...rollout.workload, metadata: { ...rollout.workload.metadata, resourceVersion: '1001' } } });
    await until('the error to clear', () => cache.workloads.get(checkout)?.derivationError === null);
    warn.mockRestore();
  });

  it('a new workload it cannot derive still gets a card that says so, instead of going missing', async () => {
    const api = seeded();
    const { cache } = startCache(api);
    await until('the seeded workloads', () => cache.workloads.size === 2);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const odd = { ...rollout.workload, metadata: { ...rollout.workload.metadata, name: 'odd', uid: 'odd-uid', resourceVersion: '77' }, spec: {} };
    api.send('rollouts', { type: 'ADDED', object: odd });
    await until('the odd rollout', () => cache.workloads.has('c/Rollout/shop/odd'));
    const card = cache.workloads.get('c/Rollout/shop/odd');
    expect(card).toMatchObject({ name: 'odd', phase: 'Degraded', derivationError: expect.stringMatching(/could not read this Rollout \(resourceVersion 77\)/) });
    expect(card?.diagnosis?.reasons[0]).toMatchObject({ code: 'unreadable', severity: 'critical' });
    expect(WorkloadSummary.parse(card)).toEqual(card);
    warn.mockRestore();
  });

  it('stays connected when RBAC forbids a kind it can do without, and goes stale when it forbids one it needs', async () => {
    const api = seeded();
    api.denied.set('events', new KubeHttpError(403, 'Forbidden', 'events is forbidden: User "aviary" cannot list resource "events"'));
    api.denied.set('horizontalpodautoscalers', new KubeHttpError(403, 'Forbidden', 'horizontalpodautoscalers is forbidden'));
    const { cache, health } = startCache(api);
    await until('connected', () => cache.currentHealth().connected);
    expect(cache.currentHealth().lastError).toMatch(/forbidden/);
    expect(health.every((h) => h.connected || h.staleSince)).toBe(true);
    cache.stop();

    const strict = seeded();
    strict.denied.set('pods', new KubeHttpError(403, 'Forbidden', 'pods is forbidden'));
    const second = startCache(strict);
    await until('the pod error', () => second.cache.currentHealth().lastError?.includes('pods is forbidden') ?? false);
    expect(second.cache.currentHealth().connected).toBe(false);
  });

  it('watches only the kinds it reads (no Services), and stores objects without managedFields', async () => {
    const api = seeded();
    const { cache } = startCache(api);
    await until('synced', () => cache.currentHealth().connected);
    expect([...api.kinds].sort()).toEqual(Object.values(RESOURCES).map((r) => r.plural).sort());
    expect(api.kinds.has('services')).toBe(false);
    api.send('pods', { type: 'ADDED', object: { metadata: { name: 'p', namespace: 'shop', resourceVersion: '5', managedFields: [{ manager: 'kubelet' }] } as KubeObject['metadata'] } });
    await until('the pod', () => cache.objects('pods').some((p) => p.metadata.name === 'p'));
    expect(cache.objects('pods').every((p) => !('managedFields' in p.metadata))).toBe(true);
  });

  it('derives again only the workloads a change touches: a pod through its ReplicaSet, an event through its involved object; an unplaceable change re-derives the namespace', async () => {
    const api = seeded();
    const { cache } = startCache(api);
    await until('the seeded workloads', () => cache.workloads.size === 2);
    await new Promise((r) => setTimeout(r, 30));
    derivedLog.length = 0;
    const pod = rollout.pods[0];
    api.send('pods', { type: 'MODIFIED', object: { ...pod, metadata: { ...pod.metadata, resourceVersion: '5000', labels: { ...pod.metadata.labels, touched: 'yes' } } } });
    await until('a derivation', () => derivedLog.length > 0);
    await new Promise((r) => setTimeout(r, 30));
    expect(derivedLog).toEqual(['Rollout/checkout']);

    derivedLog.length = 0;
    const event = { metadata: { name: 'catalog.1', namespace: 'shop', resourceVersion: '5001' }, involvedObject: { kind: 'Deployment', name: 'catalog' }, type: 'Normal', reason: 'ScalingReplicaSet', message: 'Scaled up', count: 1 } as unknown as KubeObject;
    api.send('events', { type: 'ADDED', object: event });
    await until('a derivation', () => derivedLog.length > 0);
    await new Promise((r) => setTimeout(r, 30));
    expect(derivedLog).toEqual(['Deployment/catalog']);

    derivedLog.length = 0;
    const unknown = { ...event, metadata: { ...event.metadata, name: 'svc.1', resourceVersion: '5002' }, involvedObject: { kind: 'Service', name: 'checkout-canary' } } as unknown as KubeObject;
    api.send('events', { type: 'ADDED', object: unknown });
    await until('a derivation', () => derivedLog.length >= 2);
    expect([...derivedLog].sort()).toEqual(['Deployment/catalog', 'Rollout/checkout']);

    // A deleted Rollout leaves, without touching the Deployment next to it.
    derivedLog.length = 0;
    const gone: string[] = [];
    cache.onChanges((changes) => changes.forEach((c) => c.type === 'delete' && gone.push(c.id)));
    api.send('rollouts', { type: 'DELETED', object: rollout.workload });
    await until('the delete', () => gone.length === 1);
    expect(gone).toEqual(['c/Rollout/shop/checkout']);
    expect(cache.workloads.has('c/Deployment/shop/catalog')).toBe(true);
    expect(derivedLog).toEqual([]);
  });
});
