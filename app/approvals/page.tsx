import { ApprovalsPage } from '@/components/approvals/approvals-page';
import { requirePageViewer } from '@/lib/server/auth/page';

export const dynamic = 'force-dynamic';

/** /approvals: the release approvals the viewer may see (fetched and kept live in the browser). */
export default async function Approvals() {
  await requirePageViewer('/approvals');
  return <ApprovalsPage />;
}
