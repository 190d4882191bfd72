import { queryOptions } from '@tanstack/react-query';
import { AlertsResponse } from '@/lib/contracts/alerts';
import { OnCallStatus } from '@/lib/contracts/incidents';
import { apiFetch } from './session';

/** Firing alerts (one shared query for every card and page; the server reads Prometheus once for everyone). */
export const alertsQuery = () =>
  queryOptions({
    queryKey: ['alerts'] as const,
    queryFn: async () => {
      const res = await apiFetch('/api/alerts', { cache: 'no-store' });
      if (!res.ok) throw new Error(`GET /api/alerts: ${res.status}`);
      return AlertsResponse.parse(await res.json());
    },
    refetchInterval: 10_000,
    staleTime: 5000,
    retry: false,
  });

/** On-call status: the sender and the incidents the viewer may see, with their deliveries. */
export const oncallQuery = () =>
  queryOptions({
    queryKey: ['oncall'] as const,
    queryFn: async () => {
      const res = await apiFetch('/api/oncall', { cache: 'no-store' });
      if (!res.ok) throw new Error(`GET /api/oncall: ${res.status}`);
      return OnCallStatus.parse(await res.json());
    },
    refetchInterval: 10_000,
    staleTime: 5000,
    retry: false,
  });
