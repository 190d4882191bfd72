import { primeVisibility, visibleTo } from '@/lib/server/auth/visibility';
import { route } from '@/lib/server/http/handler';
import { runtime } from '@/lib/server/runtime';

export const dynamic = 'force-dynamic';

/**
 * The current snapshot as JSON (what the stream's first event carries): one row per workload the
 * viewer may read. Gzipped when the client accepts it — the same bytes for every viewer who sees
 * everything, compressed once per change — which is how the browser's live stream starts: it
 * fetches this, then opens the stream from its `lastEventId`. Full detail: /api/workloads/detail?id=….
 */
export const GET = route({}, async ({ request, viewer }) => {
  const { hub, access } = runtime();
  await primeVisibility(viewer, access, hub.snapshot().workloads);
  const filter = visibleTo(viewer, access);
  const headers: Record<string, string> = { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', Vary: 'Accept-Encoding' };
  if (/\bgzip\b/.test(request.headers.get('accept-encoding') ?? '')) {
    return new Response(hub.rowSnapshotGzip(filter) as Uint8Array<ArrayBuffer>, { headers: { ...headers, 'Content-Encoding': 'gzip' } });
  }
  return new Response(hub.rowSnapshotJson(filter), { headers });
});
