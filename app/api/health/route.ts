import { json } from '@/lib/server/http/respond';
import { route } from '@/lib/server/http/handler';
import { redactKindStatuses } from '@/lib/server/http/upstream';
import { runtime } from '@/lib/server/runtime';

export const dynamic = 'force-dynamic';

/** Liveness plus each cluster's cache state; 503 while any cluster's cache is not live. */
export const GET = route({}, () => {
  const { caches, hub, chartCache } = runtime();
  const clusters = caches.map((c) => ({ ...c.currentHealth(), kinds: redactKindStatuses(c.reflectorStatuses()) }));
  const ok = clusters.every((c) => c.connected);
  return json({ status: ok ? 'ok' : 'degraded', clients: hub.clientCount, clusters, prometheusCache: { ...chartCache.stats } }, { status: ok ? 200 : 503 });
});
