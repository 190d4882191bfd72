import { WorkloadDetail } from '@/components/detail/workload-detail';
import { workloadPage } from '@/lib/server/http/workload-page';
import { requirePageViewer } from '@/lib/server/auth/page';

export const dynamic = 'force-dynamic';

/**
 * 404 for a Deployment that is not there; otherwise the live container, reading the snapshot the root
 * layout hydrated. No Suspense boundary: it would hydrate after the live stream opened (see app/page.tsx).
 */
export default async function DeploymentPage({ params }: { params: Promise<{ cluster: string; namespace: string; name: string }> }) {
  const segments = await params;
  const viewer = await requirePageViewer(`/deployments/${[segments.cluster, segments.namespace, segments.name].map(encodeURIComponent).join('/')}`);
  const { id, links } = await workloadPage('Deployment', segments, viewer);
  return <WorkloadDetail id={id} links={links} />;
}
