import { DetailPage } from '@/components/detail/detail-page';
import { assertWorkloadExists } from '@/lib/server/http/workload-page';

export const dynamic = 'force-dynamic';

export default async function RolloutPage({ params }: { params: Promise<{ cluster: string; namespace: string; name: string }> }) {
  const p = assertWorkloadExists('Rollout', await params);
  return <DetailPage kind="Rollout" {...p} />;
}
