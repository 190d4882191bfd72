import 'server-only';
import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeObject } from '@/lib/rollouts/objects';
import { kubeGet, kubeGetJson, readBody, REQUEST_TIMEOUT_MS, statusError } from './http';
import { collectionPath, type ResourceType } from './resources';

export interface ListPage<T> {
  items: T[];
  resourceVersion: string;
  /** Token for the next page; null on the last one. */
  continueToken: string | null;
}

/** The API server's Status object, as a watch ERROR event carries it. */
export interface KubeStatus {
  code?: number;
  reason?: string;
  message?: string;
}

export type WatchEvent<T> =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK'; object: T }
  | { type: 'ERROR'; object: KubeStatus };

/**
 * What a reflector needs from the API server, and nothing more: one page of a LIST, and a watch from
 * a resourceVersion. HTTP errors are thrown as KubeHttpError (status 410 included); the watch's
 * events end when the server ends the watch or `signal` aborts.
 */
export interface ReflectorTransport<T> {
  list(page: { limit: number; continueToken: string | null }, signal: AbortSignal): Promise<ListPage<T>>;
  watch(from: { resourceVersion: string; timeoutSeconds: number }, signal: AbortSignal): Promise<AsyncIterable<WatchEvent<T>>>;
}

interface ListResponse<T> {
  metadata: { resourceVersion: string; continue?: string };
  items: T[];
}

/**
 * Newline-delimited JSON events from the response body. Iterates the stream itself rather than
 * node:readline: readline's async iterator never finishes when its input is destroyed without an
 * 'end' — exactly what the idle watchdog does to a half-open watch — so the watchdog's abort would
 * leave the reflector waiting forever.
 */
export async function* watchEvents<T>(source: AsyncIterable<string | Buffer>): AsyncIterable<WatchEvent<T>> {
  let buffered = '';
  for await (const chunk of source) {
    buffered += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line.trim()) yield JSON.parse(line) as WatchEvent<T>;
      newline = buffered.indexOf('\n');
    }
  }
  if (buffered.trim()) yield JSON.parse(buffered) as WatchEvent<T>;
}

/** The transport over HTTPS with the kubeconfig's credentials; every request is bounded in time. */
export function httpTransport<T extends KubeObject>(kc: KubeConfig, type: ResourceType, namespace?: string): ReflectorTransport<T> {
  const path = collectionPath(type, namespace);
  return {
    async list({ limit, continueToken }, signal) {
      const params = new URLSearchParams({ limit: String(limit) });
      if (continueToken) params.set('continue', continueToken);
      const list = await kubeGetJson<ListResponse<T>>(kc, `${path}?${params}`, signal);
      return { items: list.items, resourceVersion: list.metadata.resourceVersion, continueToken: list.metadata.continue || null };
    },
    async watch({ resourceVersion, timeoutSeconds }, signal) {
      const params = new URLSearchParams({
        watch: '1',
        // Bookmarks (about once a minute) keep the resourceVersion fresh and prove a quiet watch alive.
        allowWatchBookmarks: 'true',
        timeoutSeconds: String(timeoutSeconds),
        resourceVersion,
      });
      const res = await kubeGet(kc, `${path}?${params}`, { signal, headersTimeoutMs: REQUEST_TIMEOUT_MS });
      if ((res.statusCode ?? 0) >= 300) throw statusError(res.statusCode ?? 0, await readBody(res), `watch ${type.plural}`);
      signal.addEventListener('abort', () => res.destroy(), { once: true });
      // utf8 decoding in the stream, so a character split across chunks arrives whole.
      res.setEncoding('utf8');
      return watchEvents<T>(res);
    },
  };
}
