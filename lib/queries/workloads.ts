import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import type { WorkloadRow } from '@/lib/contracts/overview';
import { StreamSnapshot, type ClusterHealthDto } from '@/lib/contracts/stream';
import { WorkloadSummary } from '@/lib/contracts/workload';
import { apiFetch } from './session';

/** Overview rows, kept by id: an upsert replaces one entry, unchanged rows keep their identity (memoized cards). */
export type RowsById = Record<string, WorkloadRow>;

/** The one source of truth for query keys. */
export const queryKeys = {
  rows: ['workloads', 'rows'] as const,
  health: ['workloads', 'health'] as const,
  detail: (id: string) => ['workloads', 'detail', id] as const,
  /** The event id the server-rendered rows were read at: where this tab's stream resumes (read once). */
  rowsSince: ['workloads', 'rows-since'] as const,
};

export const rowsById = (rows: WorkloadRow[]): RowsById => Object.fromEntries(rows.map((r) => [r.id, r]));

async function failure(res: Response, what: string): Promise<Error> {
  const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
  return new Error(body?.error?.message ?? `${what}: ${res.status}`);
}

export async function fetchSnapshot(): Promise<StreamSnapshot> {
  const res = await apiFetch('/api/workloads', { cache: 'no-store' });
  if (!res.ok) throw await failure(res, 'GET /api/workloads');
  return StreamSnapshot.parse(await res.json());
}

const DetailAnswer = z.object({ workload: WorkloadSummary });

/** One workload's full summary; null when it is not (or no longer) in the cluster. */
export async function fetchDetail(id: string): Promise<WorkloadSummary | null> {
  const res = await apiFetch(`/api/workloads/detail?id=${encodeURIComponent(id)}`, { cache: 'no-store' });
  if (res.status === 404) return null;
  if (!res.ok) throw await failure(res, 'GET /api/workloads/detail');
  return DetailAnswer.parse(await res.json()).workload;
}

/**
 * Rows, health and details live in cache entries that the event stream keeps current; nothing
 * polls. No structural sharing: the stream replaces what changed, by id, and a deep compare of a
 * thousand rows on every delta would cost more than it saves.
 */
export const rowsQuery = () =>
  queryOptions({
    queryKey: queryKeys.rows,
    queryFn: async () => rowsById((await fetchSnapshot()).workloads),
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    structuralSharing: false,
  });

export const healthQuery = () =>
  queryOptions({
    queryKey: queryKeys.health,
    queryFn: async (): Promise<ClusterHealthDto[]> => (await fetchSnapshot()).health,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });

export const detailQuery = (id: string) =>
  queryOptions({
    queryKey: queryKeys.detail(id),
    queryFn: () => fetchDetail(id),
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    structuralSharing: false,
  });
