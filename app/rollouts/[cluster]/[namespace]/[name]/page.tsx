import { WorkloadDetailPage, type WorkloadSegments } from '@/app/_detail/workload-detail-page';

export const dynamic = 'force-dynamic';

export default async function RolloutPage({ params }: { params: Promise<WorkloadSegments> }) {
  return <WorkloadDetailPage kind="Rollout" segments={await params} />;
}
