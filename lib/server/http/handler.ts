import 'server-only';
import { z } from 'zod';
import { authConfig } from '@/lib/server/auth/config';
import { currentViewer, type Viewer } from '@/lib/server/auth/viewer';
import { checkCsrfToken, checkJson, checkOrigin, csrfKey } from './csrf';
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

/** Each zod issue as `path: message`; an issue on the whole value is named `whole` when given (else just its message). */
function describeIssues(error: z.ZodError, whole?: string): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : whole ? `${whole}: ${i.message}` : i.message)).join('; ');
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

export interface WriteInput<B> {
  request: Request;
  requestId: string;
  /** Always a signed-in person: anonymous readers are refused before the handler runs. */
  viewer: Extract<Viewer, { kind: 'person' }>;
  body: B;
}

/**
 * Every write (POST) reads the same way, after `route`'s session check: the request's own defences
 * in order — Aviary's own Origin (403), a JSON body (415), a signed-in person (403 `read-only` with
 * `signIn` as the message), the CSRF token (403) — then the body parsed with zod (400 naming `what`
 * and each bad field). Only then does the handler run.
 */
export function writeRoute<B extends Schema>(
  spec: { body: B; what: string; signIn: string },
  handler: (input: WriteInput<z.infer<B>>) => unknown,
): (request: Request, context: RouteContext) => Promise<Response> {
  return route({}, async ({ request, requestId, viewer }) => {
    const session = authConfig().session;
    checkOrigin(request, session?.publicUrl ?? null);
    checkJson(request);
    if (viewer.kind !== 'person') throw new HttpError(403, 'read-only', spec.signIn);
    checkCsrfToken(request, viewer.identity, csrfKey(session?.secret ?? null));
    const parsed = spec.body.safeParse(await request.json().catch(() => undefined));
    if (!parsed.success) throw new HttpError(400, 'bad-request', `invalid ${spec.what}: ${describeIssues(parsed.error, 'body')}`);
    return handler({ request, requestId, viewer, body: parsed.data as z.infer<B> });
  });
}

/** What a write says to an anonymous reader (AVIARY_AUTH=none). */
export const READ_ONLY_ACT = 'This Aviary is read-only (AVIARY_AUTH=none): sign-in is needed to act';
