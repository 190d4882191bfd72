import { z } from 'zod';
import { primeVisibility, visibleTo } from '@/lib/server/auth/visibility';
import { route } from '@/lib/server/http/handler';
import { runtime } from '@/lib/server/runtime';
import { serveDirectly } from '@/lib/server/stream/direct';

export const dynamic = 'force-dynamic';

const Query = z.object({
  /** `gzip`: the snapshot as a gzip file (application/gzip), for a client that inflates it itself. */
  as: z.enum(['gzip']).optional(),
});

/**
 * The current snapshot as JSON (what the stream's first event carries): one row per workload the
 * viewer may read. `?as=gzip` answers the same JSON gzipped — the same bytes for every viewer who
 * sees everything, compressed once per change — as application/gzip (Next.js drops a route's own
 * Content-Encoding, so the browser inflates it with DecompressionStream). That is how the browser's
 * live stream starts: it fetches this, then opens the stream from its `lastEventId`.
 * Full detail: /api/workloads/detail?id=….
 */
export const GET = route({ query: Query }, async ({ query, viewer }) => {
  const { hub, access } = runtime();
  await primeVisibility(viewer, access, hub.places());
  const filter = visibleTo(viewer, access);
  // The snapshot's event id, also as a header: where the stream resumes, readable without inflating the body.
  const lastEventId = hub.lastEventId;
  if (query.as === 'gzip') {
    return new Response(hub.rowSnapshotGzip(filter) as Uint8Array<ArrayBuffer>, { headers: { 'Content-Type': 'application/gzip', 'Cache-Control': 'no-store', 'X-Last-Event-Id': lastEventId } });
  }
  return new Response(hub.rowSnapshotJson(filter), { headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'X-Last-Event-Id': lastEventId } });
});

// The shared gzipped snapshot every viewer starts from: served by server.mjs directly (server-direct.mjs);
// the plain JSON goes through Next, which may compress it.
serveDirectly('/api/workloads', GET, (url) => url.searchParams.get('as') === 'gzip');
