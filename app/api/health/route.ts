import { fromError } from '@/lib/server/http/respond';
import { runtime } from '@/lib/server/runtime';

export const dynamic = 'force-dynamic';

/** Liveness plus each cluster's cache state; 503 while any cluster's cache is not live. */
export function GET(): Response {
  try {
    const { caches, hub, chartCache } = runtime();
    const clusters = caches.map((c) => ({ ...c.currentHealth(), kinds: c.reflectorStatuses() }));
    const ok = clusters.every((c) => c.connected);
    return Response.json(
      { status: ok ? 'ok' : 'degraded', clients: hub.clientCount, clusters, prometheusCache: { ...chartCache.stats } },
      { status: ok ? 200 : 503 },
    );
  } catch (error) {
    return fromError(error);
  }
}
