// The two read endpoints a crowd of viewers hits at once — the shared snapshot
// (/api/workloads?as=gzip) and the event stream (/api/stream) — served by calling their route
// handlers directly from server.mjs, without Next's router, proxy and response piping in between.
// Measured (bench/README.md): those cost several milliseconds per request, most of a 500-viewer
// reconnect storm. The handlers are the same functions Next calls (auth, zod, the one error shape
// all live inside them, lib/server/http/handler.ts); the route modules register them here when they
// load (lib/server/stream/direct.ts), with the response headers Next and proxy.ts would add. Until a
// route module has loaded, and for anything else, Next serves the request as usual.
//
// Plain JavaScript on purpose, like server.mjs: it runs with `node`, no build step.

// Shared with the bundled route code through a registered symbol (separate module graphs).
const key = Symbol.for('aviary.http.direct');

/** path → { accepts(url): boolean, handler(request): Promise<Response> } */
export const directRoutes = (globalThis[key] ??= new Map());

/** The direct handler for this request, or undefined (Next serves it). */
export function directRoute(req) {
  if (req.method !== 'GET' || !req.url) return undefined;
  const q = req.url.indexOf('?');
  const route = directRoutes.get(q === -1 ? req.url : req.url.slice(0, q));
  if (!route) return undefined;
  const url = new URL(req.url, `http://${req.headers.host || 'localhost'}`);
  return route.accepts(url) ? { route, url } : undefined;
}

/** Resolves when the response can take more bytes, or is gone. */
function drained(res) {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** Serves one request with a registered handler: a web Request in, its Response streamed out (backpressure kept, cancelled when the client goes). */
export async function serveDirect({ route, url }, req, res) {
  const abort = new AbortController();
  res.once('close', () => abort.abort());
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
  let response;
  try {
    response = await route.handler(new Request(url, { method: 'GET', headers, signal: abort.signal }));
  } catch (error) {
    // The handlers answer their own errors; this is a bug in between, said as the one error shape.
    console.error('[aviary] direct route', url.pathname, error);
    if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(JSON.stringify({ error: { code: 'internal', message: 'Internal error', requestId: null } }));
    return;
  }
  const out = {};
  for (const [name, value] of response.headers) if (name !== 'set-cookie') out[name] = value;
  const cookies = response.headers.getSetCookie();
  if (cookies.length) out['set-cookie'] = cookies;
  res.writeHead(response.status, out);
  if (!response.body) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  abort.signal.addEventListener('abort', () => void reader.cancel().catch(() => undefined), { once: true });
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      if (!res.write(value)) await drained(res);
      if (abort.signal.aborted) return;
    }
    res.end();
  } catch {
    res.destroy();
  }
}
