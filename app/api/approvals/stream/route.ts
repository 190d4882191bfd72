import { approvalsFor } from '@/lib/server/approvals/list';
import { route } from '@/lib/server/http/handler';
import { runtime } from '@/lib/server/runtime';

export const dynamic = 'force-dynamic';

const DEBOUNCE_MS = 100;
const HEARTBEAT_MS = 15_000;

/**
 * GET /api/approvals/stream (SSE): `approvals` with the viewer's whole list at once, then again each
 * time a ReleaseApproval or a Rollout changes in the shared cache (debounced). No LIST or WATCH per
 * viewer: it listens to the cache's reflectors. Ends with the session, like /api/stream.
 */
export const GET = route({}, async ({ request, viewer }) => {
  const rt = runtime();
  const expiresAt = viewer.kind === 'person' ? viewer.identity.expiresAt : null;
  const signal = expiresAt ? AbortSignal.any([request.signal, AbortSignal.timeout(Math.min(Math.max(expiresAt.getTime() - Date.now(), 0), 2 ** 31 - 1))]) : request.signal;
  const encoder = new TextEncoder();
  let last = '';
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let timer: NodeJS.Timeout | undefined;
      let closed = false;
      const write = (text: string) => {
        if (!closed) controller.enqueue(encoder.encode(text));
      };
      const send = async () => {
        const approvals = await approvalsFor(viewer, rt).catch(() => null);
        if (!approvals) return;
        const data = JSON.stringify({ approvals });
        if (data === last) return;
        last = data;
        write(`event: approvals\ndata: ${data}\n\n`);
      };
      const schedule = () => {
        if (timer) return;
        timer = setTimeout(() => {
          timer = undefined;
          void send();
        }, DEBOUNCE_MS);
      };
      const offs = rt.caches.flatMap((c) => [c.onKindChange('releaseApprovals', schedule), c.onKindChange('rollouts', schedule)]);
      const heartbeat = setInterval(() => write(': heartbeat\n\n'), HEARTBEAT_MS);
      // Expiry (an approval going stale by time) is re-evaluated once a minute.
      const tick = setInterval(schedule, 60_000);
      write('retry: 2000\n\n');
      void send();
      signal.addEventListener(
        'abort',
        () => {
          closed = true;
          offs.forEach((off) => off());
          clearInterval(heartbeat);
          clearInterval(tick);
          clearTimeout(timer);
          controller.close();
        },
        { once: true },
      );
    },
  });
  return new Response(body, {
    headers: { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' },
  });
});
