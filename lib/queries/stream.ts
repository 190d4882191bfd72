'use client';

import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useLayoutEffect, useSyncExternalStore } from 'react';
import type { WorkloadSummary } from '@/lib/contracts/workload';
import { ConnectionStore, type ConnectionState } from './connection';
import { LiveStream, type StreamSink } from './live-stream';
import { apiFetch } from './session';
import { queryKeys, rowsById, type RowsById } from './workloads';

const connection = new ConnectionStore();

/** Workloads open in this tab (detail pages): the stream carries their full summaries. */
const watched = new Map<string, number>();
let current: LiveStream | null = null;

export function streamUrl(ids: Iterable<string> = watched.keys()): string {
  const list = [...ids].sort();
  return list.length === 0 ? '/api/stream' : `/api/stream?watch=${encodeURIComponent(list.join(','))}`;
}

/** Validated stream events, written into the query cache: rows by id, health, and the detail of open workloads. */
export function cacheSink(client: QueryClient): StreamSink {
  const rows = (change: (old: RowsById) => RowsById) => client.setQueryData<RowsById>(queryKeys.rows, (old) => change(old ?? {}));
  return {
    snapshot: (snapshot) => {
      client.setQueryData(queryKeys.rows, rowsById(snapshot.workloads));
      client.setQueryData(queryKeys.health, snapshot.health);
      // A detail page whose workload went away while the stream was down: the snapshot says so.
      for (const id of watched.keys()) if (!snapshot.workloads.some((w) => w.id === id)) client.setQueryData(queryKeys.detail(id), null);
    },
    upsert: (row) => rows((old) => ({ ...old, [row.id]: row })),
    detail: (workload) => client.setQueryData<WorkloadSummary | null>(queryKeys.detail(workload.id), workload),
    remove: (id) => {
      rows((old) => {
        if (!(id in old)) return old;
        const next = { ...old };
        delete next[id];
        return next;
      });
      if (client.getQueryData(queryKeys.detail(id)) !== undefined) client.setQueryData(queryKeys.detail(id), null);
    },
    health: (health) => client.setQueryData(queryKeys.health, (old: typeof health[] | undefined) => [...(old ?? []).filter((h) => h.cluster !== health.cluster), health]),
  };
}

/** Opens the one live stream of this tab and writes what arrives into the query cache. */
export function useLiveStream(): void {
  const client = useQueryClient();
  useEffect(() => {
    const stream = new LiveStream({
      fetch: (url, init) => apiFetch(url, init),
      sink: cacheSink(client),
      connection,
      url: () => streamUrl(),
      snapshotUrl: typeof DecompressionStream === 'function' ? '/api/workloads?as=gzip' : '/api/workloads',
      resumeFrom: () => {
        // The overview hydrated its rows with the event id they were read at: resume from there (once).
        const since = client.getQueryData<string>(queryKeys.rowsSince) ?? null;
        client.removeQueries({ queryKey: queryKeys.rowsSince, exact: true });
        return since;
      },
    });
    current = stream;
    stream.start();
    return () => {
      stream.stop();
      if (current === stream) current = null;
    };
  }, [client]);
}

/**
 * A detail page asks the stream for its workload's full summary while it is open. A layout effect:
 * it runs before the header's stream starts on a first load, so that first connection already asks.
 */
export function useWatchWorkload(id: string): void {
  useLayoutEffect(() => {
    watched.set(id, (watched.get(id) ?? 0) + 1);
    if (watched.get(id) === 1) current?.retarget();
    return () => {
      const left = (watched.get(id) ?? 1) - 1;
      if (left > 0) {
        watched.set(id, left);
        return;
      }
      watched.delete(id);
      current?.retarget();
    };
  }, [id]);
}

export function useConnection(): ConnectionState {
  return useSyncExternalStore(connection.subscribe, connection.get, connection.get);
}
