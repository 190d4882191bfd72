import { DetailPage } from '@/components/detail/detail-page';

export const dynamic = 'force-dynamic';

export default async function DeploymentPage({ params }: { params: Promise<{ cluster: string; namespace: string; name: string }> }) {
  const p = await params;
  return <DetailPage kind="Deployment" {...p} />;
}
