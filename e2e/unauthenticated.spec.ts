/**
 * Without a session, every API route answers 401 — found by walking app/api, so a route added
 * tomorrow is covered without anyone remembering to list it. The one exception is /api/healthz
 * (Kubernetes' probes): it says "ok" or "degraded" and nothing more.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { expect, test } from '@/e2e/fixtures';

const API = join(process.cwd(), 'app', 'api');
const PUBLIC = new Set(['GET /api/healthz']);

interface Endpoint {
  method: string;
  path: string;
}

function endpoints(): Endpoint[] {
  const found: Endpoint[] = [];
  for (const file of readdirSync(API, { recursive: true, encoding: 'utf8' })) {
    if (!/(^|[/\\])route\.tsx?$/.test(file)) continue;
    const dir = relative(API, join(API, file, '..'));
    // Dynamic segments get a plausible value: the check must come before any lookup.
    const path = `/api/${dir.split(sep).map((segment) => segment.replace(/^\[(.+)\]$/, 'x$1')).join('/')}`.replace(/\/$/, '');
    const source = readFileSync(join(API, file), 'utf8');
    for (const match of source.matchAll(/export\s+(?:const|async function|function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g)) found.push({ method: match[1], path });
  }
  return found.sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
}

test('every API route but the probe answers 401 without a session, in the one error shape', async ({ playwright, baseURL }) => {
  const api = await playwright.request.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  const all = endpoints();
  expect(all.length).toBeGreaterThan(8);
  for (const { method, path } of all) {
    const key = `${method} ${path}`;
    const response = await api.fetch(path, {
      method,
      headers: { Origin: new URL(baseURL ?? 'http://127.0.0.1').origin, 'Content-Type': 'application/json' },
      ...(method === 'GET' ? {} : { data: '{}' }),
    });
    if (PUBLIC.has(key)) {
      expect([200, 503], key).toContain(response.status());
      expect(Object.keys((await response.json()) as object), key).toEqual(['status']);
      continue;
    }
    expect(response.status(), key).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code, key).toBe('unauthenticated');
  }
  expect(all.map((e) => `${e.method} ${e.path}`)).toEqual(expect.arrayContaining(['GET /api/stream', 'POST /api/actions', 'GET /api/healthz']));
  await api.dispose();
});
