import { ClusterHealth, DeleteEvent, StreamReady, StreamSnapshot, type ClusterHealthDto } from '@/lib/contracts/stream';
import { WorkloadRow } from '@/lib/contracts/overview';
import { WorkloadSummary } from '@/lib/contracts/workload';
import type { ConnectionStore } from './connection';
import { SseParser, type SseMessage } from './sse';

/** Where validated stream events go (the query cache, in the app). */
export interface StreamSink {
  snapshot(snapshot: StreamSnapshot): void;
  /** A changed row of the overview. */
  upsert(row: WorkloadRow): void;
  /** The full summary of a workload this tab has open (see `watch`). */
  detail(workload: WorkloadSummary): void;
  remove(id: string): void;
  health(health: ClusterHealthDto): void;
}

export type StreamFetch = (url: string, init: { headers: Record<string, string>; signal: AbortSignal; cache: 'no-store' }) => Promise<Response>;

export interface LiveStreamOptions {
  fetch: StreamFetch;
  sink: StreamSink;
  connection: ConnectionStore;
  /**
   * Where a connection without a Last-Event-ID first fetches the snapshot (gzipped bytes the server
   * shares between viewers); the stream then opens from its lastEventId, so the server sends no
   * snapshot frame unless that id is already too old. Unset: the stream's own snapshot frame.
   */
  snapshotUrl?: string;
  /**
   * Read once, at the first connection: the event id of data the page already has (a server-rendered
   * overview hydrates its rows with the id they were read at). The stream then resumes from it —
   * the deltas since — instead of fetching the snapshot again. An id the server no longer knows
   * (another replica, too old) gets a snapshot frame on the stream, as any resume does.
   */
  resumeFrom?: () => string | null;
  /** Read at every connection: it names the workloads the tab has open (`?watch=`). */
  url?: string | (() => string);
  /** No byte at all (heartbeats come every 15 s) for this long means the connection is dead even if the socket is not. */
  silenceMs?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  random?: () => number;
  warn?: (message: string, error: unknown) => void;
}

/** Exponential, capped, with jitter in [half, full] so a restarted server is not hit by every tab at once. */
export function retryDelayMs(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(attempt - 1, 0), 16));
  return ceiling / 2 + random() * (ceiling / 2);
}

const clock = (iso: string) => new Date(iso).toLocaleTimeString();
const anEvent = (event: string) => `${/^[aeiou]/.test(event) ? 'an' : 'a'} ${event} event`;

/**
 * The browser's one live connection: a snapshot, then deltas, resumed with Last-Event-ID. Any
 * failure — the server or a proxy answering an error, a dropped or silent connection — is retried
 * with backoff and said in words on the connection store. An event that fails validation is never
 * applied: the stream reconnects without Last-Event-ID, so a fresh snapshot replaces what the client
 * may have missed.
 */
export class LiveStream {
  private lastEventId: string | null = null;
  private attempts = 0;
  private stopped = false;
  private controller: AbortController | null = null;
  private wakeSleeper: (() => void) | null = null;
  /** Set by retarget(): the connection ends on purpose and the next one starts at once, resuming. */
  private retargeting = false;
  /** Said on the indicator once the stream is live again after a resync. */
  private recovered: string | null = null;

  constructor(private readonly options: LiveStreamOptions) {}

  start(): void {
    this.lastEventId = this.options.resumeFrom?.() ?? null;
    void this.run();
  }

  stop(): void {
    this.stopped = true;
    this.controller?.abort();
    this.wakeSleeper?.();
  }

  /**
   * What the stream should carry changed (a detail page opened or closed): reconnect now with
   * Last-Event-ID, so the server resumes and adds what is new; the indicator stays live.
   */
  retarget(): void {
    if (this.stopped) return;
    this.retargeting = true;
    this.controller?.abort();
    this.wakeSleeper?.();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const problem = await this.connectOnce();
      if (this.stopped) return;
      if (this.retargeting) {
        this.retargeting = false;
        continue;
      }
      this.attempts += 1;
      const { backoffBaseMs = 1000, backoffMaxMs = 30_000, random = Math.random } = this.options;
      const delay = retryDelayMs(this.attempts, backoffBaseMs, backoffMaxMs, random);
      this.options.connection.lost(problem, new Date(Date.now() + delay).toISOString());
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wakeSleeper = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeSleeper = null;
      if (!this.stopped && this.options.connection.get().status === 'reconnecting') this.options.connection.lost(problem, null);
    }
  }

  /** One connection, from request to end; returns why it ended. */
  private async connectOnce(): Promise<string> {
    const controller = new AbortController();
    this.controller = controller;
    if (this.lastEventId === null && this.options.snapshotUrl) {
      const problem = await this.fetchSnapshot(this.options.snapshotUrl, controller.signal);
      if (problem) return problem;
    }
    const headers: Record<string, string> = { Accept: 'text/event-stream' };
    if (this.lastEventId) headers['Last-Event-ID'] = this.lastEventId;
    let res: Response;
    try {
      const { url = '/api/stream' } = this.options;
      this.retargeting = false;
      res = await this.options.fetch(typeof url === 'function' ? url() : url, { headers, signal: controller.signal, cache: 'no-store' });
    } catch {
      return 'cannot reach the server';
    }
    const type = res.headers.get('content-type') ?? '';
    if (!res.ok || !res.body || !type.startsWith('text/event-stream')) {
      void res.body?.cancel().catch(() => undefined);
      return res.ok ? `server answered ${res.status} with ${type.split(';')[0] || 'no content type'}, not an event stream` : `server answered ${res.status}`;
    }
    return this.read(res.body, controller);
  }

  /** The snapshot as JSON, validated like a stream event; returns a problem, or null once applied. */
  private async fetchSnapshot(url: string, signal: AbortSignal): Promise<string | null> {
    let res: Response;
    try {
      res = await this.options.fetch(url, { headers: { Accept: 'application/json' }, signal, cache: 'no-store' });
    } catch {
      return 'cannot reach the server';
    }
    if (!res.ok) {
      void res.body?.cancel().catch(() => undefined);
      return `server answered ${res.status}`;
    }
    let snapshot: StreamSnapshot;
    try {
      // Shared gzipped bytes (application/gzip): inflated here, in the browser.
      const gzipped = (res.headers.get('content-type') ?? '').startsWith('application/gzip') && res.body;
      const body: unknown = gzipped ? await new Response(gzipped.pipeThrough(new DecompressionStream('gzip'))).json() : await res.json();
      snapshot = StreamSnapshot.parse(body);
    } catch (error) {
      if (signal.aborted) return 'the connection dropped';
      (this.options.warn ?? console.warn)('[aviary] live stream: the snapshot failed validation', error);
      return 'the snapshot did not match the expected shape';
    }
    this.options.sink.snapshot(snapshot);
    this.lastEventId = snapshot.lastEventId;
    return null;
  }

  private async read(body: ReadableStream<Uint8Array>, controller: AbortController): Promise<string> {
    const silenceMs = this.options.silenceMs ?? 45_000;
    const parser = new SseParser();
    const decoder = new TextDecoder();
    const reader = body.getReader();
    let silent = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        silent = true;
        controller.abort();
      }, silenceMs);
    };
    arm();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return 'the server ended the stream';
        arm();
        for (const message of parser.push(decoder.decode(value, { stream: true }))) {
          const problem = this.handle(message);
          if (problem) return problem;
        }
      }
    } catch {
      return silent ? `no event for ${silenceMs / 1000} s` : 'the connection dropped';
    } finally {
      clearTimeout(timer);
      controller.abort();
      reader.releaseLock();
    }
  }

  /** Applies one event; returns a problem when it forces a resync. */
  private handle(message: SseMessage): string | null {
    const { sink, connection } = this.options;
    try {
      const data: unknown = JSON.parse(message.data);
      switch (message.event) {
        case 'ready':
          StreamReady.parse(data);
          connection.live(this.takeRecovered());
          break;
        case 'snapshot':
          sink.snapshot(StreamSnapshot.parse(data));
          break;
        case 'upsert':
          sink.upsert(WorkloadRow.parse(data));
          break;
        case 'detail':
          sink.detail(WorkloadSummary.parse(data));
          break;
        case 'delete':
          sink.remove(DeleteEvent.parse(data).id);
          break;
        case 'health':
          sink.health(ClusterHealth.parse(data));
          break;
        default:
          break;
      }
    } catch (error) {
      // Applying the rest after a dropped event would show a state the server never had.
      this.lastEventId = null;
      const at = new Date().toISOString();
      this.recovered = `resynced at ${clock(at)}: ${anEvent(message.event)} did not match the expected shape`;
      (this.options.warn ?? console.warn)(`[aviary] live stream: ${message.event} event ${message.id ?? ''} failed validation; resyncing from a fresh snapshot`, error);
      return `${anEvent(message.event)} failed validation; reloading everything`;
    }
    if (message.event !== 'ready') {
      this.attempts = 0;
      connection.live(this.takeRecovered());
    }
    if (message.id) this.lastEventId = message.id;
    return null;
  }

  /** The recovery notice goes to the first live state after it, then stays there until the next loss. */
  private takeRecovered(): string | null {
    const notice = this.recovered;
    this.recovered = null;
    return notice;
  }
}
