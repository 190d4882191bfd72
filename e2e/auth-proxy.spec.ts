/**
 * Auth-proxy sign-in (oauth2-proxy, Tailscale Serve) against the production server (`npm start` =
 * server.mjs): identity headers are believed only from the configured proxy address — here
 * 127.0.0.2 (playwright.config.ts sets AVIARY_TRUSTED_PROXIES) — and are just text from anyone
 * else. The TCP peer decides, never a header: X-Forwarded-For from 127.0.0.1 changes nothing.
 */
import { request as httpRequest } from 'node:http';
import { expect, test } from '@/e2e/fixtures';

const PORT = Number(process.env.AVIARY_E2E_PORT ?? 3100);
const PROXY = '127.0.0.2';
const ELSEWHERE = '127.0.0.1';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request from a chosen loopback source address (Playwright's request context cannot pick one). */
function from(localAddress: string, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: PORT, path, localAddress, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.setTimeout(30_000, () => req.destroy(new Error(`${path}: no answer in 30 s`)));
    req.on('error', reject);
    req.end();
  });
}

const json = <T>(answer: Answer): T => JSON.parse(answer.body) as T;

test("oauth2-proxy's headers from the proxy's address name the person and every group", async () => {
  const me = await from(PROXY, '/api/me', { 'X-Forwarded-User': 'carol', 'X-Forwarded-Groups': 'oncall, viewers' });
  expect(me.status).toBe(200);
  expect(json<{ user: string; groups: string[] }>(me)).toMatchObject({ user: 'carol', groups: ['oncall', 'viewers'] });

  const authRequest = await from(PROXY, '/api/me', { 'X-Auth-Request-User': 'alice', 'X-Auth-Request-Groups': 'release-managers' });
  expect(json<{ user: string; groups: string[] }>(authRequest)).toMatchObject({ user: 'alice', groups: ['release-managers'] });

  const tailscale = await from(PROXY, '/api/me', { 'Tailscale-User-Login': 'dana@example.com' });
  expect(json<{ user: string; groups: string[] }>(tailscale)).toMatchObject({ user: 'dana@example.com', groups: [] });
});

test('the same headers from any other address are ignored: 401, and pages send the browser to sign in', async () => {
  const forged = { 'X-Forwarded-User': 'alice', 'X-Forwarded-Groups': 'release-managers', 'X-Forwarded-For': PROXY, 'X-Real-IP': PROXY };
  const me = await from(ELSEWHERE, '/api/me', forged);
  expect(me.status).toBe(401);
  expect(json<{ error: { code: string } }>(me).error.code).toBe('unauthenticated');
  expect((await from(ELSEWHERE, '/api/workloads', forged)).status).toBe(401);
  const page = await from(ELSEWHERE, '/', forged);
  expect([302, 303, 307]).toContain(page.status);
  expect(String(page.headers.location)).toContain('/auth/login');
});

test("a proxied person gets the cluster's answers for them: pages render, reads are filtered, permissions are theirs", async () => {
  const alice = { 'X-Forwarded-User': 'alice', 'X-Forwarded-Groups': 'release-managers' };
  const victor = { 'X-Forwarded-User': 'victor', 'X-Forwarded-Groups': 'viewers' };

  const page = await from(PROXY, '/rollouts/aviary-sandbox/shop/checkout', alice);
  expect(page.status).toBe(200);
  expect(page.body).toContain('checkout');

  const namespaces = async (headers: Record<string, string>) =>
    new Set(json<{ workloads: { namespace: string }[] }>(await from(PROXY, '/api/workloads', headers)).workloads.map((w) => w.namespace));
  expect(await namespaces(alice)).toContain('restricted');
  expect(await namespaces(victor)).not.toContain('restricted');
  expect(await namespaces(victor)).toContain('shop');

  const permissions = async (headers: Record<string, string>) =>
    json<{ actions: Record<string, boolean> }>(await from(PROXY, '/api/permissions?cluster=aviary-sandbox&kind=Rollout&namespace=shop&name=checkout', headers)).actions;
  expect(Object.values(await permissions(victor)).some(Boolean)).toBe(false);
  expect((await permissions(alice)).promote).toBe(true);
});
