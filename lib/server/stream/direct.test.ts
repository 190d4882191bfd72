import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));

import { directRoute, serveDirect } from '@/server-direct.mjs';
import { DIRECT_HEADERS, serveDirectly } from './direct';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** server.mjs's dispatch: a registered route directly, anything else answered 404 here (Next, there). */
async function listen(): Promise<string> {
  server = createServer((req, res) => {
    const direct = directRoute(req);
    if (direct) void serveDirect(direct, req, res);
    else res.writeHead(404).end('next');
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

function read(url: string, headers: Record<string, string> = {}, stopAfter?: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = get(url, { headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
        if (stopAfter && body.includes(stopAfter)) {
          req.destroy();
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        }
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
  });
}

describe('direct routes (server.mjs without Next in between)', () => {
  it('calls the registered handler with the request (headers, query) and answers with its status, headers and the headers Next would add', async () => {
    serveDirectly('/api/test-direct', async (request) => Response.json({ q: new URL(request.url).searchParams.get('q'), who: request.headers.get('x-who') }, { status: 201, headers: { 'X-Last-Event-Id': 'e:1' } }), (url) => url.searchParams.has('q'));
    const base = await listen();
    const answer = await read(`${base}/api/test-direct?q=1`, { 'X-Who': 'alice' });
    expect(answer.status).toBe(201);
    expect(JSON.parse(answer.body)).toEqual({ q: '1', who: 'alice' });
    expect(answer.headers['x-last-event-id']).toBe('e:1');
    for (const [name, value] of Object.entries(DIRECT_HEADERS)) expect(answer.headers[name.toLowerCase()]).toBe(value);
    // Not accepted (no ?q) or not registered: left to Next.
    expect((await read(`${base}/api/test-direct`)).body).toBe('next');
    expect((await read(`${base}/api/other`)).body).toBe('next');
  });

  it('streams the body as it comes and aborts the request signal when the client goes away', async () => {
    let aborted!: () => void;
    const gone = new Promise<void>((resolve) => (aborted = resolve));
    serveDirectly('/api/test-stream', async (request) => {
      request.signal.addEventListener('abort', () => aborted(), { once: true });
      const body = new ReadableStream<Uint8Array>({ start: (c) => c.enqueue(new TextEncoder().encode('event: ready\ndata: {}\n\n')) });
      return new Response(body, { headers: { 'Content-Type': 'text/event-stream' } });
    });
    const base = await listen();
    const answer = await read(`${base}/api/test-stream`, {}, 'event: ready');
    expect(answer.headers['content-type']).toBe('text/event-stream');
    await gone;
  });

  it('adds the same security headers next.config.js gives every response', async () => {
    // @ts-expect-error -- next.config.js is plain JavaScript without types
    const config = (await import('@/next.config.js')).default as { headers: () => Promise<{ headers: { key: string; value: string }[] }[]> };
    const fromNext = Object.fromEntries((await config.headers()).flatMap((rule) => rule.headers.map((h) => [h.key, h.value])));
    for (const [name, value] of Object.entries(fromNext)) expect(DIRECT_HEADERS[name]).toBe(value);
  });
});
