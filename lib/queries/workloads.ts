import { queryOptions } from '@tanstack/react-query';
import { StreamSnapshot } from '@/lib/contracts/stream';
import { apiFetch } from './session';

/** The one source of truth for query keys. */
export const queryKeys = {
  snapshot: ['workloads', 'snapshot'] as const,
};

export async function fetchSnapshot(): Promise<StreamSnapshot> {
  const res = await apiFetch('/api/workloads', { cache: 'no-store' });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `GET /api/workloads: ${res.status}`);
  }
  return StreamSnapshot.parse(await res.json());
}

/** Workloads live in one cache entry that the event stream keeps current; nothing polls. */
export const snapshotQuery = () =>
  queryOptions({
    queryKey: queryKeys.snapshot,
    queryFn: fetchSnapshot,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
