'use client';

import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useSyncExternalStore } from 'react';
import type { StreamSnapshot } from '@/lib/contracts/stream';
import { ConnectionStore, type ConnectionState } from './connection';
import { LiveStream, type StreamSink } from './live-stream';
import { apiFetch } from './session';
import { queryKeys } from './workloads';

const connection = new ConnectionStore();

function update(client: QueryClient, change: (snapshot: StreamSnapshot) => StreamSnapshot): void {
  client.setQueryData<StreamSnapshot>(queryKeys.snapshot, (old) => (old ? change(old) : old));
}

/** Validated stream events, written into the query cache. */
function cacheSink(client: QueryClient): StreamSink {
  return {
    snapshot: (snapshot) => client.setQueryData(queryKeys.snapshot, snapshot),
    upsert: (workload) =>
      update(client, (s) => {
        const index = s.workloads.findIndex((w) => w.id === workload.id);
        const workloads = index === -1 ? [...s.workloads, workload] : s.workloads.map((w, i) => (i === index ? workload : w));
        return { ...s, workloads };
      }),
    remove: (id) => update(client, (s) => ({ ...s, workloads: s.workloads.filter((w) => w.id !== id) })),
    health: (health) => update(client, (s) => ({ ...s, health: [...s.health.filter((h) => h.cluster !== health.cluster), health] })),
  };
}

/** Opens the one live stream of this tab and writes what arrives into the query cache. */
export function useLiveStream(): void {
  const client = useQueryClient();
  useEffect(() => {
    const stream = new LiveStream({ fetch: (url, init) => apiFetch(url, init), sink: cacheSink(client), connection });
    stream.start();
    return () => stream.stop();
  }, [client]);
}

export function useConnection(): ConnectionState {
  return useSyncExternalStore(connection.subscribe, connection.get, connection.get);
}
