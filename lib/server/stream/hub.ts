import 'server-only';
import type { WorkloadSummary } from '@/lib/contracts/workload';
import type { ClusterHealth, WorkloadChange } from '@/lib/server/cluster/cache';
import type { StreamReady, StreamSnapshot } from '@/lib/contracts/stream';

type Filter = (workload: WorkloadSummary) => boolean;

interface Delta {
  seq: number;
  change: WorkloadChange | { type: 'health'; health: ClusterHealth };
  /** The delta's SSE frame, encoded once and shared by every subscriber (and replays). */
  encoded?: string;
  /** For an upsert a subscriber may no longer see: the delete frame of its id, also encoded once. */
  encodedHide?: string;
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

function frame(event: string, id: string | null, data: unknown): string {
  return `${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

class Subscriber {
  queue: string[] = [];
  queuedBytes = 0;
  needsSnapshot = true;
  readonly visible = new Set<string>();
  wake: (() => void) | undefined;
  resyncs = 0;

  constructor(
    readonly filter: Filter,
    private readonly maxQueuedBytes: number,
  ) {}

  push(text: string): void {
    if (this.needsSnapshot) return; // a snapshot is coming anyway
    this.queue.push(text);
    this.queuedBytes += text.length;
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
 * snapshot, then ordered deltas with ids; a reconnect with Last-Event-ID catches up from history
 * or gets a fresh snapshot. Each client has its own bounded queue and its own filter.
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

  constructor(
    private readonly source: HubSource,
    options: HubOptions = {},
  ) {
    this.historySize = options.historySize ?? 5000;
    this.maxQueuedBytes = options.maxQueuedBytes ?? 4 * 1024 * 1024;
    this.heartbeat = setInterval(() => {
      for (const s of this.subscribers) s.push(frame('heartbeat', null, { at: new Date().toISOString() }));
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

  snapshot(filter: Filter = () => true): StreamSnapshot {
    return {
      epoch: this.epoch,
      lastEventId: this.lastEventId,
      workloads: this.source.workloads().filter(filter),
      health: this.source.health(),
    };
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
      s.push((delta.encoded ??= frame('upsert', id, change.workload)));
    } else if (s.visible.delete(change.workload.id)) {
      s.push((delta.encodedHide ??= frame('delete', id, { id: change.workload.id })));
    }
  }

  private snapshotFrame(s: Subscriber): string {
    const snap = this.snapshot(s.filter);
    s.visible.clear();
    for (const w of snap.workloads) s.visible.add(w.id);
    return frame('snapshot', snap.lastEventId, snap);
  }

  /**
   * Opens a stream for one client; it ends when `signal` aborts (the request went away).
   * `withResync` receives a function that re-sends this client a snapshot through its filter: for
   * when what the filter lets through changes without a workload changing (its RBAC decisions).
   */
  subscribe(filter: Filter, lastEventId: string | null, signal: AbortSignal, withResync?: (resync: () => void) => void): ReadableStream<Uint8Array> {
    const s = new Subscriber(filter, this.maxQueuedBytes);
    withResync?.(() => s.resync());
    let resumed = false;
    const [epoch, seqText] = (lastEventId ?? '').split(':');
    const since = Number(seqText);
    const oldest = this.history[0]?.seq ?? this.seq + 1;
    if (epoch === this.epoch && Number.isInteger(since) && since >= oldest - 1 && since <= this.seq) {
      // Resume: the client has everything up to `since`; its visible set is rebuilt from its filter.
      s.needsSnapshot = false;
      resumed = true;
      for (const w of this.source.workloads()) if (filter(w)) s.visible.add(w.id);
      for (const delta of this.history) if (delta.seq > since) this.deliver(s, delta, true);
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
        controller.enqueue(encoder.encode(`retry: 2000\n\n${frame('ready', null, ready)}`));
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
          controller.enqueue(encoder.encode(this.snapshotFrame(s)));
          return;
        }
        const batch = s.queue.join('');
        s.queue = [];
        s.queuedBytes = 0;
        controller.enqueue(encoder.encode(batch));
      },
      cancel: cleanup,
    });
  }
}
