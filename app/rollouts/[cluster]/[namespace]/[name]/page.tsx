import { DetailPage } from '@/components/detail/detail-page';

export const dynamic = 'force-dynamic';

export default async function RolloutPage({ params }: { params: Promise<{ cluster: string; namespace: string; name: string }> }) {
  const p = await params;
  return <DetailPage kind="Rollout" {...p} />;
}
