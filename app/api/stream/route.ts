import { z } from 'zod';
import { WatchIds } from '@/lib/contracts/stream';
import { subjectKey } from '@/lib/server/auth/access';
import { primeVisibility, visibleTo } from '@/lib/server/auth/visibility';
import { route } from '@/lib/server/http/handler';
import { runtime } from '@/lib/server/runtime';
import { serveDirectly } from '@/lib/server/stream/direct';

export const dynamic = 'force-dynamic';

const Query = z.object({
  lastEventId: z.string().max(200).optional(),
  /** Workloads open in this tab, comma-separated ids: their full detail travels with the stream. */
  watch: z
    .string()
    .max(4000)
    .optional()
    .transform((text) => (text ? text.split(',') : []))
    .pipe(WatchIds),
});

/** Server-sent events: a snapshot of rows, then ordered deltas; `Last-Event-ID` resumes; `watch` adds the detail of open workloads. */
export const GET = route({ query: Query }, async ({ request, query, viewer }) => {
  const { hub, access } = runtime();
  const lastEventId = request.headers.get('last-event-id') ?? query.lastEventId ?? null;
  // Only namespaces the viewer may read: decisions from the one shared cache (a SubjectAccessReview
  // per namespace, 30 s), asked before the first snapshot; a later change resyncs this stream.
  await primeVisibility(viewer, access, hub.places());
  const me = viewer.kind === 'person' ? subjectKey(viewer.identity) : null;
  let stopWatching = () => {};
  // The stream ends when the session does: the browser reconnects, gets 401 and asks to sign in again.
  const expiresAt = viewer.kind === 'person' ? viewer.identity.expiresAt : null;
  const signal = expiresAt ? AbortSignal.any([request.signal, AbortSignal.timeout(Math.min(Math.max(expiresAt.getTime() - Date.now(), 0), 2 ** 31 - 1))]) : request.signal;
  const body = hub.subscribe(visibleTo(viewer, access), lastEventId, signal, (resync) => {
    if (me === null) return;
    const off = access.onChange((subject) => {
      if (subject === me) resync();
    });
    stopWatching = () => void off();
  }, query.watch);
  signal.addEventListener('abort', () => stopWatching(), { once: true });
  return new Response(body, {
    headers: {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    },
  });
});

// A crowd reconnecting at once: server.mjs calls this handler without Next's router in between (server-direct.mjs).
serveDirectly('/api/stream', GET);
