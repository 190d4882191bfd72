import { dehydrate, HydrationBoundary, QueryClient } from '@tanstack/react-query';
import { Overview } from '@/components/overview/overview';
import { queryKeys, rowsById } from '@/lib/queries/workloads';
import { requirePageViewer } from '@/lib/server/auth/page';
import { primeVisibility, visibleTo } from '@/lib/server/auth/visibility';
import { runtime } from '@/lib/server/runtime';

export const dynamic = 'force-dynamic';

/**
 * The overview hydrates one small row per workload the viewer may read (not their pods, events or
 * measurements); the live stream keeps them current. No Suspense boundary here: a boundary hydrates
 * in a later pass, after the header has opened the live stream, and a change arriving in between
 * would hydrate newer data than the server rendered (React error 418). The header never reads the
 * rows, so this boundary fills them during the first render.
 */
export default async function OverviewPage() {
  const viewer = await requirePageViewer('/');
  const { hub, access } = runtime();
  await primeVisibility(viewer, access, hub.snapshot().workloads);
  const client = new QueryClient();
  client.setQueryData(queryKeys.rows, rowsById(hub.rows(visibleTo(viewer, access))));
  return (
    <HydrationBoundary state={dehydrate(client)}>
      <Overview />
    </HydrationBoundary>
  );
}
