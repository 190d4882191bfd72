import { WorkloadDetailPage, type WorkloadSegments } from '@/app/_detail/workload-detail-page';

export const dynamic = 'force-dynamic';

export default async function DeploymentPage({ params }: { params: Promise<WorkloadSegments> }) {
  return <WorkloadDetailPage kind="Deployment" segments={await params} />;
}
