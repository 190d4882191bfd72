import type { AlertsResponse } from '@/lib/contracts/alerts';
import { alertMatches } from '@/lib/contracts/alerts';
import { visibleWorkloads } from '@/lib/server/auth/visibility';
import { route } from '@/lib/server/http/handler';
import { runtime } from '@/lib/server/runtime';

export const dynamic = 'force-dynamic';

/** GET /api/alerts: firing (and pending) Prometheus alerts about workloads the viewer may read; one shared read of Prometheus. */
export const GET = route({}, async ({ viewer }) => {
  const rt = runtime();
  if (!rt.alerts) return { alerts: [], fetchedAt: null, error: null, configured: false } satisfies AlertsResponse;
  const [current, workloads] = await Promise.all([rt.alerts.current(), visibleWorkloads(viewer, rt.access, rt.hub.snapshot().workloads)]);
  const body: AlertsResponse = { ...current, alerts: current.alerts.filter((a) => workloads.some((w) => alertMatches(a, w))) };
  return body;
});
