import 'server-only';
import { logError, toPublicError } from './errors';

/** The one error body every route sends: `{ error: { code, message, requestId } }`. */
export interface ErrorBody {
  error: { code: string; message: string; requestId: string };
}

const NO_STORE = { 'Cache-Control': 'no-store' };

/** JSON that is never cached: everything Aviary serves is live state. */
export function json(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return Response.json(body, { status: init.status ?? 200, headers: { ...NO_STORE, ...init.headers } });
}

export function errorResponse(status: number, code: string, message: string, requestId: string): Response {
  const body: ErrorBody = { error: { code, message, requestId } };
  return json(body, { status, headers: { 'X-Request-Id': requestId } });
}

/** Logs the error with the request id on the server and answers with its public form only. */
export function fromError(error: unknown, requestId: string, where: string): Response {
  const pub = toPublicError(error);
  // Expected answers (400, 404) are not server faults; everything else is logged in full.
  if (pub.status >= 500) logError(requestId, where, error);
  return errorResponse(pub.status, pub.code, pub.message, requestId);
}
