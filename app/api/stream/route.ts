import { z } from 'zod';
import { route } from '@/lib/server/http/handler';
import { runtime } from '@/lib/server/runtime';

export const dynamic = 'force-dynamic';

const Query = z.object({ lastEventId: z.string().max(200).optional() });

/** Server-sent events: a snapshot, then ordered deltas; `Last-Event-ID` resumes. */
export const GET = route({ query: Query }, ({ request, query }) => {
  const { hub } = runtime();
  const lastEventId = request.headers.get('last-event-id') ?? query.lastEventId ?? null;
  // Every viewer may read every workload until sign-in arrives; the filter is where RBAC will plug in.
  const body = hub.subscribe(() => true, lastEventId, request.signal);
  return new Response(body, {
    headers: {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    },
  });
});
