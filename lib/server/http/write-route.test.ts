import { describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));
const state = vi.hoisted(() => ({ viewer: null as unknown, reached: 0 }));
vi.mock('@/lib/server/auth/viewer', () => ({ currentViewer: () => Promise.resolve(state.viewer) }));
vi.mock('@/lib/server/auth/config', () => ({
  AuthConfigError: class extends Error {},
  authConfig: () => ({ session: { secret: 'a-session-secret-of-at-least-32-characters', publicUrl: new URL('http://127.0.0.1:3100') } }),
}));
// Past the defences every handler starts with runtime() or kioskLinks(): counting those calls shows a refused request reached nothing.
vi.mock('@/lib/server/runtime', () => ({
  runtime: () => {
    state.reached++;
    throw new Error('reached the handler');
  },
}));
vi.mock('@/lib/server/kiosk/runtime', () => ({
  kioskLinks: () => {
    state.reached++;
    throw new Error('reached the handler');
  },
}));

import { POST as action } from '@/app/api/actions/route';
import { POST as askApproval } from '@/app/api/approvals/route';
import { POST as decide } from '@/app/api/approvals/decision/route';
import { POST as retryPromotion } from '@/app/api/approvals/promote/route';
import { POST as createKiosk } from '@/app/api/kiosk/route';
import { POST as revokeKiosk } from '@/app/api/kiosk/revoke/route';
import { csrfKey, csrfToken } from '@/lib/server/http/csrf';

const alice = { user: 'alice', groups: ['release-managers'], expiresAt: new Date('2026-11-23T08:00:00Z') };
const token = csrfToken(alice, csrfKey('a-session-secret-of-at-least-32-characters'));
const good = { origin: 'http://127.0.0.1:3100', 'content-type': 'application/json', 'x-aviary-csrf': token };
const ctx = { params: Promise.resolve({}) };

const routes = [
  { path: '/api/actions', POST: action, what: 'invalid action' },
  { path: '/api/approvals', POST: askApproval, what: 'invalid approval request' },
  { path: '/api/approvals/decision', POST: decide, what: 'invalid decision' },
  { path: '/api/approvals/promote', POST: retryPromotion, what: 'invalid retry' },
  { path: '/api/kiosk', POST: createKiosk, what: 'invalid kiosk link' },
  { path: '/api/kiosk/revoke', POST: revokeKiosk, what: 'invalid kiosk link id' },
];

async function post(POST: (typeof routes)[number]['POST'], path: string, headers: Record<string, string>, payload = '{"bogus":true}') {
  const res = await POST(new Request(`http://127.0.0.1:3100${path}`, { method: 'POST', headers, body: payload }), ctx);
  const error = ((await res.json()) as { error?: { code: string; message: string } }).error;
  return { status: res.status, code: error?.code ?? '', message: error?.message ?? '' };
}

describe.each(routes)('POST $path: the defences every write shares, in order, before the handler', ({ path, POST, what }) => {
  it('401 without a session; 403 for a foreign or missing Origin; 415 for a form; 403 read-only when anonymous; 403 without the token', async () => {
    state.reached = 0;
    state.viewer = null;
    expect(await post(POST, path, good)).toMatchObject({ status: 401, code: 'unauthenticated' });
    state.viewer = { kind: 'person', identity: alice };
    expect(await post(POST, path, { ...good, origin: 'https://evil.example' })).toMatchObject({ status: 403, code: 'cross-origin' });
    const noOrigin: Record<string, string> = { ...good };
    delete noOrigin.origin;
    expect(await post(POST, path, noOrigin)).toMatchObject({ status: 403, code: 'cross-origin' });
    expect(await post(POST, path, { ...good, 'content-type': 'application/x-www-form-urlencoded' }, 'a=b')).toMatchObject({ status: 415, code: 'unsupported-media-type' });
    expect(await post(POST, path, { ...good, 'x-aviary-csrf': 'forged' })).toMatchObject({ status: 403, code: 'csrf' });
    state.viewer = { kind: 'anonymous' };
    // Anonymous is refused before the token is even looked at (there is no session to bind one to).
    const anonymous = await post(POST, path, { ...good, 'x-aviary-csrf': '' });
    expect(anonymous).toMatchObject({ status: 403, code: 'read-only' });
    expect(anonymous.message).toMatch(/sign/i);
    expect(state.reached).toBe(0);
  });

  it('400 naming what was wrong, for a body that is not JSON and for one the contract refuses', async () => {
    state.reached = 0;
    state.viewer = { kind: 'person', identity: alice };
    const notJson = await post(POST, path, good, '{not json');
    expect(notJson).toMatchObject({ status: 400, code: 'bad-request' });
    expect(notJson.message).toContain(`${what}: body:`);
    const refused = await post(POST, path, good, '{"bogus":true}');
    expect(refused).toMatchObject({ status: 400, code: 'bad-request' });
    expect(refused.message.startsWith(`${what}: `)).toBe(true);
    expect(state.reached).toBe(0);
  });
});
