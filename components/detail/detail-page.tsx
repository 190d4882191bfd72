import { dehydrate, HydrationBoundary, QueryClient } from '@tanstack/react-query';
import { Suspense } from 'react';
import { queryKeys } from '@/lib/queries/workloads';
import { runtime } from '@/lib/server/runtime';
import { WorkloadDetail } from './workload-detail';

/** Server side of a detail page: prefetch the snapshot, hydrate, hand over to the live container. */
export function DetailPage({ kind, cluster, namespace, name }: { kind: 'Rollout' | 'Deployment'; cluster: string; namespace: string; name: string }) {
  const client = new QueryClient();
  client.setQueryData(queryKeys.snapshot, runtime().hub.snapshot());
  return (
    <HydrationBoundary state={dehydrate(client)}>
      <Suspense>
        <WorkloadDetail id={`${cluster}/${kind}/${namespace}/${name}`} links={runtime().config.links} />
      </Suspense>
    </HydrationBoundary>
  );
}
