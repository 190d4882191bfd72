import { DetailPage } from '@/components/detail/detail-page';
import { assertWorkloadExists } from '@/lib/server/http/workload-page';

export const dynamic = 'force-dynamic';

export default async function DeploymentPage({ params }: { params: Promise<{ cluster: string; namespace: string; name: string }> }) {
  const p = assertWorkloadExists('Deployment', await params);
  return <DetailPage kind="Deployment" {...p} />;
}
