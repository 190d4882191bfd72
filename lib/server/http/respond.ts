import 'server-only';
import { ConfigError } from '@/lib/server/config';

/** One error shape for every route: `{ error: { code, message } }` with a matching status. */
export function errorResponse(status: number, code: string, message: string): Response {
  return Response.json({ error: { code, message } }, { status, headers: { 'Cache-Control': 'no-store' } });
}

export function fromError(error: unknown): Response {
  if (error instanceof ConfigError) return errorResponse(500, 'configuration', error.message);
  const message = error instanceof Error ? error.message : String(error);
  return errorResponse(500, 'internal', message);
}
