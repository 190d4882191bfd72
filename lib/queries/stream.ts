'use client';

import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useSyncExternalStore } from 'react';
import { ClusterHealth, DeleteEvent, StreamSnapshot } from '@/lib/contracts/stream';
import { WorkloadSummary } from '@/lib/contracts/workload';
import { ConnectionStore, type ConnectionState } from './connection';
import { queryKeys } from './workloads';

const connection = new ConnectionStore();
/** No event at all (heartbeats included) for this long means the connection is dead even if the socket is not. */
const SILENCE_MS = 45_000;

function update(client: QueryClient, change: (snapshot: StreamSnapshot) => StreamSnapshot): void {
  client.setQueryData<StreamSnapshot>(queryKeys.snapshot, (old) => (old ? change(old) : old));
}

function parse<T>(schema: { parse: (v: unknown) => T }, event: MessageEvent<string>): T {
  return schema.parse(JSON.parse(event.data));
}

/** Opens the one EventSource of this tab and writes what arrives into the query cache. */
export function useLiveStream(): void {
  const client = useQueryClient();
  useEffect(() => {
    let source: EventSource | undefined;
    let silence: ReturnType<typeof setTimeout> | undefined;
    let closed = false;

    const armSilence = () => {
      clearTimeout(silence);
      silence = setTimeout(() => {
        connection.lost();
        source?.close();
        open();
      }, SILENCE_MS);
    };

    const open = () => {
      if (closed) return;
      source = new EventSource('/api/stream');
      source.addEventListener('open', armSilence);
      source.addEventListener('snapshot', (e) => {
        client.setQueryData(queryKeys.snapshot, parse(StreamSnapshot, e as MessageEvent<string>));
        connection.live();
        armSilence();
      });
      source.addEventListener('upsert', (e) => {
        const workload = parse(WorkloadSummary, e as MessageEvent<string>);
        update(client, (s) => {
          const index = s.workloads.findIndex((w) => w.id === workload.id);
          const workloads = index === -1 ? [...s.workloads, workload] : s.workloads.map((w, i) => (i === index ? workload : w));
          return { ...s, workloads };
        });
        armSilence();
      });
      source.addEventListener('delete', (e) => {
        const { id } = parse(DeleteEvent, e as MessageEvent<string>);
        update(client, (s) => ({ ...s, workloads: s.workloads.filter((w) => w.id !== id) }));
        armSilence();
      });
      source.addEventListener('health', (e) => {
        const health = parse(ClusterHealth, e as MessageEvent<string>);
        update(client, (s) => ({ ...s, health: [...s.health.filter((h) => h.cluster !== health.cluster), health] }));
        armSilence();
      });
      source.addEventListener('heartbeat', () => {
        connection.live();
        armSilence();
      });
      source.addEventListener('error', () => connection.lost());
    };

    open();
    return () => {
      closed = true;
      clearTimeout(silence);
      source?.close();
    };
  }, [client]);
}

export function useConnection(): ConnectionState {
  return useSyncExternalStore(connection.subscribe, connection.get, connection.get);
}
