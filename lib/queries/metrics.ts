import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { MetricsResponse, Sparklines, type MetricsWindow } from '@/lib/contracts/metrics';
import { apiFetch } from './session';

export const metricsKeys = {
  workload: (cluster: string, namespace: string, name: string, window: MetricsWindow) => ['metrics', cluster, namespace, name, window] as const,
};

/** Charts refresh on the query's own interval (one step), never on a hand-rolled timer. */
export const metricsQuery = (cluster: string, namespace: string, name: string, window: MetricsWindow) =>
  queryOptions({
    queryKey: metricsKeys.workload(cluster, namespace, name, window),
    queryFn: async () => {
      const res = await apiFetch(`/api/metrics/${cluster}/${namespace}/${name}?window=${window}`, { cache: 'no-store' });
      const body: unknown = await res.json();
      if (!res.ok) throw new Error((body as { error?: { message?: string } }).error?.message ?? `metrics: HTTP ${res.status}`);
      return MetricsResponse.parse(body);
    },
    placeholderData: keepPreviousData,
    staleTime: 0,
    refetchInterval: (query) => Math.max(5, query.state.data?.window.step ?? 15) * 1000,
  });

export const sparklinesQuery = () =>
  queryOptions({
    queryKey: ['metrics', 'sparklines'] as const,
    queryFn: async () => {
      const res = await apiFetch('/api/sparklines', { cache: 'no-store' });
      if (!res.ok) throw new Error(`sparklines: HTTP ${res.status}`);
      return Sparklines.parse(await res.json());
    },
    placeholderData: keepPreviousData,
    refetchInterval: 15_000,
  });
