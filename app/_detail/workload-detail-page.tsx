import { dehydrate, HydrationBoundary, QueryClient } from '@tanstack/react-query';
import { WorkloadDetail } from '@/components/detail/workload-detail';
import { queryKeys } from '@/lib/queries/workloads';
import { requirePageViewer } from '@/lib/server/auth/page';
import { workloadPage } from '@/lib/server/http/workload-page';
import { runtime } from '@/lib/server/runtime';

export interface WorkloadSegments {
  cluster: string;
  namespace: string;
  name: string;
}

/**
 * A Rollout's or Deployment's page: 404 when it is not there; otherwise the live container,
 * hydrated with this one workload's full summary (never the rest of the cluster); the live stream
 * then carries its changes. No Suspense boundary: it would hydrate after the live stream opened
 * (see app/page.tsx).
 */
export async function WorkloadDetailPage({ kind, segments }: { kind: 'Rollout' | 'Deployment'; segments: WorkloadSegments }) {
  const base = kind === 'Rollout' ? 'rollouts' : 'deployments';
  const viewer = await requirePageViewer(`/${base}/${[segments.cluster, segments.namespace, segments.name].map(encodeURIComponent).join('/')}`);
  const { id, links } = await workloadPage(kind, segments, viewer);
  const client = new QueryClient();
  const workload = runtime().hub.workload(id);
  if (workload) client.setQueryData(queryKeys.detail(id), workload);
  return (
    <HydrationBoundary state={dehydrate(client)}>
      <WorkloadDetail id={id} links={links} />
    </HydrationBoundary>
  );
}
