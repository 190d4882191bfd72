import { setMaxListeners } from 'node:events';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));

import { KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { paths } from '@/sandbox/lib/config';
import { startFault } from '@/sandbox/lib/faults';
import { ensureBuilt } from '@/sandbox/lib/build';
import { kubectl } from '@/sandbox/lib/kubectl';
import type { KubeObject } from '@/lib/rollouts/objects';
import { kubeGet, kubeGetJson, kubeRequestCounts, readBody } from '@/lib/server/kube/http';
import { StreamHub } from '@/lib/server/stream/hub';
import { collectionPath, RESOURCES, type ResourceName } from '@/lib/server/kube/resources';
import { apps, waitFor } from '@/test/sandbox';
import { ClusterCache } from './cache';

const kc = new KubeConfig();
kc.loadFromFile(paths.kubeconfig);
const cache = new ClusterCache('sandbox', kc, undefined, 50);

/** What a fresh list says right now: key → resourceVersion. */
async function freshList(name: ResourceName): Promise<Map<string, string>> {
  const list = await kubeGetJson<{ items: KubeObject[] }>(kc, collectionPath(RESOURCES[name]));
  return new Map(list.items.map((o) => [`${o.metadata.namespace}/${o.metadata.name}`, o.metadata.resourceVersion ?? '']));
}

function cached(name: ResourceName): Map<string, string> {
  return new Map(cache.objects(name).map((o) => [`${o.metadata.namespace}/${o.metadata.name}`, o.metadata.resourceVersion ?? '']));
}

beforeAll(async () => {
  cache.start();
  await waitFor('the cache to sync', async () => (cache.currentHealth().connected ? true : undefined), { timeoutMs: 30_000 });
});
afterAll(() => cache.stop());

/** Watches currently open on the API server (all clients), from its own metrics. */
async function openWatches(): Promise<number> {
  const res = await kubeGet(kc, '/metrics');
  const text = await readBody(res);
  return text
    .split('\n')
    .filter((l) => l.startsWith('apiserver_longrunning_requests{') && l.includes('verb="WATCH"'))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

describe('ClusterCache against the sandbox', () => {
  it('costs the API server nothing per viewer: 25 open streams add no LIST and no WATCH', async () => {
    const hub = new StreamHub({ workloads: () => [...cache.workloads.values()], health: () => [cache.currentHealth()] });
    const before = { ...kubeRequestCounts };
    const watchesBefore = await openWatches();
    const abort = new AbortController();
    setMaxListeners(50, abort.signal); // one signal stands in for 25 requests' signals
    const readers = Array.from({ length: 25 }, () => hub.subscribe(() => true, null, abort.signal).getReader());
    const firsts = await Promise.all(readers.map(async (r) => { await r.read(); return new TextDecoder().decode((await r.read()).value); }));
    expect(firsts.every((text) => text.includes('event: snapshot') && text.includes('shop/checkout'))).toBe(true);
    expect(hub.clientCount).toBe(25);
    await new Promise((r) => setTimeout(r, 2000));
    expect(kubeRequestCounts.list).toBe(before.list);
    expect(kubeRequestCounts.watch).toBe(before.watch);
    // The API server's own count of open watches does not move either (others' watches are long-lived).
    expect(Math.abs((await openWatches()) - watchesBefore)).toBeLessThanOrEqual(2);
    abort.abort();
    hub.close();
    expect(hub.clientCount).toBe(0);
  });

  it('derives every demo workload', async () => {
    await waitFor('demo workloads in the cache', async () => (cache.workloads.size >= 6 ? true : undefined));
    const ids = [...cache.workloads.keys()];
    expect(ids).toEqual(expect.arrayContaining(['sandbox/Rollout/shop/checkout', 'sandbox/Rollout/shop/payments', 'sandbox/Deployment/shop/catalog']));
  });

  it('sees a change made with kubectl within moments, as a derived upsert', async () => {
    const seen: string[] = [];
    const off = cache.onChanges((changes) => {
      for (const c of changes) if (c.type === 'upsert') seen.push(`${c.workload.id}:${c.workload.labels['aviary-test'] ?? ''}`);
    });
    const value = `t${Date.now().toString(36)}`;
    await kubectl(await ensureBuilt(() => undefined), ['label', 'deployment', 'suggest', '-n', 'search', '--overwrite', `aviary-test=${value}`]);
    await waitFor('the label change to arrive', async () => (seen.includes(`sandbox/Deployment/search/suggest:${value}`) ? true : undefined), { timeoutMs: 10_000, intervalMs: 100 });
    off();
  });

  it('a frozen API server (apiserver-hang: connections half-open, watches silent) marks the cluster stale within 10 s, live again after', async () => {
    await waitFor('the cache to be live', async () => (cache.currentHealth().connected ? true : undefined), { timeoutMs: 60_000 });
    const hang = await startFault({ name: 'apiserver-hang' }, () => undefined);
    let staleAfterMs = 0;
    try {
      await waitFor('the cache to notice the silence', async () => (cache.currentHealth().connected ? undefined : true), { timeoutMs: 20_000, intervalMs: 100 });
      staleAfterMs = Date.now() - hang.startedAt;
      expect(cache.currentHealth().lastError).toMatch(/has not answered/);
    } finally {
      await hang.restore();
    }
    const restoredAt = Date.now();
    await waitFor('the cache to be live again', async () => (cache.currentHealth().connected ? true : undefined), { timeoutMs: 60_000, intervalMs: 100 });
    console.log(`[measure] apiserver-hang: cache stale after ${(staleAfterMs / 1000).toFixed(1)} s, live ${((Date.now() - restoredAt) / 1000).toFixed(1)} s after restore`);
    // The watchdog alone would take up to a minute; the liveness probe decides within 10 s.
    expect(staleAfterMs).toBeLessThan(10_000);
  });

  it('after the API server is killed and restarted mid-watch, the store equals a fresh list (no ghosts, no duplicates)', async () => {
    const healthSeen: boolean[] = [];
    const off = cache.onHealth((h) => healthSeen.push(h.connected));
    const outage = await startFault({ name: 'apiserver-down' }, () => undefined);
    await waitFor('the cache to notice', async () => (cache.currentHealth().connected ? undefined : true), { timeoutMs: 20_000 });
    expect(cache.currentHealth().staleSince).not.toBeNull();
    await outage.restore();
    // Changes the cache has not watched happen: a pod deleted, a workload scaled.
    await apps.patchNamespacedDeploymentScale(
      { namespace: 'search', name: 'suggest', body: { spec: { replicas: 3 } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    await waitFor('the cache to be live again', async () => (cache.currentHealth().connected ? true : undefined), { timeoutMs: 60_000 });
    for (const name of ['pods', 'replicaSets', 'deployments', 'rollouts'] as ResourceName[]) {
      await waitFor(`${name} in the cache to equal a fresh list`, async () => {
        const [fresh, mine] = [await freshList(name), cached(name)];
        const same = fresh.size === mine.size && [...fresh].every(([k, rv]) => mine.get(k) === rv);
        return same ? true : undefined;
      }, { timeoutMs: 30_000, intervalMs: 500 });
    }
    expect(healthSeen).toContain(false);
    expect(healthSeen.at(-1)).toBe(true);
    off();
    await apps.patchNamespacedDeploymentScale(
      { namespace: 'search', name: 'suggest', body: { spec: { replicas: 2 } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
  });
});
