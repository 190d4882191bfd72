import { runtime } from '@/lib/server/runtime';

export const dynamic = 'force-dynamic';

/**
 * The one API route that needs no sign-in: Kubernetes' liveness and readiness probes call it. It
 * says whether every cluster's cache is live (200) or not (503) and nothing else — no cluster
 * names, no counts; the detail is /api/health, for signed-in people.
 */
export function GET(): Response {
  const ok = runtime().caches.every((cache) => cache.currentHealth().connected);
  return Response.json({ status: ok ? 'ok' : 'degraded' }, { status: ok ? 200 : 503, headers: { 'Cache-Control': 'no-store' } });
}
