import { fromError } from '@/lib/server/http/respond';
import { runtime } from '@/lib/server/runtime';

export const dynamic = 'force-dynamic';

/** Server-sent events: a snapshot, then ordered deltas; `Last-Event-ID` resumes. */
export function GET(request: Request): Response {
  try {
    const { hub } = runtime();
    const lastEventId = request.headers.get('last-event-id') ?? new URL(request.url).searchParams.get('lastEventId');
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
  } catch (error) {
    return fromError(error);
  }
}
