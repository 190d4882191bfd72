import { fromError } from '@/lib/server/http/respond';
import { runtime } from '@/lib/server/runtime';

export const dynamic = 'force-dynamic';

/** The current snapshot as JSON (what the stream's first event carries). */
export function GET(): Response {
  try {
    return Response.json(runtime().hub.snapshot(), { headers: { 'Cache-Control': 'no-store' } });
  } catch (error) {
    return fromError(error);
  }
}
