import 'server-only';
import { createInterface } from 'node:readline';
import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeObject } from '@/lib/rollouts/objects';
import { kubeGet, kubeGetJson, KubeHttpError } from './http';
import { collectionPath, type ResourceType } from './resources';

export type ChangeType = 'added' | 'modified' | 'deleted';
export type ChangeListener<T> = (type: ChangeType, object: T) => void;

export interface ReflectorStatus {
  synced: boolean;
  lastSyncAt: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
  relists: number;
  watchRestarts: number;
}

export interface ReflectorOptions {
  namespace?: string;
  /** Server-side watch timeout; the server ends the watch by then and we resume from the last resourceVersion. */
  watchTimeoutSeconds?: number;
  /** A watch that sends nothing (not even a bookmark) for this long is treated as half-open and torn down. */
  idleTimeoutMs?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  pageSize?: number;
}

interface ListResponse<T> {
  metadata: { resourceVersion: string; continue?: string };
  items: T[];
}

interface WatchEvent<T> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: T & { code?: number; message?: string; reason?: string };
}

class GoneError extends Error {}

const keyOf = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/**
 * One list+watch of one kind, kept in memory, that survives what long-running watches meet:
 * any error → backoff with jitter and a fresh list (client-node's informer would stop on non-410
 * errors); 410 Gone → relist; bookmarks keep the resourceVersion fresh; an idle watchdog ends
 * half-open connections. A relist is diffed against the store so no ghost or duplicate survives.
 */
export class Reflector<T extends KubeObject> {
  readonly store = new Map<string, T>();
  private readonly listeners = new Set<ChangeListener<T>>();
  private readonly syncListeners = new Set<(status: ReflectorStatus) => void>();
  private abort = new AbortController();
  private running = false;
  private resourceVersion: string | undefined;
  private failures = 0;
  readonly status: ReflectorStatus = { synced: false, lastSyncAt: null, lastError: null, lastErrorAt: null, relists: 0, watchRestarts: 0 };

  constructor(
    private readonly kc: KubeConfig,
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
        this.setStatus({ watchRestarts: this.status.watchRestarts + 1 });
      } catch (error) {
        if (!this.running) return;
        // Anything but a clean end of the watch: list again, so nothing missed survives.
        this.resourceVersion = undefined;
        if (error instanceof GoneError) continue;
        this.failures += 1;
        const message = error instanceof Error ? error.message : String(error);
        this.setStatus({ synced: false, lastError: message, lastErrorAt: new Date().toISOString() });
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

  private async relist(): Promise<void> {
    const fresh = new Map<string, T>();
    let continueToken: string | undefined;
    let resourceVersion = '';
    do {
      const params = new URLSearchParams({ limit: String(this.options.pageSize ?? 500) });
      if (continueToken) params.set('continue', continueToken);
      const list = await kubeGetJson<ListResponse<T>>(this.kc, `${collectionPath(this.type, this.options.namespace)}?${params}`, this.abort.signal);
      for (const item of list.items) fresh.set(keyOf(item), { ...item, kind: this.type.kind });
      continueToken = list.metadata.continue || undefined;
      resourceVersion = list.metadata.resourceVersion;
    } while (continueToken);

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
    this.setStatus({ synced: true, lastSyncAt: new Date().toISOString(), lastError: null, relists: this.status.relists + 1 });
  }

  private async watch(): Promise<void> {
    const timeoutSeconds = this.options.watchTimeoutSeconds ?? 240 + Math.floor(Math.random() * 60);
    const params = new URLSearchParams({
      watch: '1',
      allowWatchBookmarks: 'true',
      timeoutSeconds: String(timeoutSeconds),
      resourceVersion: this.resourceVersion ?? '',
    });
    const controller = new AbortController();
    const stopWatch = () => controller.abort();
    this.abort.signal.addEventListener('abort', stopWatch, { once: true });
    const res = await kubeGet(this.kc, `${collectionPath(this.type, this.options.namespace)}?${params}`, controller.signal);
    if (res.statusCode === 410) throw new GoneError('410 Gone');
    if ((res.statusCode ?? 0) >= 300) {
      res.resume();
      throw new KubeHttpError(res.statusCode ?? 0, 'WatchFailed', `watch ${this.type.plural}: HTTP ${res.statusCode}`);
    }
    const idleMs = this.options.idleTimeoutMs ?? (timeoutSeconds + 30) * 1000;
    let idleTimer = setTimeout(() => controller.abort(new Error('watch idle: no event or bookmark')), idleMs);
    const lines = createInterface({ input: res, crlfDelay: Infinity });
    try {
      for await (const line of lines) {
        clearTimeout(idleTimer);
        idleTimer = setTimeout(() => controller.abort(new Error('watch idle: no event or bookmark')), idleMs);
        if (!line.trim()) continue;
        this.apply(JSON.parse(line) as WatchEvent<T>);
      }
      if (controller.signal.aborted && this.running) throw controller.signal.reason ?? new Error('watch aborted');
    } finally {
      clearTimeout(idleTimer);
      this.abort.signal.removeEventListener('abort', stopWatch);
      res.destroy();
    }
  }

  private apply(event: WatchEvent<T>): void {
    const object = event.object;
    if (event.type === 'ERROR') {
      if (object.code === 410) throw new GoneError(object.message ?? '410 Gone');
      throw new Error(`watch error: ${object.message ?? JSON.stringify(object)}`);
    }
    if (object.metadata?.resourceVersion) this.resourceVersion = object.metadata.resourceVersion;
    if (event.type === 'BOOKMARK') return;
    const item = { ...object, kind: this.type.kind } as T;
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
