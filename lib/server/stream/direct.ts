import 'server-only';
import { API_CSP } from '@/lib/server/http/security-headers';

type Handler = (request: Request, context: { params: Promise<Record<string, string | string[] | undefined>> }) => Promise<Response>;

interface DirectRoute {
  accepts: (url: URL) => boolean;
  handler: (request: Request) => Promise<Response>;
}

/**
 * What every response gets from next.config.js (`headers()`) and proxy.ts (the API's
 * Content-Security-Policy) when Next serves it; a direct answer adds them itself.
 * direct.test.ts checks they match next.config.js.
 */
export const DIRECT_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': API_CSP,
};

const key = Symbol.for('aviary.http.direct');
const registry = () => ((globalThis as { [key]?: Map<string, DirectRoute> })[key] ??= new Map<string, DirectRoute>());

/**
 * Lets server.mjs (server-direct.mjs) call this route handler itself for `path`, when `accepts`
 * says so, instead of going through Next's router: the handler is unchanged (auth and validation
 * inside it); the headers Next and proxy.ts would add are added here. Only for the read endpoints a
 * crowd hits at once (a replica restart): the event stream and the shared snapshot.
 */
export function serveDirectly(path: string, handler: Handler, accepts: (url: URL) => boolean = () => true): void {
  registry().set(path, {
    accepts,
    handler: async (request) => {
      const response = await handler(request, { params: Promise.resolve({}) });
      for (const [name, value] of Object.entries(DIRECT_HEADERS)) if (!response.headers.has(name)) response.headers.set(name, value);
      return response;
    },
  });
}
