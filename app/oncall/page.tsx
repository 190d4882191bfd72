import { OnCallPage } from '@/components/oncall/oncall-page';
import { requirePageViewer } from '@/lib/server/auth/page';

export const dynamic = 'force-dynamic';

/** /oncall: who sends pages, what was delivered, what failed and why, the open incidents (GET /api/oncall, polled). */
export default async function OnCall() {
  await requirePageViewer('/oncall');
  return <OnCallPage />;
}
