import { gunzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));

import { WorkloadRow } from '@/lib/contracts/overview';
import { StreamSnapshot } from '@/lib/contracts/stream';
import { WorkloadSummary } from '@/lib/contracts/workload';
import { deriveFixture } from '@/test/fixtures';
import { StreamHub } from './hub';

/** A real derived summary (the hub encodes its row), renamed. */
const base = deriveFixture('canary-healthy');
const workload = (name: string, phase: WorkloadSummary['phase'] = 'Healthy', namespace = 'shop'): WorkloadSummary => ({
  ...base,
  id: `c/Rollout/${namespace}/${name}`,
  cluster: 'c',
  kind: 'Rollout',
  namespace,
  name,
  phase,
});

interface Frame {
  id?: string;
  event: string;
  data: unknown;
}

/** Reads frames from an SSE stream until `count` frames other than heartbeats (and `ready`, unless asked) arrived. */
async function readFrames(stream: ReadableStream<Uint8Array>, count: number, withReady = false): Promise<Frame[]> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const frames: Frame[] = [];
  while (frames.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value);
    let end: number;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const fields = Object.fromEntries(block.split('\n').map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]));
      if (!fields.event || fields.event === 'heartbeat' || (fields.event === 'ready' && !withReady)) continue;
      frames.push({ id: fields.id, event: fields.event, data: JSON.parse(fields.data) });
    }
  }
  reader.releaseLock();
  return frames;
}

function setup(initial: WorkloadSummary[] = [workload('checkout')]) {
  const state = new Map(initial.map((w) => [w.id, w]));
  const hub = new StreamHub(
    { workloads: () => [...state.values()], health: () => [{ cluster: 'c', connected: true, staleSince: null, lastError: null }] },
    { heartbeatMs: 60_000, maxQueuedBytes: 100_000 },
  );
  const upsert = (w: WorkloadSummary) => {
    state.set(w.id, w);
    hub.publish([{ type: 'upsert', workload: w }]);
  };
  const remove = (id: string) => {
    state.delete(id);
    hub.publish([{ type: 'delete', id }]);
  };
  return { hub, state, upsert, remove };
}

describe('StreamHub', () => {
  it('resyncs one client with a fresh snapshot when what its filter lets through changes (an RBAC decision), leaving others alone', async () => {
    const { hub } = setup([workload('checkout'), workload('ledger', 'Healthy', 'restricted')]);
    let readsRestricted = false;
    let resync = () => {};
    const abort = new AbortController();
    const mine = hub.subscribe((w) => w.namespace !== 'restricted' || readsRestricted, null, abort.signal, (fn) => (resync = fn));
    const names = (f: Frame) => (f.data as { workloads: WorkloadSummary[] }).workloads.map((w) => w.name);
    expect(names((await readFrames(mine, 1))[0])).toEqual(['checkout']);
    readsRestricted = true;
    resync();
    const [again] = await readFrames(mine, 1);
    expect(again.event).toBe('snapshot');
    expect(names(again)).toEqual(['checkout', 'ledger']);
    abort.abort();
  });

  it('sends a new client a snapshot, then ordered deltas with increasing ids', async () => {
    const { hub, upsert } = setup();
    const abort = new AbortController();
    const stream = hub.subscribe(() => true, null, abort.signal);
    const first = await readFrames(stream, 1);
    expect(first[0].event).toBe('snapshot');
    expect((first[0].data as { workloads: WorkloadSummary[] }).workloads.map((w) => w.name)).toEqual(['checkout']);
    upsert(workload('checkout', 'Progressing'));
    upsert(workload('payments'));
    const deltas = await readFrames(stream, 2);
    expect(deltas.map((d) => d.event)).toEqual(['upsert', 'upsert']);
    const seqs = deltas.map((d) => Number(d.id?.split(':')[1]));
    expect(seqs[1]).toBe(seqs[0] + 1);
    abort.abort();
    hub.close();
  });

  it('resumes from Last-Event-ID with only the missed deltas, and falls back to a snapshot for an unknown id', async () => {
    const { hub, upsert } = setup();
    upsert(workload('checkout', 'Progressing'));
    const resumeFrom = hub.lastEventId;
    upsert(workload('checkout', 'Paused'));
    const abort = new AbortController();
    const resumed = await readFrames(hub.subscribe(() => true, resumeFrom, abort.signal), 1);
    expect(resumed[0].event).toBe('upsert');
    expect((resumed[0].data as WorkloadSummary).phase).toBe('Paused');
    const fresh = await readFrames(hub.subscribe(() => true, 'another-process:7', abort.signal), 1);
    expect(fresh[0].event).toBe('snapshot');
    abort.abort();
    hub.close();
  });

  it('filters per viewer: a workload leaving the filter is deleted for that viewer only', async () => {
    const { hub, upsert } = setup([workload('checkout', 'Paused')]);
    const abort = new AbortController();
    const attentionOnly = hub.subscribe((w) => w.phase !== 'Healthy', null, abort.signal);
    const [snapshot] = await readFrames(attentionOnly, 1);
    expect((snapshot.data as { workloads: unknown[] }).workloads).toHaveLength(1);
    upsert(workload('checkout', 'Healthy'));
    upsert(workload('payments', 'Healthy'));
    upsert(workload('search', 'Degraded'));
    const frames = await readFrames(attentionOnly, 2);
    expect(frames.map((f) => [f.event, (f.data as { id: string }).id])).toEqual([
      ['delete', 'c/Rollout/shop/checkout'],
      ['upsert', 'c/Rollout/shop/search'],
    ]);
    abort.abort();
    hub.close();
  });

  it('resyncs a client that does not read: its queue is replaced by a fresh snapshot, not dropped', async () => {
    const { hub, upsert } = setup();
    const abort = new AbortController();
    const slow = hub.subscribe(() => true, null, abort.signal);
    await readFrames(slow, 1);
    for (let i = 0; i < 200; i++) upsert(workload(`w${i}`));
    const [next] = await readFrames(slow, 1);
    expect(next.event).toBe('snapshot');
    expect((next.data as { workloads: unknown[] }).workloads).toHaveLength(201);
    abort.abort();
    hub.close();
  });

  it('forgets a client when its request is aborted', async () => {
    const { hub } = setup();
    const abort = new AbortController();
    const stream = hub.subscribe(() => true, null, abort.signal);
    await readFrames(stream, 1);
    expect(hub.clientCount).toBe(1);
    abort.abort();
    expect(hub.clientCount).toBe(0);
    hub.close();
  });

  it('replays a delete to a resuming client even though the workload is already gone (no ghost card)', async () => {
    const { hub, upsert, remove } = setup([workload('checkout'), workload('payments')]);
    const resumeFrom = hub.lastEventId;
    remove('c/Rollout/shop/checkout');
    upsert(workload('payments', 'Paused'));
    const abort = new AbortController();
    const frames = await readFrames(hub.subscribe(() => true, resumeFrom, abort.signal), 2);
    expect(frames.map((f) => [f.event, (f.data as { id: string }).id])).toEqual([
      ['delete', 'c/Rollout/shop/checkout'],
      ['upsert', 'c/Rollout/shop/payments'],
    ]);
    abort.abort();
    hub.close();
  });

  it('says ready at once on connect and on resume, without waiting for a heartbeat', async () => {
    const { hub, upsert } = setup();
    const abort = new AbortController();
    const [ready, snapshot] = await readFrames(hub.subscribe(() => true, null, abort.signal), 2, true);
    expect([ready.event, snapshot.event]).toEqual(['ready', 'snapshot']);
    expect(ready.data).toEqual({ resumed: false });
    upsert(workload('checkout', 'Paused'));
    // Nothing was missed: the resumed stream has no delta to send, yet it must say it is live.
    const [resumedReady] = await readFrames(hub.subscribe(() => true, hub.lastEventId, abort.signal), 1, true);
    expect(resumedReady).toMatchObject({ event: 'ready', data: { resumed: true } });
    abort.abort();
    hub.close();
  });

  it('carries rows, not full summaries: no pods, events or analysis measurements in the snapshot or an upsert; each validates as a WorkloadRow', async () => {
    const { hub, upsert } = setup();
    const abort = new AbortController();
    const stream = hub.subscribe(() => true, null, abort.signal);
    const [snapshot] = await readFrames(stream, 1);
    const parsed = StreamSnapshot.parse(snapshot.data);
    expect(parsed.workloads.map((w) => w.name)).toEqual(['checkout']);
    upsert(workload('checkout', 'Paused'));
    const [delta] = await readFrames(stream, 1);
    expect(WorkloadRow.parse(delta.data).phase).toBe('Paused');
    for (const data of [snapshot.data, delta.data]) {
      const text = JSON.stringify(data);
      for (const detailOnly of ['"events"', '"analysisRuns"', '"measurements"', '"conditions"', '"history"', '"message":']) expect(text).not.toContain(detailOnly);
    }
    abort.abort();
    hub.close();
  });

  it('shares one encoded snapshot and one encoded delta between every client that sees everything', async () => {
    const { hub, upsert } = setup([workload('checkout'), workload('payments')]);
    const abort = new AbortController();
    const readers = [0, 1, 2].map(() => hub.subscribe(() => true, null, abort.signal).getReader());
    const chunk = async (reader: ReadableStreamDefaultReader<Uint8Array>) => {
      for (;;) {
        const { value } = await reader.read();
        if (value && !new TextDecoder().decode(value).startsWith('retry:')) return value;
      }
    };
    const snapshots = await Promise.all(readers.map(chunk));
    expect(snapshots[1]).toBe(snapshots[0]);
    expect(snapshots[2]).toBe(snapshots[0]);
    expect(hub.stats).toMatchObject({ snapshotsBuilt: 1, snapshotsShared: 2 });
    // /api/workloads: gzipped once per event id, the same bytes for everyone who sees everything.
    const gz = hub.rowSnapshotGzip();
    expect(hub.rowSnapshotGzip(() => true)).toBe(gz);
    expect(StreamSnapshot.parse(JSON.parse(gunzipSync(gz).toString('utf8'))).workloads).toHaveLength(2);
    expect(hub.rowSnapshotGzip((w) => w.name === 'checkout')).not.toBe(gz);
    upsert(workload('checkout', 'Paused'));
    const deltas = await Promise.all(readers.map(chunk));
    expect(deltas[1]).toBe(deltas[0]);
    expect(deltas[2]).toBe(deltas[0]);
    abort.abort();
    hub.close();
  });

  it('sends full detail only for the workloads a client watches: after its snapshot, with each change of theirs, and on resume', async () => {
    const { hub, upsert } = setup([workload('checkout'), workload('payments')]);
    const abort = new AbortController();
    const watching = hub.subscribe(() => true, null, abort.signal, undefined, ['c/Rollout/shop/checkout']);
    const [snapshot, detail] = await readFrames(watching, 2);
    expect(snapshot.event).toBe('snapshot');
    expect(detail.event).toBe('detail');
    expect(WorkloadSummary.parse(detail.data).name).toBe('checkout');
    expect(detail.id).toBeUndefined();
    upsert(workload('payments', 'Paused'));
    upsert(workload('checkout', 'Paused'));
    const frames = await readFrames(watching, 3);
    expect(frames.map((f) => [f.event, (f.data as { name: string }).name])).toEqual([
      ['upsert', 'payments'],
      ['detail', 'checkout'],
      ['upsert', 'checkout'],
    ]);
    // A client that resumes with a workload newly open gets its current detail after the catch-up.
    const from = hub.lastEventId;
    upsert(workload('payments', 'Degraded'));
    const resumed = await readFrames(hub.subscribe(() => true, from, abort.signal, undefined, ['c/Rollout/shop/checkout']), 2);
    expect(resumed.map((f) => [f.event, (f.data as { name: string }).name])).toEqual([
      ['upsert', 'payments'],
      ['detail', 'checkout'],
    ]);
    // Nothing for a workload the client may not read, watched or not.
    const denied = hub.subscribe((w) => w.name !== 'checkout', null, abort.signal, undefined, ['c/Rollout/shop/checkout']);
    await readFrames(denied, 1);
    upsert(workload('checkout', 'Healthy'));
    upsert(workload('payments', 'Healthy'));
    expect((await readFrames(denied, 1)).map((f) => f.event)).toEqual(['upsert']);
    abort.abort();
    hub.close();
  });
});
