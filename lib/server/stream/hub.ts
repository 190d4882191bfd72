import 'server-only';
import { gzipSync } from 'node:zlib';
import { toRow, type WorkloadRow } from '@/lib/contracts/overview';
import type { WorkloadSummary } from '@/lib/contracts/workload';
import type { ClusterHealth, WorkloadChange } from '@/lib/server/cluster/cache';
import type { StreamReady, StreamSnapshot } from '@/lib/contracts/stream';

type Filter = (workload: WorkloadSummary) => boolean;

interface Delta {
  seq: number;
  change: WorkloadChange | { type: 'health'; health: ClusterHealth };
  /** The delta's SSE frame (a row, for an upsert), encoded once and shared by every subscriber (and replays). */
  encoded?: Uint8Array;
  /** For an upsert a subscriber may no longer see: the delete frame of its id, also encoded once. */
  encodedHide?: Uint8Array;
}

export interface HubSource {
  workloads(): WorkloadSummary[];
  health(): ClusterHealth[];
}

export interface HubOptions {
  /** How many deltas a reconnecting client can catch up on before it gets a snapshot instead. */
  historySize?: number;
  /** Bytes queued for one client before it is resynced with a snapshot. */
  maxQueuedBytes?: number;
  heartbeatMs?: number;
}

const encoder = new TextEncoder();

function frameText(event: string, id: string | null, json: string): string {
  return `${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${json}\n\n`;
}

const frame = (event: string, id: string | null, data: unknown): Uint8Array => encoder.encode(frameText(event, id, JSON.stringify(data)));

/**
 * Per-summary encodings. A summary object is immutable and replaced on every change, so its row's
 * JSON and its detail frame are computed once, whatever the number of viewers, and dropped with it.
 */
const rowCache = new WeakMap<WorkloadSummary, WorkloadRow>();
const rowJsonCache = new WeakMap<WorkloadSummary, string>();
const detailCache = new WeakMap<WorkloadSummary, Uint8Array>();

export function rowOf(w: WorkloadSummary): WorkloadRow {
  let row = rowCache.get(w);
  if (row === undefined) {
    row = toRow(w);
    rowCache.set(w, row);
  }
  return row;
}

function rowJson(w: WorkloadSummary): string {
  let json = rowJsonCache.get(w);
  if (json === undefined) {
    json = JSON.stringify(rowOf(w));
    rowJsonCache.set(w, json);
  }
  return json;
}

/** The full summary of an open workload; no event id (it travels next to the row delta that has one). */
function detailFrame(w: WorkloadSummary): Uint8Array {
  let bytes = detailCache.get(w);
  if (bytes === undefined) {
    bytes = frame('detail', null, w);
    detailCache.set(w, bytes);
  }
  return bytes;
}

class Subscriber {
  queue: Uint8Array[] = [];
  queuedBytes = 0;
  needsSnapshot = true;
  readonly visible = new Set<string>();
  wake: (() => void) | undefined;
  resyncs = 0;

  constructor(
    readonly filter: Filter,
    /** Workloads this viewer has open: their full detail travels with their deltas. */
    readonly watch: ReadonlySet<string>,
    private readonly maxQueuedBytes: number,
  ) {}

  push(bytes: Uint8Array): void {
    if (this.needsSnapshot) return; // a snapshot is coming anyway
    this.queue.push(bytes);
    this.queuedBytes += bytes.byteLength;
    if (this.queuedBytes > this.maxQueuedBytes) {
      // Too slow to keep up: drop what is queued and send a fresh snapshot instead — resynced, not dropped.
      this.queue = [];
      this.queuedBytes = 0;
      this.needsSnapshot = true;
      this.resyncs += 1;
    }
    this.wake?.();
  }

  /** What this client may see changed (e.g. its RBAC): drop the queue and send a fresh snapshot. */
  resync(): void {
    this.queue = [];
    this.queuedBytes = 0;
    this.needsSnapshot = true;
    this.wake?.();
  }
}

/**
 * The server-sent-events hub: one per process, fed by the cluster caches. A new client gets a
 * snapshot of rows (the overview's small per-workload shape), then ordered deltas with ids; a
 * reconnect with Last-Event-ID catches up from history or gets a fresh snapshot. Each client has its
 * own bounded queue and its own filter. Every frame is encoded once: a row per summary, a delta per
 * change, the whole snapshot per event id for every viewer who sees everything; what a client is
 * sent is shared bytes. Full detail goes only to clients that watch that workload.
 */
export class StreamHub {
  /** Distinguishes this process's event ids from another's (a restart or another replica). */
  readonly epoch = Date.now().toString(36);
  private seq = 0;
  private readonly history: Delta[] = [];
  private readonly subscribers = new Set<Subscriber>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly historySize: number;
  private readonly maxQueuedBytes: number;
  /** The snapshot frame of everything, for the current event id: shared by every viewer who may read it all. */
  private fullSnapshot: { seq: number; count: number; bytes: Uint8Array } | null = null;
  /** /api/workloads for every viewer who may read it all, gzipped once per event id. */
  private fullSnapshotGzip: { seq: number; count: number; bytes: Uint8Array } | null = null;
  /** The source's workloads (and by id, and one per namespace) as of event `seq`: the source changes only with a publish. */
  private current: { seq: number; list: WorkloadSummary[]; byId?: Map<string, WorkloadSummary>; places?: WorkloadSummary[] } | null = null;
  /** How many snapshot frames were built vs. served from the shared one (a benchmark figure). */
  readonly stats = { snapshotsBuilt: 0, snapshotsShared: 0, gzipBuilt: 0, gzipShared: 0 };

  constructor(
    private readonly source: HubSource,
    options: HubOptions = {},
  ) {
    this.historySize = options.historySize ?? 5000;
    this.maxQueuedBytes = options.maxQueuedBytes ?? 4 * 1024 * 1024;
    this.heartbeat = setInterval(() => {
      const beat = frame('heartbeat', null, { at: new Date().toISOString() });
      for (const s of this.subscribers) s.push(beat);
    }, options.heartbeatMs ?? 15_000);
    this.heartbeat.unref?.();
  }

  get clientCount(): number {
    return this.subscribers.size;
  }

  get lastEventId(): string {
    return `${this.epoch}:${this.seq}`;
  }

  close(): void {
    clearInterval(this.heartbeat);
  }

  publish(changes: (WorkloadChange | { type: 'health'; health: ClusterHealth })[]): void {
    for (const change of changes) {
      const delta = { seq: ++this.seq, change };
      this.history.push(delta);
      if (this.history.length > this.historySize) this.history.shift();
      for (const s of this.subscribers) this.deliver(s, delta);
    }
  }

  /**
   * The source's list, read once per event id: every request in between (a crowd connecting) shares
   * it instead of collecting and sorting every cache's workloads again.
   */
  private all(): WorkloadSummary[] {
    if (this.current?.seq !== this.seq) this.current = { seq: this.seq, list: this.source.workloads() };
    return this.current.list;
  }

  /** One workload per cluster and namespace: what a viewer's namespace decisions are asked for (primeVisibility). */
  places(): WorkloadSummary[] {
    const list = this.all();
    const current = this.current!;
    if (!current.places) {
      const seen = new Map<string, WorkloadSummary>();
      for (const w of list) {
        const key = `${w.cluster}\n${w.namespace}`;
        if (!seen.has(key)) seen.set(key, w);
      }
      current.places = [...seen.values()];
    }
    return current.places;
  }

  /** Full summaries (server-side readers: sparklines, visibility priming, detail pages). */
  snapshot(filter: Filter = () => true): { epoch: string; lastEventId: string; workloads: WorkloadSummary[]; health: ClusterHealth[] } {
    return {
      epoch: this.epoch,
      lastEventId: this.lastEventId,
      workloads: this.all().filter(filter),
      health: this.source.health(),
    };
  }

  /** Rows of the workloads `filter` lets through (a page's server render). */
  rows(filter: Filter = () => true): WorkloadRow[] {
    return this.all().filter(filter).map(rowOf);
  }

  /** One workload's full summary, or undefined. */
  workload(id: string): WorkloadSummary | undefined {
    const list = this.all();
    const current = this.current!;
    current.byId ??= new Map(list.map((w) => [w.id, w]));
    return current.byId.get(id);
  }

  /** What /api/workloads answers and the stream's first data: rows, as JSON text built from shared per-row encodings. */
  rowSnapshotJson(filter: Filter = () => true, visible?: Set<string>): string {
    const all = this.all();
    const rows: string[] = [];
    for (const w of all) {
      if (!filter(w)) continue;
      rows.push(rowJson(w));
      visible?.add(w.id);
    }
    const head: Omit<StreamSnapshot, 'workloads' | 'health'> = { epoch: this.epoch, lastEventId: this.lastEventId };
    return `{"epoch":${JSON.stringify(head.epoch)},"lastEventId":${JSON.stringify(head.lastEventId)},"workloads":[${rows.join(',')}],"health":${JSON.stringify(this.source.health())}}`;
  }

  /**
   * The row snapshot gzipped: shared bytes for everyone who sees everything (a replica restart, a
   * crowd opening the page), built once per event id; built per request for a narrower view.
   */
  rowSnapshotGzip(filter: Filter = () => true): Uint8Array {
    const all = this.all();
    let count = 0;
    for (const w of all) if (filter(w)) count += 1;
    const everything = count === all.length;
    if (everything && this.fullSnapshotGzip?.seq === this.seq && this.fullSnapshotGzip.count === count) {
      this.stats.gzipShared += 1;
      return this.fullSnapshotGzip.bytes;
    }
    this.stats.gzipBuilt += 1;
    const bytes = new Uint8Array(gzipSync(this.rowSnapshotJson(filter)));
    if (everything) this.fullSnapshotGzip = { seq: this.seq, count, bytes };
    return bytes;
  }

  /**
   * `replay`: catching up a resumed client. Its visible set was rebuilt from what exists now, so a
   * workload deleted while it was away is missing from it — yet the client still shows it. Replayed
   * deletes are therefore always sent (a delete of an id the client lacks is a no-op there).
   */
  private deliver(s: Subscriber, delta: Delta, replay = false): void {
    const id = `${this.epoch}:${delta.seq}`;
    const { change } = delta;
    if (change.type === 'health') {
      s.push((delta.encoded ??= frame('health', id, change.health)));
    } else if (change.type === 'delete') {
      if (s.visible.delete(change.id) || replay) s.push((delta.encoded ??= frame('delete', id, { id: change.id })));
    } else if (s.filter(change.workload)) {
      s.visible.add(change.workload.id);
      // The detail first, without an id: the row frame that follows carries the delta's id.
      if (s.watch.has(change.workload.id) && !replay) s.push(detailFrame(change.workload));
      s.push((delta.encoded ??= encoder.encode(frameText('upsert', id, rowJson(change.workload)))));
    } else if (s.visible.delete(change.workload.id)) {
      s.push((delta.encodedHide ??= frame('delete', id, { id: change.workload.id })));
    }
  }

  /** Current detail frames of the workloads a client watches (and may read). */
  private detailFrames(s: Subscriber): Uint8Array[] {
    if (s.watch.size === 0) return [];
    return this.all().filter((w) => s.watch.has(w.id) && s.filter(w)).map(detailFrame);
  }

  private snapshotFrame(s: Subscriber): Uint8Array {
    s.visible.clear();
    const all = this.all();
    let count = 0;
    for (const w of all) {
      if (s.filter(w)) {
        s.visible.add(w.id);
        count += 1;
      }
    }
    const everything = count === all.length;
    if (everything && this.fullSnapshot?.seq === this.seq && this.fullSnapshot.count === count) {
      this.stats.snapshotsShared += 1;
      return this.fullSnapshot.bytes;
    }
    this.stats.snapshotsBuilt += 1;
    const bytes = encoder.encode(frameText('snapshot', this.lastEventId, this.rowSnapshotJson(s.filter)));
    if (everything) this.fullSnapshot = { seq: this.seq, count, bytes };
    return bytes;
  }

  /**
   * Opens a stream for one client; it ends when `signal` aborts (the request went away).
   * `withResync` receives a function that re-sends this client a snapshot through its filter: for
   * when what the filter lets through changes without a workload changing (its RBAC decisions).
   * `watch`: ids of workloads the client has open; their full summaries follow the snapshot (or the
   * catch-up) and every change of theirs.
   */
  subscribe(
    filter: Filter,
    lastEventId: string | null,
    signal: AbortSignal,
    withResync?: (resync: () => void) => void,
    watch: readonly string[] = [],
  ): ReadableStream<Uint8Array> {
    const s = new Subscriber(filter, new Set(watch), this.maxQueuedBytes);
    withResync?.(() => s.resync());
    let resumed = false;
    const [epoch, seqText] = (lastEventId ?? '').split(':');
    const since = Number(seqText);
    const oldest = this.history[0]?.seq ?? this.seq + 1;
    if (epoch === this.epoch && Number.isInteger(since) && since >= oldest - 1 && since <= this.seq) {
      // Resume: the client has everything up to `since`; its visible set is rebuilt from its filter.
      s.needsSnapshot = false;
      resumed = true;
      for (const w of this.all()) if (filter(w)) s.visible.add(w.id);
      for (const delta of this.history) if (delta.seq > since) this.deliver(s, delta, true);
      // What it has open may be new to it: the current detail, after the catch-up that led there.
      for (const bytes of this.detailFrames(s)) s.push(bytes);
    }
    const cleanup = () => {
      this.subscribers.delete(s);
      s.wake?.();
    };
    signal.addEventListener('abort', cleanup, { once: true });
    this.subscribers.add(s);

    return new ReadableStream<Uint8Array>({
      start: (controller) => {
        // `ready` first: a resumed client with nothing to catch up on would otherwise not know it is
        // live until the next heartbeat.
        const ready: StreamReady = { resumed };
        controller.enqueue(encoder.encode(`retry: 2000\n\n${frameText('ready', null, JSON.stringify(ready))}`));
      },
      pull: async (controller) => {
        while (!signal.aborted && !s.needsSnapshot && s.queue.length === 0) {
          await new Promise<void>((resolve) => (s.wake = resolve));
          s.wake = undefined;
        }
        if (signal.aborted) {
          controller.close();
          return;
        }
        if (s.needsSnapshot) {
          s.needsSnapshot = false;
          controller.enqueue(this.snapshotFrame(s));
          for (const bytes of this.detailFrames(s)) controller.enqueue(bytes);
          return;
        }
        const batch = s.queue;
        s.queue = [];
        s.queuedBytes = 0;
        for (const bytes of batch) controller.enqueue(bytes);
      },
      cancel: cleanup,
    });
  }
}
