import { primeVisibility, visibleTo } from '@/lib/server/auth/visibility';
import { route } from '@/lib/server/http/handler';
import { runtime } from '@/lib/server/runtime';

export const dynamic = 'force-dynamic';

/**
 * The current snapshot as JSON (what the stream's first event carries): one row per workload the
 * viewer may read, built from the rows' shared encodings. Full detail: /api/workloads/detail?id=….
 */
export const GET = route({}, async ({ viewer }) => {
  const { hub, access } = runtime();
  await primeVisibility(viewer, access, hub.snapshot().workloads);
  return new Response(hub.rowSnapshotJson(visibleTo(viewer, access)), { headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' } });
});
