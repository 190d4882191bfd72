/**
 * The reflector's assumptions about the API server, checked against the real one in the sandbox:
 * a watch from a compacted resourceVersion gets 410 Gone; a quiet watch with allowWatchBookmarks
 * gets bookmarks and is ended by the server at its timeoutSeconds; a frozen API server (apiserver-hang fault) is
 * noticed by the watchdog and the request timeouts, and the reflector is live again after it.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));

import { KubeConfig } from '@kubernetes/client-node';
import type { KubeObject } from '@/lib/rollouts/objects';
import { paths } from '@/sandbox/lib/config';
import { startFault } from '@/sandbox/lib/faults';
import { waitFor } from '@/test/sandbox';
import { kubeGetJson, KubeHttpError } from './http';
import { Reflector } from './reflector';
import { collectionPath, RESOURCES } from './resources';
import { httpTransport, type ReflectorTransport, type WatchEvent } from './transport';

const kc = new KubeConfig();
kc.loadFromFile(paths.kubeconfig);
const log = (line: string) => console.log(`[fault] ${line}`);

/** Reads a watch until `stop` says so or it ends; returns what arrived (or the HTTP error it was refused with). */
async function watchUntil(
  transport: ReflectorTransport<KubeObject>,
  resourceVersion: string,
  stop: (event: WatchEvent<KubeObject>) => boolean,
  timeoutSeconds: number,
): Promise<WatchEvent<KubeObject>[] | KubeHttpError> {
  const abort = new AbortController();
  const events: WatchEvent<KubeObject>[] = [];
  try {
    for await (const event of await transport.watch({ resourceVersion, timeoutSeconds }, abort.signal)) {
      events.push(event);
      if (stop(event)) break;
    }
    return events;
  } catch (error) {
    if (error instanceof KubeHttpError) return error;
    throw error;
  } finally {
    abort.abort();
  }
}

describe('the API server, as the reflector relies on it', () => {
  // Pods in a demo namespace: a kind with history, so version 1 is older than what the watch cache holds
  // (an empty kind's cache would answer it with a bookmark instead).
  const pods = httpTransport<KubeObject>(kc, RESOURCES.pods, 'shop');

  it('answers a watch from a compacted resourceVersion with 410 Gone (as an ERROR event or the HTTP status)', async () => {
    const result = await watchUntil(pods, '1', () => true, 10);
    const error = result instanceof KubeHttpError ? undefined : result.find((e) => e.type === 'ERROR');
    const status = result instanceof KubeHttpError ? result.status : error?.type === 'ERROR' ? error.object.code : undefined;
    expect(status).toBe(410);
  });

  it('sends bookmarks on a quiet watch with allowWatchBookmarks (they keep the resourceVersion fresh)', async () => {
    const list = await kubeGetJson<{ metadata: { resourceVersion: string } }>(kc, `${collectionPath(RESOURCES.hpas, 'kube-public')}?limit=1`);
    const result = await watchUntil(httpTransport<KubeObject>(kc, RESOURCES.hpas, 'kube-public'), list.metadata.resourceVersion, (e) => e.type === 'BOOKMARK', 110);
    expect(result).not.toBeInstanceOf(KubeHttpError);
    const bookmark = (result as WatchEvent<KubeObject>[]).find((e) => e.type === 'BOOKMARK');
    expect(bookmark, 'no bookmark within the watch').toBeDefined();
    expect((bookmark?.object as KubeObject).metadata.resourceVersion).toBeTruthy();
  }, 150_000);

  it('ends a quiet watch itself at its timeoutSeconds, so a healthy watch never looks silent to the watchdog', async () => {
    // Bookmarks come about once a minute, later on a loaded server; the server-side timeout does not
    // depend on them: the reflector asks for 40-50 s, under its 60 s idle watchdog.
    const list = await kubeGetJson<{ metadata: { resourceVersion: string } }>(kc, `${collectionPath(RESOURCES.hpas, 'kube-public')}?limit=1`);
    const result = await watchUntil(httpTransport<KubeObject>(kc, RESOURCES.hpas, 'kube-public'), list.metadata.resourceVersion, () => false, 5);
    expect(result).not.toBeInstanceOf(KubeHttpError);
  }, 60_000);

  it('makes a reflector whose resourceVersion is compacted away relist, once, and carry on watching', async () => {
    let lists = 0;
    // The first list claims version 1, as if the reflector had held it through a long outage.
    const stale: ReflectorTransport<KubeObject> = {
      list: async (page, signal) => ({ ...(await pods.list(page, signal)), ...(lists++ === 0 && !page.continueToken ? { resourceVersion: '1' } : {}) }),
      watch: (from, signal) => pods.watch(from, signal),
    };
    const reflector = new Reflector<KubeObject>(stale, RESOURCES.pods);
    reflector.start();
    try {
      await waitFor('the relist after 410', async () => (reflector.status.relists === 2 && reflector.status.watchRestarts >= 2 ? true : undefined), { timeoutMs: 30_000 });
      expect(reflector.status).toMatchObject({ synced: true, lastError: null });
      expect(reflector.store.size).toBeGreaterThan(0);
    } finally {
      reflector.stop();
    }
  });
});

describe('a reflector facing a frozen API server (apiserver-hang fault)', () => {
  const reflector = new Reflector<KubeObject>(httpTransport(kc, RESOURCES.pods, 'shop'), RESOURCES.pods, { idleTimeoutMs: 8_000, backoffMaxMs: 2_000 });
  afterAll(() => reflector.stop());

  it('notices the silent watch, bounds its requests, and is live and complete again after the API server thaws', async () => {
    reflector.start();
    await waitFor('the reflector to sync', async () => (reflector.status.synced ? true : undefined), { timeoutMs: 30_000 });
    const fault = await startFault({ name: 'apiserver-hang' }, log);
    try {
      await waitFor('the watchdog to notice', async () => (!reflector.status.synced ? reflector.status.lastError : undefined), { timeoutMs: 20_000 });
      expect(reflector.status.lastError).toMatch(/nothing received for 8 s/);
      // A LIST against the frozen server fails within its bound instead of waiting forever.
      await expect(kubeGetJson(kc, `${collectionPath(RESOURCES.pods, 'shop')}?limit=1`, undefined, 2_000)).rejects.toThrow(/no complete answer within 2 s/);
    } finally {
      await fault.restore();
    }
    await waitFor('the reflector to be live again', async () => (reflector.status.synced ? true : undefined), { timeoutMs: 90_000 });
    const fresh = await kubeGetJson<{ items: KubeObject[] }>(kc, collectionPath(RESOURCES.pods, 'shop'));
    await waitFor(
      'the store to equal a fresh list',
      async () => {
        const cached = new Set(reflector.store.keys());
        return fresh.items.every((o) => cached.has(`${o.metadata.namespace}/${o.metadata.name}`)) ? true : undefined;
      },
      { timeoutMs: 30_000 },
    );
  }, 180_000);
});
