import { dehydrate, HydrationBoundary, QueryClient } from '@tanstack/react-query';
import { WorkloadDetail } from '@/components/detail/workload-detail';
import { queryKeys } from '@/lib/queries/workloads';
import { runtime } from '@/lib/server/runtime';
import { workloadPage } from '@/lib/server/http/workload-page';
import { requirePageViewer } from '@/lib/server/auth/page';

export const dynamic = 'force-dynamic';

/**
 * 404 for a Rollout that is not there; otherwise the live container, hydrated with this one
 * workload's full summary (never the rest of the cluster); the live stream then carries its changes. No Suspense boundary: it would hydrate after the live stream opened (see app/page.tsx).
 */
export default async function RolloutPage({ params }: { params: Promise<{ cluster: string; namespace: string; name: string }> }) {
  const segments = await params;
  const viewer = await requirePageViewer(`/rollouts/${[segments.cluster, segments.namespace, segments.name].map(encodeURIComponent).join('/')}`);
  const { id, links } = await workloadPage('Rollout', segments, viewer);
  const client = new QueryClient();
  const workload = runtime().hub.workload(id);
  if (workload) client.setQueryData(queryKeys.detail(id), workload);
  return (
    <HydrationBoundary state={dehydrate(client)}>
      <WorkloadDetail id={id} links={links} />
    </HydrationBoundary>
  );
}
