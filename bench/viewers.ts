/**
 * One load-generator process of `npm run bench` (bench/run.ts forks several, so the clients' own
 * work is spread over processes instead of queueing behind one event loop). Each viewer does what
 * the browser's live stream does: GET /api/workloads?as=gzip (the shared gzipped snapshot), then
 * the stream from that snapshot's lastEventId (the `X-Last-Event-Id` header; no inflating).
 *
 * Times are wall-clock epoch milliseconds (performance.timeOrigin + performance.now()), so the
 * parent can compare them with its own clock. Per viewer: when the snapshot's response headers
 * arrived (time to first byte), when its last byte arrived (first data complete, still unparsed),
 * when the stream's first bytes (`ready`) arrived; per change marker, when it arrived.
 * The client work is kept to a minimum on purpose: raw node:http, no JSON parse, no gunzip, a
 * Buffer search for the markers.
 */
import { get, type ClientRequest, type IncomingMessage } from 'node:http';

export type ParentMessage =
  | { type: 'connect'; base: string; count: number }
  | { type: 'report' }
  | { type: 'close' }
  | { type: 'cycles'; base: string; concurrency: number; until: number; max: number };

export interface ViewerTimes {
  start: number;
  snapshotHeaders: number | null;
  snapshotDone: number | null;
  snapshotBytes: number;
  streamFirstByte: number | null;
  error: string | null;
}

export type WorkerMessage =
  | { type: 'connected'; viewers: ViewerTimes[] }
  | { type: 'report'; viewers: ViewerTimes[]; markers: Record<string, number[]>; streamBytes: number; streamsOpen: number }
  | { type: 'closed' }
  | { type: 'cycles'; done: number; failed: number };

const now = () => performance.timeOrigin + performance.now();
const MARKER = Buffer.from('"aviary-bench":"b');

const requests = new Set<ClientRequest>();
const all: ViewerTimes[] = [];
const markers = new Map<string, number[]>();
let streamBytes = 0;
let streamsOpen = 0;

function send(message: WorkerMessage): void {
  process.send?.(message);
}

/** The markers (`"aviary-bench":"b<digits>"`) in one chunk; a marker split across chunks is caught with the previous chunk's tail. */
function scan(chunk: Buffer, tail: Buffer, at: number): Buffer {
  const buf = tail.length ? Buffer.concat([tail, chunk]) : chunk;
  let from = 0;
  for (;;) {
    const i = buf.indexOf(MARKER, from);
    if (i === -1) break;
    let end = i + MARKER.length;
    while (end < buf.length && buf[end] >= 0x30 && buf[end] <= 0x39) end += 1;
    if (end >= buf.length) return buf.subarray(i); // incomplete: keep for the next chunk
    const value = `b${buf.subarray(i + MARKER.length, end).toString('latin1')}`;
    let list = markers.get(value);
    if (!list) markers.set(value, (list = []));
    list.push(at);
    from = end;
  }
  return buf.subarray(Math.max(0, buf.length - MARKER.length));
}

function openStream(base: string, lastEventId: string | null, times: ViewerTimes): void {
  const headers: Record<string, string> = { Accept: 'text/event-stream' };
  if (lastEventId) headers['Last-Event-ID'] = lastEventId;
  const req = get(`${base}/api/stream`, { headers, agent: false }, (res: IncomingMessage) => {
    streamsOpen += 1;
    let tail: Buffer = Buffer.alloc(0);
    res.on('data', (chunk: Buffer) => {
      const at = now();
      times.streamFirstByte ??= at;
      streamBytes += chunk.byteLength;
      tail = scan(chunk, tail, at);
    });
    res.on('close', () => {
      streamsOpen -= 1;
      requests.delete(req);
    });
    res.on('error', () => undefined);
  });
  req.on('error', (error) => {
    times.error ??= `stream: ${error.message}`;
    requests.delete(req);
  });
  requests.add(req);
}

function viewer(base: string): Promise<ViewerTimes> {
  const times: ViewerTimes = { start: now(), snapshotHeaders: null, snapshotDone: null, snapshotBytes: 0, streamFirstByte: null, error: null };
  all.push(times);
  return new Promise((resolve) => {
    const req = get(`${base}/api/workloads?as=gzip`, { headers: { Accept: 'application/json' }, agent: false }, (res) => {
      times.snapshotHeaders = now();
      const lastEventId = typeof res.headers['x-last-event-id'] === 'string' ? res.headers['x-last-event-id'] : null;
      res.on('data', (chunk: Buffer) => (times.snapshotBytes += chunk.byteLength));
      res.on('end', () => {
        times.snapshotDone = now();
        requests.delete(req);
        if (res.statusCode !== 200) times.error = `snapshot: HTTP ${res.statusCode}`;
        else openStream(base, lastEventId, times);
        resolve(times);
      });
      res.on('error', (error) => {
        times.error = `snapshot: ${error.message}`;
        resolve(times);
      });
    });
    req.on('error', (error) => {
      times.error = `snapshot: ${error.message}`;
      resolve(times);
    });
    requests.add(req);
  });
}

/** Connect/disconnect cycles: open the stream, read its first bytes, go away; `concurrency` at a time. */
async function cycles(base: string, concurrency: number, until: number, max: number): Promise<{ done: number; failed: number }> {
  let started = 0;
  let failed = 0;
  const one = () =>
    new Promise<void>((resolve) => {
      let finished = false;
      const finish = (ok: boolean) => {
        if (finished) return;
        finished = true;
        if (!ok) failed += 1;
        resolve();
      };
      const req = get(`${base}/api/stream`, { headers: { Accept: 'text/event-stream' }, agent: false }, (res) => {
        res.once('data', () => {
          req.destroy();
          finish(res.statusCode === 200);
        });
        res.on('error', () => undefined);
        res.on('close', () => finish(false));
      });
      req.on('error', () => finish(false));
    });
  const loop = async () => {
    while (started < max && now() < until) {
      started += 1;
      await one();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  return { done: started - failed, failed };
}

process.on('message', (message: ParentMessage) => {
  switch (message.type) {
    case 'connect':
      void Promise.all(Array.from({ length: message.count }, () => viewer(message.base))).then((viewers) => send({ type: 'connected', viewers }));
      break;
    case 'report':
      send({ type: 'report', viewers: all, markers: Object.fromEntries(markers), streamBytes, streamsOpen });
      break;
    case 'close':
      for (const req of requests) req.destroy();
      requests.clear();
      markers.clear();
      all.length = 0;
      streamBytes = 0;
      // Give the sockets a moment to close before saying so.
      setTimeout(() => send({ type: 'closed' }), 200);
      break;
    case 'cycles':
      void cycles(message.base, message.concurrency, message.until, message.max).then((r) => send({ type: 'cycles', ...r }));
      break;
  }
});
process.on('disconnect', () => process.exit(0));
