import { afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));

import type { KubeObject } from '@/lib/rollouts/objects';
import { KubeHttpError } from './http';
import { Reflector, type ChangeType } from './reflector';
import { RESOURCES } from './resources';
import type { ListPage, ReflectorTransport, WatchEvent } from './transport';

type Obj = KubeObject & { spec?: { n: number } };
type WatchScript = { events: WatchEvent<Obj>[]; then: 'end' | 'hang' | Error } | Error;

const obj = (name: string, resourceVersion: string, extra: Partial<Obj['metadata']> = {}): Obj => ({
  metadata: { name, namespace: 'shop', resourceVersion, ...extra },
});
const page = (items: Obj[], resourceVersion: string, continueToken: string | null = null): ListPage<Obj> => ({ items, resourceVersion, continueToken });
const gone = (message = 'too old resource version') => new KubeHttpError(410, 'Expired', message);

const untilAborted = (signal: AbortSignal) => new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));

/** Answers each list and watch call with the next scripted response; once out of script, it hangs like a quiet server. */
class ScriptedTransport implements ReflectorTransport<Obj> {
  readonly calls: string[] = [];
  constructor(
    private readonly lists: (ListPage<Obj> | Error)[],
    private readonly watches: WatchScript[],
  ) {}

  async list({ continueToken }: { continueToken: string | null }, signal: AbortSignal): Promise<ListPage<Obj>> {
    this.calls.push(continueToken ? `list ${continueToken}` : 'list');
    const step = this.lists.shift();
    if (!step) return untilAborted(signal).then(() => Promise.reject(new Error('aborted')));
    if (step instanceof Error) throw step;
    return step;
  }

  async watch({ resourceVersion }: { resourceVersion: string }, signal: AbortSignal): Promise<AsyncIterable<WatchEvent<Obj>>> {
    this.calls.push(`watch ${resourceVersion}`);
    const step = this.watches.shift() ?? { events: [], then: 'hang' };
    if (step instanceof Error) throw step;
    return (async function* () {
      for (const event of step.events) yield event;
      if (step.then === 'hang') await untilAborted(signal);
      else if (step.then instanceof Error) throw step.then;
    })();
  }
}

let running: Reflector<Obj> | undefined;
afterEach(() => running?.stop());

function start(transport: ScriptedTransport, idleTimeoutMs = 5_000) {
  const reflector = new Reflector<Obj>(transport, RESOURCES.pods, { backoffBaseMs: 1, backoffMaxMs: 2, idleTimeoutMs, watchTimeoutSeconds: 60 });
  const changes: [ChangeType, string][] = [];
  reflector.onChange((type, o) => changes.push([type, o.metadata.name]));
  running = reflector;
  reflector.start();
  return { reflector, changes };
}

async function until(description: string, condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${description}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('Reflector', () => {
  it('lists every page, then resumes each cleanly ended watch from the last resourceVersion without listing again', async () => {
    const transport = new ScriptedTransport(
      [page([obj('a', '5')], '', 't1'), page([obj('b', '7')], '10')],
      [{ events: [{ type: 'MODIFIED', object: obj('a', '11') }], then: 'end' }],
    );
    const { reflector, changes } = start(transport);
    await until('the second watch', () => transport.calls.length === 4);
    expect(transport.calls).toEqual(['list', 'list t1', 'watch 10', 'watch 11']);
    expect(changes).toEqual([['added', 'a'], ['added', 'b'], ['modified', 'a']]);
    expect(reflector.status).toMatchObject({ synced: true, relists: 1 });
  });

  it('resumes after a transient error (HTTP 500, connection reset) from the last resourceVersion, after a backoff, without relisting', async () => {
    const transport = new ScriptedTransport(
      [page([obj('a', '5')], '10')],
      [
        { events: [{ type: 'ADDED', object: obj('b', '12') }], then: new Error('read ECONNRESET') },
        new KubeHttpError(500, 'InternalError', 'watch pods: 500 etcd leader changed'),
      ],
    );
    const statuses: boolean[] = [];
    const { reflector } = start(transport);
    reflector.onStatus((s) => statuses.push(s.synced));
    await until('the third watch', () => transport.calls.length === 4);
    expect(transport.calls).toEqual(['list', 'watch 10', 'watch 12', 'watch 12']);
    expect(reflector.status.relists).toBe(1);
    // Not live while the watch was down; live again once it is re-established.
    expect(statuses).toContain(false);
    await until('synced again', () => reflector.status.synced);
    expect(reflector.status.lastError).toBeNull();
  });

  it('relists on 410 Gone sent as a watch ERROR event, and the relist removes what vanished meanwhile', async () => {
    const transport = new ScriptedTransport(
      [page([obj('a', '5'), obj('b', '6')], '10'), page([obj('a', '5')], '30')],
      [{ events: [{ type: 'ERROR', object: { code: 410, reason: 'Expired', message: 'too old resource version: 10 (25)' } }], then: 'hang' }],
    );
    const { reflector, changes } = start(transport);
    await until('the watch after the relist', () => transport.calls.length === 4);
    expect(transport.calls).toEqual(['list', 'watch 10', 'list', 'watch 30']);
    expect(changes).toEqual([['added', 'a'], ['added', 'b'], ['deleted', 'b']]);
    expect(reflector.status).toMatchObject({ relists: 2, synced: true });
  });

  it('relists on 410 Gone sent as the HTTP status of the watch', async () => {
    const transport = new ScriptedTransport([page([], '10'), page([obj('a', '31')], '31')], [gone()]);
    const { reflector, changes } = start(transport);
    await until('the watch after the relist', () => transport.calls.length === 4);
    expect(transport.calls).toEqual(['list', 'watch 10', 'list', 'watch 31']);
    expect(changes).toEqual([['added', 'a']]);
    expect(reflector.status.lastError).toBeNull();
  });

  it('starts a paged list over when its continue token expires (410 with continue), keeping nothing from the abandoned pages', async () => {
    const transport = new ScriptedTransport(
      [page([obj('old', '3')], '', 't1'), gone('continue token expired'), page([obj('a', '20')], '', 't2'), page([obj('b', '21')], '22')],
      [],
    );
    const { reflector } = start(transport);
    await until('the watch', () => transport.calls.includes('watch 22'));
    expect(transport.calls).toEqual(['list', 'list t1', 'list', 'list t2', 'watch 22']);
    expect([...reflector.store.keys()]).toEqual(['shop/a', 'shop/b']);
  });

  it('takes the resourceVersion of bookmarks, which change nothing in the store', async () => {
    const transport = new ScriptedTransport([page([obj('a', '5')], '10')], [{ events: [{ type: 'BOOKMARK', object: obj('', '57') }], then: 'end' }]);
    const { changes } = start(transport);
    await until('the resumed watch', () => transport.calls.length === 3);
    expect(transport.calls).toEqual(['list', 'watch 10', 'watch 57']);
    expect(changes).toEqual([['added', 'a']]);
  });

  it('tears down a watch that goes silent (no event, no bookmark) and resumes it, reporting why', async () => {
    const transport = new ScriptedTransport([page([obj('a', '5')], '10')], [{ events: [], then: 'hang' }]);
    const errors: (string | null)[] = [];
    const { reflector } = start(transport, 60);
    reflector.onStatus((s) => errors.push(s.lastError));
    await until('the watch to be resumed', () => transport.calls.length === 3);
    expect(transport.calls).toEqual(['list', 'watch 10', 'watch 10']);
    expect(errors.some((e) => e?.includes('nothing received for 0.06 s'))).toBe(true);
  });

  it('counts a watch that ends at once with no event as a failure, so a misbehaving server is not hammered', async () => {
    const transport = new ScriptedTransport([page([], '10')], [{ events: [], then: 'end' }]);
    const errors: (string | null)[] = [];
    const { reflector } = start(transport);
    reflector.onStatus((s) => errors.push(s.lastError));
    await until('the second watch', () => transport.calls.length === 3);
    expect(errors).toContain('watch pods: ended at once with no event');
  });

  it('keeps the HTTP status of a failed list (403 Forbidden) and retries', async () => {
    const transport = new ScriptedTransport([new KubeHttpError(403, 'Forbidden', 'pods is forbidden'), page([], '10')], []);
    const statuses: (number | null)[] = [];
    const { reflector } = start(transport);
    reflector.onStatus((s) => statuses.push(s.lastErrorStatus));
    await until('the watch', () => transport.calls.includes('watch 10'));
    expect(statuses[0]).toBe(403);
    expect(reflector.status).toMatchObject({ synced: true, lastErrorStatus: null });
  });

  it('strips metadata.managedFields from listed and watched objects', async () => {
    const managedFields = [{ manager: 'kubectl', operation: 'Apply' }];
    const transport = new ScriptedTransport(
      [page([obj('a', '5', { managedFields } as Partial<Obj['metadata']>)], '10')],
      [{ events: [{ type: 'ADDED', object: obj('b', '11', { managedFields } as Partial<Obj['metadata']>) }], then: 'hang' }],
    );
    const { reflector } = start(transport);
    await until('b', () => reflector.store.has('shop/b'));
    for (const o of reflector.store.values()) {
      expect(o.metadata).not.toHaveProperty('managedFields');
      expect(o.kind).toBe('Pod');
    }
  });
});
