import { Suspense } from 'react';
import { WorkloadDetail } from '@/components/detail/workload-detail';
import { workloadPage } from '@/lib/server/http/workload-page';

export const dynamic = 'force-dynamic';

/** 404 for a Rollout that is not there; otherwise the live container (the snapshot is hydrated by the root layout). */
export default async function RolloutPage({ params }: { params: Promise<{ cluster: string; namespace: string; name: string }> }) {
  const { id, links } = workloadPage('Rollout', await params);
  return (
    <Suspense>
      <WorkloadDetail id={id} links={links} />
    </Suspense>
  );
}
