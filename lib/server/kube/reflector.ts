import 'server-only';
import type { KubeObject } from '@/lib/rollouts/objects';
import { KubeHttpError } from './http';
import type { ResourceType } from './resources';
import type { ReflectorTransport, WatchEvent } from './transport';

export type ChangeType = 'added' | 'modified' | 'deleted';
export type ChangeListener<T> = (type: ChangeType, object: T) => void;

export interface ReflectorStatus {
  /** The store holds a complete list and a watch is (or was, until the last error) following it. */
  synced: boolean;
  lastSyncAt: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
  /** HTTP status of the last error, when the API server answered one (403, 404…). */
  lastErrorStatus: number | null;
  relists: number;
  watchRestarts: number;
}

export interface ReflectorOptions {
  /** Server-side watch timeout; the server ends the watch by then and we resume from the last resourceVersion. */
  watchTimeoutSeconds?: number;
  /**
   * A watch that sends nothing — no event, no bookmark, not the server's own end at its
   * timeoutSeconds — for this long is treated as half-open and torn down (default 60 s).
   */
  idleTimeoutMs?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  pageSize?: number;
}

/** How many times one relist starts over because its continue token expired before giving up. */
const MAX_LIST_RESTARTS = 3;
/** client-go's rule: a watch that ends this quickly with no event is a failure, not a clean end. */
const SHORT_WATCH_MS = 1000;

const keyOf = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
const isGone = (error: unknown) => error instanceof KubeHttpError && error.status === 410;
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * One list+watch of one kind, kept in memory, that survives what long-running watches meet. Like
 * client-go's reflector: a watch that ends or fails is resumed from the last resourceVersion seen
 * (events or bookmarks), after a backoff with jitter when it failed; only 410 Gone (that version is
 * compacted away) costs a full relist. A relist is diffed against the store so no ghost or duplicate
 * survives, and restarts from scratch when its continue token expires. An idle watchdog ends
 * half-open connections. The API calls sit behind a ReflectorTransport.
 */
export class Reflector<T extends KubeObject> {
  readonly store = new Map<string, T>();
  private readonly listeners = new Set<ChangeListener<T>>();
  private readonly syncListeners = new Set<(status: ReflectorStatus) => void>();
  private abort = new AbortController();
  private running = false;
  private resourceVersion: string | undefined;
  private failures = 0;
  readonly status: ReflectorStatus = {
    synced: false,
    lastSyncAt: null,
    lastError: null,
    lastErrorAt: null,
    lastErrorStatus: null,
    relists: 0,
    watchRestarts: 0,
  };

  constructor(
    private readonly transport: ReflectorTransport<T>,
    readonly type: ResourceType,
    private readonly options: ReflectorOptions = {},
  ) {}

  onChange(listener: ChangeListener<T>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onStatus(listener: (status: ReflectorStatus) => void): () => void {
    this.syncListeners.add(listener);
    return () => this.syncListeners.delete(listener);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.abort = new AbortController();
    void this.loop();
  }

  stop(): void {
    this.running = false;
    this.abort.abort();
  }

  private emit(type: ChangeType, object: T): void {
    for (const listener of this.listeners) listener(type, object);
  }

  private setStatus(patch: Partial<ReflectorStatus>): void {
    Object.assign(this.status, patch);
    for (const listener of this.syncListeners) listener(this.status);
  }

  private async loop(): Promise<void> {
    while (this.running) {
      try {
        if (this.resourceVersion === undefined) await this.relist();
        await this.watch();
        this.failures = 0;
      } catch (error) {
        if (!this.running) return;
        if (isGone(error)) {
          // The resourceVersion we hold is compacted away: only a fresh list can tell what changed.
          this.resourceVersion = undefined;
          continue;
        }
        this.failures += 1;
        this.setStatus({
          synced: false,
          lastError: messageOf(error),
          lastErrorAt: new Date().toISOString(),
          lastErrorStatus: error instanceof KubeHttpError ? error.status : null,
        });
        await this.sleep(this.backoffMs());
      }
    }
  }

  private backoffMs(): number {
    const base = this.options.backoffBaseMs ?? 500;
    const max = this.options.backoffMaxMs ?? 30_000;
    const exp = Math.min(max, base * 2 ** Math.min(this.failures - 1, 10));
    return exp / 2 + Math.random() * (exp / 2);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const signal = this.abort.signal;
      const wake = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      signal.addEventListener('abort', wake, { once: true });
    });
  }

  /** Objects are stored without managedFields: large, and nothing Aviary shows reads them. */
  private ingest(object: T): T {
    const metadata: T['metadata'] & { managedFields?: unknown } = { ...object.metadata };
    delete metadata.managedFields;
    return { ...object, kind: this.type.kind, metadata };
  }

  private async listAll(): Promise<{ items: Map<string, T>; resourceVersion: string }> {
    for (let attempt = 0; ; attempt++) {
      const items = new Map<string, T>();
      let continueToken: string | null = null;
      try {
        let resourceVersion = '';
        do {
          const page = await this.transport.list({ limit: this.options.pageSize ?? 500, continueToken }, this.abort.signal);
          for (const item of page.items) items.set(keyOf(item), this.ingest(item));
          continueToken = page.continueToken;
          resourceVersion = page.resourceVersion;
        } while (continueToken);
        return { items, resourceVersion };
      } catch (error) {
        // The continue token expired (its snapshot was compacted) mid-list: pages already read may be
        // inconsistent with the rest, so start the list over.
        if (isGone(error) && continueToken && attempt < MAX_LIST_RESTARTS) continue;
        throw error;
      }
    }
  }

  private async relist(): Promise<void> {
    const { items: fresh, resourceVersion } = await this.listAll();
    for (const [key, old] of this.store) {
      if (!fresh.has(key)) {
        this.store.delete(key);
        this.emit('deleted', old);
      }
    }
    for (const [key, item] of fresh) {
      const old = this.store.get(key);
      this.store.set(key, item);
      if (!old) this.emit('added', item);
      else if (old.metadata.resourceVersion !== item.metadata.resourceVersion) this.emit('modified', item);
    }
    this.resourceVersion = resourceVersion;
    this.setStatus({
      synced: true,
      lastSyncAt: new Date().toISOString(),
      lastError: null,
      lastErrorStatus: null,
      relists: this.status.relists + 1,
    });
  }

  /** One watch from the held resourceVersion; returns when the server ends it cleanly. */
  private async watch(): Promise<void> {
    // The server ends every watch within 40-50 s and the watch resumes from the held resourceVersion
    // (one cheap request): a healthy connection therefore always shows a sign of life — an event, a
    // bookmark or that clean end — well inside the 60 s idle watchdog, even when bookmarks run late on
    // a loaded API server, and a half-open one is torn down within 60 s.
    const timeoutSeconds = this.options.watchTimeoutSeconds ?? 40 + Math.floor(Math.random() * 10);
    const idleMs = this.options.idleTimeoutMs ?? 60_000;
    const controller = new AbortController();
    const stopWatch = () => controller.abort();
    this.abort.signal.addEventListener('abort', stopWatch, { once: true });
    let idle = false;
    let idleTimer: NodeJS.Timeout | undefined;
    const armIdle = () => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => {
        idle = true;
        controller.abort();
      }, idleMs);
    };
    const startedAt = Date.now();
    let received = 0;
    try {
      armIdle();
      const events = await this.transport.watch({ resourceVersion: this.resourceVersion ?? '', timeoutSeconds }, controller.signal);
      if (!this.status.synced) this.setStatus({ synced: true, lastSyncAt: new Date().toISOString(), lastError: null, lastErrorStatus: null });
      this.setStatus({ watchRestarts: this.status.watchRestarts + 1 });
      for await (const event of events) {
        armIdle();
        received += 1;
        this.apply(event);
        // A watch that delivers is healthy again: the next failure starts the backoff from the bottom.
        this.failures = 0;
      }
    } catch (error) {
      if (!idle) throw error;
    } finally {
      clearTimeout(idleTimer);
      this.abort.signal.removeEventListener('abort', stopWatch);
    }
    if (idle) throw new Error(`watch ${this.type.plural}: nothing received for ${idleMs / 1000} s, not even a bookmark`);
    if (received === 0 && Date.now() - startedAt < SHORT_WATCH_MS && this.running) {
      throw new Error(`watch ${this.type.plural}: ended at once with no event`);
    }
  }

  private apply(event: WatchEvent<T>): void {
    if (event.type === 'ERROR') {
      const status = event.object;
      throw new KubeHttpError(status.code ?? 0, status.reason ?? 'WatchError', `watch ${this.type.plural}: ${status.message ?? JSON.stringify(status)}`);
    }
    const object = event.object;
    if (object.metadata?.resourceVersion) this.resourceVersion = object.metadata.resourceVersion;
    if (event.type === 'BOOKMARK') return;
    const item = this.ingest(object);
    const key = keyOf(item);
    if (event.type === 'DELETED') {
      if (this.store.delete(key)) this.emit('deleted', item);
      return;
    }
    const existed = this.store.has(key);
    this.store.set(key, item);
    this.emit(existed ? 'modified' : 'added', item);
  }
}
