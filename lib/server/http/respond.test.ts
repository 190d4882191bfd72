import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';

vi.mock('server-only', () => ({}));
const session = vi.hoisted(() => ({ viewer: { kind: 'person', identity: { user: 'alice', groups: [], expiresAt: null } } as unknown }));
vi.mock('@/lib/server/auth/viewer', () => ({ currentViewer: () => Promise.resolve(session.viewer) }));

import { ConfigError } from '@/lib/server/config';
import { PrometheusClient, PrometheusError } from '@/lib/server/prometheus/client';
import { HttpError } from './errors';
import { route } from './handler';
import { fromError } from './respond';
import { redactPanelErrors, redactSparklineError } from './upstream';

const INTERNALS = /127\.0\.0\.1|29090|ECONNREFUSED|https?:\/\/|\bat \w|\.ts:\d/;

async function body(res: Response): Promise<{ error: { code: string; message: string; requestId: string } }> {
  return (await res.json()) as { error: { code: string; message: string; requestId: string } };
}

afterEach(() => vi.restoreAllMocks());

describe('fromError', () => {
  it('answers an unreachable Prometheus with a stable code and no address, and logs the original with the request id', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const upstream = new PrometheusError('unreachable', 'Prometheus at http://127.0.0.1:29090 is unreachable (ECONNREFUSED)');
    const res = fromError(upstream, 'req12345', 'GET /api/metrics');
    expect(res.status).toBe(502);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const json = await body(res);
    expect(json).toEqual({ error: { code: 'prometheus-unreachable', message: 'Prometheus is unreachable', requestId: 'req12345' } });
    expect(JSON.stringify(json)).not.toMatch(INTERNALS);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('req12345'), upstream);
  });

  it('hides an unexpected error (message and stack) behind "internal"', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const res = fromError(new Error('connect ECONNREFUSED 127.0.0.1:26443 at https://127.0.0.1:26443/apis'), 'r1', 'GET /x');
    expect(res.status).toBe(500);
    const json = await body(res);
    expect(json.error.code).toBe('internal');
    expect(JSON.stringify(json)).not.toMatch(INTERNALS);
  });

  it('does not pass a configuration error through (it may name kubeconfig contexts and paths)', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const json = await body(fromError(new ConfigError('no kubeconfig context "admin@10.0.0.5"'), 'r2', 'GET /x'));
    expect(json.error.code).toBe('configuration');
    expect(json.error.message).not.toContain('10.0.0.5');
  });

  it('sends errors written for the browser as they are, without logging them as faults', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const res = fromError(new HttpError(404, 'not-found', 'no Rollout shop/nope'), 'r3', 'GET /x');
    expect(res.status).toBe(404);
    expect((await body(res)).error).toEqual({ code: 'not-found', message: 'no Rollout shop/nope', requestId: 'r3' });
    expect(log).not.toHaveBeenCalled();
  });

  it('recognises a real client failure against a closed port', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const error = await new PrometheusClient('http://127.0.0.1:9', 2000).query('up').catch((e: unknown) => e);
    const json = await body(fromError(error, 'r4', 'GET /x'));
    expect(json.error.code).toBe('prometheus-unreachable');
    expect(JSON.stringify(json)).not.toMatch(INTERNALS);
  });
});

describe('route wrapper', () => {
  const ctx = (params: Record<string, string>) => ({ params: Promise.resolve(params) });

  it('validates params and query with zod and answers 400 in the one error shape', async () => {
    const GET = route({ params: z.object({ name: z.string().regex(/^[a-z]+$/) }), query: z.object({ n: z.coerce.number().int() }) }, ({ params, query }) => ({ name: params.name, n: query.n }));
    const ok = await GET(new Request('http://x/api/t?n=3'), ctx({ name: 'abc' }));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ name: 'abc', n: 3 });
    expect(ok.headers.get('x-request-id')).toMatch(/^[0-9a-f]{8}$/);
    const bad = await GET(new Request('http://x/api/t?n=x'), ctx({ name: 'ABC' }));
    expect(bad.status).toBe(400);
    const json = await body(bad);
    expect(json.error.code).toBe('bad-request');
    expect(json.error.message).toContain('name');
    expect(json.error.requestId).toBe(bad.headers.get('x-request-id'));
  });

  it('answers 401 in the one error shape before the handler runs when nobody is signed in', async () => {
    const saved = session.viewer;
    session.viewer = null;
    const handler = vi.fn(() => ({ secret: true }));
    try {
      const res = await route({}, handler)(new Request('http://x/api/t'), ctx({}));
      expect(res.status).toBe(401);
      expect((await body(res)).error).toMatchObject({ code: 'unauthenticated', message: 'Sign in to use Aviary' });
      expect(handler).not.toHaveBeenCalled();
    } finally {
      session.viewer = saved;
    }
  });

  it('turns a thrown upstream error into its public form', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const GET = route({}, () => {
      throw new PrometheusError('timeout', 'Prometheus at http://10.1.2.3:9090 did not answer within 10000 ms');
    });
    const res = await GET(new Request('http://x/api/t'), ctx({}));
    expect(res.status).toBe(504);
    expect((await body(res)).error.code).toBe('prometheus-timeout');
  });
});

describe('errors inside 200 bodies', () => {
  it('keeps a panel error kind (the chart says "Prometheus unreachable" by it) and drops the address', () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const out = redactPanelErrors(
      { panels: [{ id: 'error-rate', error: { kind: 'unreachable', message: 'Prometheus at http://127.0.0.1:29090 is unreachable (ECONNREFUSED)' } }, { id: 'latency', error: null }] },
      'abcd1234',
      'metrics',
    );
    expect(out.panels[0].error).toEqual({ kind: 'unreachable', message: 'Prometheus is unreachable (request abcd1234)' });
    expect(out.panels[1].error).toBeNull();
  });

  it('replaces the sparklines error message', () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const out = redactSparklineError({ state: 'error', error: 'Prometheus at http://127.0.0.1:29090 is unreachable (ECONNREFUSED)' }, 'abcd1234', 'sparklines');
    expect(out.error).toBe('Prometheus is unreachable (request abcd1234)');
  });
});

describe('cluster errors', () => {
  it('reduces socket errors and statuses to sentences without the API server address', async () => {
    const { publicKubeError } = await import('./errors');
    expect(publicKubeError(null, 'connect ECONNREFUSED 10.0.0.1:6443')).toBe('the API server is unreachable');
    expect(publicKubeError(403, 'rollouts.argoproj.io is forbidden: User "system:serviceaccount:aviary:aviary" cannot list', 'rollouts')).toBe('rollouts is forbidden (403)');
    expect(publicKubeError(503, 'https://10.0.0.1:6443/apis failed')).toBe('the API server failed (503)');
    expect(publicKubeError(null, null)).toBeNull();
  });
});

describe('content security policy', () => {
  it('allows scripts only by nonce, and eval only in development', async () => {
    const { pageCsp, newNonce } = await import('./security-headers');
    const nonce = newNonce();
    expect(nonce).not.toBe(newNonce());
    const prod = pageCsp(nonce, false);
    expect(prod).toContain(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic';`);
    expect(prod).toContain("frame-ancestors 'none'");
    expect(prod).not.toContain('unsafe-eval');
    expect(pageCsp(nonce, true)).toContain("'unsafe-eval'");
  });
});
