import { route } from '@/lib/server/http/handler';
import { redactClusterHealth } from '@/lib/server/http/upstream';
import { runtime } from '@/lib/server/runtime';

export const dynamic = 'force-dynamic';

/** The current snapshot as JSON (what the stream's first event carries). */
export const GET = route({}, () => {
  const { hub, caches } = runtime();
  const snapshot = hub.snapshot();
  const kinds = new Map(caches.map((c) => [c.cluster, c.reflectorStatuses()]));
  return { ...snapshot, health: snapshot.health.map((h) => redactClusterHealth(h, kinds.get(h.cluster) ?? {})) };
});
