import type { OnCallStatus } from '@/lib/contracts/incidents';
import { mayRead } from '@/lib/server/auth/visibility';
import { route } from '@/lib/server/http/handler';
import { runtime } from '@/lib/server/runtime';

export const dynamic = 'force-dynamic';

/**
 * GET /api/oncall: the on-call status (shown to people at /oncall) — which replica sends (the Lease
 * holder, its renew time and hand-overs, read from the Lease), the retention, this replica's
 * delivery counters, and every incident in namespaces the viewer may read with each delivery's
 * state, attempts and last error (a failed page is visible here, never lost silently).
 */
export const GET = route({}, async ({ viewer }) => {
  const rt = runtime();
  const status: OnCallStatus = await rt.oncall.status((i) => mayRead(viewer, rt.access, i));
  return status;
});
