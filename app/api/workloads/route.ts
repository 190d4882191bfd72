import { visibleWorkloads } from '@/lib/server/auth/visibility';
import { route } from '@/lib/server/http/handler';
import { runtime } from '@/lib/server/runtime';

export const dynamic = 'force-dynamic';

/** The current snapshot as JSON (what the stream's first event carries), with only what the viewer may read. */
export const GET = route({}, async ({ viewer }) => {
  const { hub, access } = runtime();
  const snapshot = hub.snapshot();
  return { ...snapshot, workloads: await visibleWorkloads(viewer, access, snapshot.workloads) };
});
