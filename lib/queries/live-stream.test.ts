import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectionStore, type ConnectionState } from './connection';
import { LiveStream, retryDelayMs, type StreamFetch, type StreamSink } from './live-stream';

/** One request the stream made: what it sent, and a handle to write its response body. */
interface Connection {
  lastEventId: string | null;
  send(text: string): void;
  end(): void;
}

/** Stands in for /api/stream: each request gets the next scripted status, or (out of script) an open event stream. */
class FakeStreamServer {
  readonly connections: Connection[] = [];
  constructor(private readonly statuses: { status: number; contentType?: string }[] = []) {}

  fetch: StreamFetch = async (_url, init) => {
    const scripted = this.statuses.shift();
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({ start: (c) => (controller = c) });
    const encoder = new TextEncoder();
    init.signal.addEventListener('abort', () => controller.error(new Error('aborted')), { once: true });
    this.connections.push({
      lastEventId: init.headers['Last-Event-ID'] ?? null,
      send: (text) => controller.enqueue(encoder.encode(text)),
      end: () => controller.close(),
    });
    if (scripted) return new Response(scripted.status >= 300 ? 'Bad Gateway' : body, { status: scripted.status, headers: { 'content-type': scripted.contentType ?? 'text/plain' } });
    return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream; charset=utf-8' } });
  };
}

const frame = (event: string, data: unknown, id?: string) => `${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
const ready = (resumed: boolean) => frame('ready', { resumed });
const snapshot = (id: string) => frame('snapshot', { epoch: 'e', lastEventId: id, workloads: [], health: [] }, id);

function sink() {
  return { snapshot: vi.fn(), upsert: vi.fn(), detail: vi.fn(), remove: vi.fn(), health: vi.fn() } satisfies StreamSink;
}

let stream: LiveStream | undefined;
afterEach(() => stream?.stop());

function start(server: FakeStreamServer, extra: { silenceMs?: number; url?: () => string } = {}) {
  const connection = new ConnectionStore();
  const states: ConnectionState[] = [];
  connection.subscribe(() => states.push(connection.get()));
  const events = sink();
  const warn = vi.fn();
  stream = new LiveStream({ fetch: server.fetch, sink: events, connection, backoffBaseMs: 10, backoffMaxMs: 40, random: () => 1, warn, ...extra });
  stream.start();
  return { connection, states, events, warn };
}

async function until(description: string, condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${description}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

describe('LiveStream', () => {
  it('keeps retrying when the first connection gets an HTTP error, says which, and goes live when the server recovers', async () => {
    const server = new FakeStreamServer([{ status: 502 }, { status: 500 }]);
    const { connection, states } = start(server);
    await until('the third attempt', () => server.connections.length === 3);
    const reasons = states.flatMap((s) => (s.status === 'reconnecting' && s.retryAt ? [s.reason] : []));
    expect(reasons).toEqual(['server answered 502', 'server answered 500']);
    server.connections[2].send(ready(false) + snapshot('e:1'));
    await until('live', () => connection.get().status === 'live');
  });

  it('does not take a 200 that is not an event stream (a proxy login page) for the stream', async () => {
    const server = new FakeStreamServer([{ status: 200, contentType: 'text/html; charset=utf-8' }]);
    const { states } = start(server);
    await until('the second attempt', () => server.connections.length === 2);
    expect(states.find((s) => s.status === 'reconnecting')).toMatchObject({ reason: 'server answered 200 with text/html, not an event stream' });
  });

  it('resumes with the last event id and is live as soon as the server says ready, without waiting for a heartbeat', async () => {
    const server = new FakeStreamServer();
    const { connection, events } = start(server);
    await until('connected', () => server.connections.length === 1);
    server.connections[0].send(ready(false) + snapshot('e:5') + frame('delete', { id: 'w' }, 'e:6'));
    await until('the delete', () => events.remove.mock.calls.length === 1);
    server.connections[0].end();
    await until('reconnecting', () => connection.get().status === 'reconnecting');
    await until('the second connection', () => server.connections.length === 2);
    expect(server.connections[1].lastEventId).toBe('e:6');
    server.connections[1].send(ready(true));
    await until('live', () => connection.get().status === 'live');
  });

  it('resyncs from a fresh snapshot (no Last-Event-ID) when an event fails validation, with a warning, and says so', async () => {
    const server = new FakeStreamServer();
    const { connection, events, warn, states } = start(server);
    await until('connected', () => server.connections.length === 1);
    server.connections[0].send(ready(false) + snapshot('e:5') + frame('upsert', { id: 'w', phase: 'Exploded' }, 'e:6'));
    await until('the second connection', () => server.connections.length === 2);
    expect(events.upsert).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(server.connections[1].lastEventId).toBeNull();
    expect(states.some((s) => s.status === 'reconnecting' && s.reason === 'an upsert event failed validation; reloading everything')).toBe(true);
    server.connections[1].send(ready(false) + snapshot('e:9'));
    await until('live', () => connection.get().status === 'live');
    const live = connection.get();
    expect(live.status === 'live' && live.notice).toMatch(/^resynced at .*: an upsert event did not match the expected shape$/);
    expect(events.snapshot).toHaveBeenCalledTimes(2);
  });

  it('tears down a connection that goes silent and reconnects', async () => {
    const server = new FakeStreamServer();
    const { states } = start(server, { silenceMs: 30 });
    await until('connected', () => server.connections.length === 1);
    server.connections[0].send(ready(false) + snapshot('e:1'));
    await until('the second connection', () => server.connections.length === 2);
    expect(states.find((s) => s.status === 'reconnecting')).toMatchObject({ reason: 'no event for 0.03 s' });
    expect(server.connections[1].lastEventId).toBe('e:1');
  });

  it('starts from the shared gzipped snapshot (inflated in the browser), then opens the stream from its lastEventId; a bad snapshot is retried, never applied', async () => {
    const streams = new FakeStreamServer();
    const answers = [new Response('{"epoch":"e"}', { status: 200 }), new Response(gzipSync(JSON.stringify({ epoch: 'e', lastEventId: 'e:7', workloads: [], health: [] })), { status: 200, headers: { 'content-type': 'application/gzip' } })];
    const urls: string[] = [];
    const fetch: StreamFetch = async (url, init) => {
      urls.push(url);
      return url === '/api/workloads' ? answers.shift()! : streams.fetch(url, init);
    };
    const connection = new ConnectionStore();
    const sinkEvents = sink();
    const warn = vi.fn();
    stream = new LiveStream({ fetch, sink: sinkEvents, connection, snapshotUrl: '/api/workloads', backoffBaseMs: 10, backoffMaxMs: 40, random: () => 1, warn });
    stream.start();
    await until('the stream opened', () => streams.connections.length === 1);
    expect(urls).toEqual(['/api/workloads', '/api/workloads', '/api/stream']);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(sinkEvents.snapshot).toHaveBeenCalledTimes(1);
    expect(streams.connections[0].lastEventId).toBe('e:7');
    streams.connections[0].send(ready(true));
    await until('live', () => connection.get().status === 'live');
  });

  it('resumes from the event id the server-rendered page was read at, without fetching the snapshot again; only the first connection does', async () => {
    const streams = new FakeStreamServer();
    const urls: string[] = [];
    const fetch: StreamFetch = async (url, init) => {
      urls.push(url);
      return url === '/api/workloads' ? new Response(JSON.stringify({ epoch: 'e', lastEventId: 'e:9', workloads: [], health: [] }), { status: 200 }) : streams.fetch(url, init);
    };
    const connection = new ConnectionStore();
    const sinkEvents = sink();
    let asked = 0;
    stream = new LiveStream({ fetch, sink: sinkEvents, connection, snapshotUrl: '/api/workloads', resumeFrom: () => (asked += 1, 'e:4'), backoffBaseMs: 10, backoffMaxMs: 40, random: () => 1 });
    stream.start();
    await until('the stream opened', () => streams.connections.length === 1);
    expect(urls).toEqual(['/api/stream']);
    expect(streams.connections[0].lastEventId).toBe('e:4');
    streams.connections[0].send(ready(true) + frame('delete', { id: 'w' }, 'e:5'));
    await until('the delete', () => sinkEvents.remove.mock.calls.length === 1);
    expect(sinkEvents.snapshot).not.toHaveBeenCalled();
    streams.connections[0].end();
    await until('the second connection', () => streams.connections.length === 2);
    expect(streams.connections[1].lastEventId).toBe('e:5');
    expect(asked).toBe(1);
  });

  it('retargets (a detail page opened) by reconnecting at once from the last event id, staying live, with the new url', async () => {
    const server = new FakeStreamServer();
    const urls: string[] = [];
    let url = '/api/stream';
    const { connection, states } = start({ ...server, connections: server.connections, fetch: (u, init) => (urls.push(u), server.fetch(u, init)) } as FakeStreamServer, { url: () => url });
    await until('connected', () => server.connections.length === 1);
    server.connections[0].send(ready(false) + snapshot('e:3'));
    await until('live', () => connection.get().status === 'live');
    url = '/api/stream?watch=c%2FRollout%2Fshop%2Fcheckout';
    stream!.retarget();
    await until('the second connection', () => server.connections.length === 2);
    expect(urls[1]).toBe(url);
    expect(server.connections[1].lastEventId).toBe('e:3');
    expect(states.some((s) => s.status === 'reconnecting')).toBe(false);
  });
});

describe('retryDelayMs', () => {
  it('doubles from the base, is capped, and is jittered between half and all of the step', () => {
    expect([1, 2, 3, 4, 5, 50].map((n) => retryDelayMs(n, 1000, 10_000, () => 1))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect(retryDelayMs(3, 1000, 10_000, () => 0)).toBe(2000);
  });
});
