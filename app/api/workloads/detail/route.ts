import { z } from 'zod';
import { mayRead } from '@/lib/server/auth/visibility';
import { HttpError } from '@/lib/server/http/errors';
import { route } from '@/lib/server/http/handler';
import { runtime } from '@/lib/server/runtime';

export const dynamic = 'force-dynamic';

const Query = z.object({ id: z.string().min(1).max(400) });

/** One workload's full summary (pods, events, analysis, history): what a detail page shows. 404 when absent or not readable. */
export const GET = route({ query: Query }, async ({ query, viewer }) => {
  const { hub, access } = runtime();
  const workload = hub.workload(query.id);
  if (!workload || !(await mayRead(viewer, access, workload))) throw new HttpError(404, 'not-found', `${query.id} is not in the cluster`);
  return { workload };
});
