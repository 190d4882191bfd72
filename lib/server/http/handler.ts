import 'server-only';
import { z } from 'zod';
import { currentViewer, type Viewer } from '@/lib/server/auth/viewer';
import { HttpError, newRequestId } from './errors';
import { fromError, json } from './respond';

type Schema = z.ZodType<unknown>;

export interface HandlerInput<P, Q> {
  request: Request;
  params: P;
  query: Q;
  requestId: string;
  /** Checked inside every handler: a request without a session never reaches the handler's body. */
  viewer: Viewer;
}

/** What Next passes as the second argument of a route handler (params of dynamic segments). */
export interface RouteContext {
  params: Promise<Record<string, string | string[] | undefined>>;
}

const empty = z.object({});

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

/**
 * Every app/api route reads the same way: who is asking (401 without a session), parse path params
 * and query with zod, run one handler,
 * answer through respond.ts. The handler returns plain data (sent as no-store JSON) or a Response
 * (a stream, a non-200 status); anything it throws becomes `{ error: { code, message, requestId } }`
 * with the details logged on the server only.
 */
export function route<P extends Schema = typeof empty, Q extends Schema = typeof empty>(
  spec: { params?: P; query?: Q },
  handler: (input: HandlerInput<z.infer<P>, z.infer<Q>>) => unknown,
): (request: Request, context: RouteContext) => Promise<Response> {
  return async (request, context) => {
    const requestId = newRequestId();
    const url = new URL(request.url);
    try {
      // A kiosk link opens /api/kiosk/wall only (its own handler): here it is never a session, never an action.
      if (/^Kiosk\s/i.test(request.headers.get('authorization') ?? '')) throw new HttpError(403, 'kiosk-read-only', 'A kiosk link shows its wall and nothing else: it cannot call this API');
      const viewer = await currentViewer(request);
      if (!viewer) throw new HttpError(401, 'unauthenticated', 'Sign in to use Aviary');
      const params = (spec.params ?? empty).safeParse((await context?.params) ?? {});
      if (!params.success) throw new HttpError(400, 'bad-request', describeIssues(params.error));
      const query = (spec.query ?? empty).safeParse(Object.fromEntries(url.searchParams));
      if (!query.success) throw new HttpError(400, 'bad-request', describeIssues(query.error));
      const result = await handler({ request, params: params.data as z.infer<P>, query: query.data as z.infer<Q>, requestId, viewer });
      const response = result instanceof Response ? result : json(result);
      response.headers.set('X-Request-Id', requestId);
      return response;
    } catch (error) {
      return fromError(error, requestId, `${request.method} ${url.pathname}`);
    }
  };
}
