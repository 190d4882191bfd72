import { dehydrate, HydrationBoundary, QueryClient } from '@tanstack/react-query';
import { Suspense } from 'react';
import { Overview } from '@/components/overview/overview';
import { queryKeys } from '@/lib/queries/workloads';
import { runtime } from '@/lib/server/runtime';

export const dynamic = 'force-dynamic';

export default function OverviewPage() {
  const client = new QueryClient();
  client.setQueryData(queryKeys.snapshot, runtime().hub.snapshot());
  return (
    <HydrationBoundary state={dehydrate(client)}>
      <Suspense>
        <Overview />
      </Suspense>
    </HydrationBoundary>
  );
}
