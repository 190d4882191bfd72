import { describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));
const state = vi.hoisted(() => ({ viewer: null as unknown }));
vi.mock('@/lib/server/auth/viewer', () => ({ currentViewer: () => Promise.resolve(state.viewer) }));
vi.mock('@/lib/server/auth/config', () => ({
  AuthConfigError: class extends Error {},
  authConfig: () => ({ session: { secret: 'a-session-secret-of-at-least-32-characters', publicUrl: new URL('http://127.0.0.1:3100') } }),
}));
const performAction = vi.hoisted(() => vi.fn());
vi.mock('@/lib/server/actions/perform', () => ({ performAction }));
vi.mock('@/lib/server/runtime', () => ({ runtime: () => ({ kubeConfigs: new Map(), caches: [], access: {} }) }));

import { POST } from '@/app/api/actions/route';
import { csrfKey, csrfToken } from '@/lib/server/http/csrf';

const alice = { user: 'alice', groups: ['release-managers'], expiresAt: new Date('2026-11-23T08:00:00Z') };
const token = csrfToken(alice, csrfKey('a-session-secret-of-at-least-32-characters'));
const ctx = { params: Promise.resolve({}) };
const body = { cluster: 'c', kind: 'Rollout', namespace: 'shop', name: 'checkout', action: 'promote', resourceVersion: '42' };

async function post(headers: Record<string, string>, payload: unknown = body): Promise<{ status: number; code: string }> {
  const res = await POST(new Request('http://127.0.0.1:3100/api/actions', { method: 'POST', headers, body: typeof payload === 'string' ? payload : JSON.stringify(payload) }), ctx);
  return { status: res.status, code: ((await res.json()) as { error?: { code: string } }).error?.code ?? '' };
}
const good = { origin: 'http://127.0.0.1:3100', 'content-type': 'application/json', 'x-aviary-csrf': token };

describe('POST /api/actions defences, before anything reaches the cluster', () => {
  it('401 without a session', async () => {
    state.viewer = null;
    expect(await post(good)).toEqual({ status: 401, code: 'unauthenticated' });
  });

  it('403 for Origin: null, a missing Origin and a cross-site Origin; 415 for a form post; 403 without the token', async () => {
    state.viewer = { kind: 'person', identity: alice };
    expect(await post({ ...good, origin: 'null' })).toEqual({ status: 403, code: 'cross-origin' });
    const noOrigin: Record<string, string> = { ...good };
    delete noOrigin.origin;
    expect(await post(noOrigin)).toEqual({ status: 403, code: 'cross-origin' });
    expect(await post({ ...good, origin: 'https://evil.example' })).toEqual({ status: 403, code: 'cross-origin' });
    expect(await post({ ...good, 'content-type': 'application/x-www-form-urlencoded' }, 'action=promote')).toEqual({ status: 415, code: 'unsupported-media-type' });
    expect(await post({ ...good, 'x-aviary-csrf': 'forged' })).toEqual({ status: 403, code: 'csrf' });
    expect(performAction).not.toHaveBeenCalled();
  });

  it('400 for a body the contract does not accept', async () => {
    state.viewer = { kind: 'person', identity: alice };
    expect(await post(good, { ...body, action: 'delete' })).toMatchObject({ status: 400, code: 'bad-request' });
    expect(await post(good, '{not json')).toMatchObject({ status: 400, code: 'bad-request' });
  });

  it('403 read-only for the anonymous viewer of AVIARY_AUTH=none', async () => {
    state.viewer = { kind: 'anonymous' };
    expect(await post(good)).toEqual({ status: 403, code: 'read-only' });
  });

  it('404 for a workload Aviary does not know (nothing is sent)', async () => {
    state.viewer = { kind: 'person', identity: alice };
    expect(await post(good)).toMatchObject({ status: 404, code: 'not-found' });
    expect(performAction).not.toHaveBeenCalled();
  });
});
