import { describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));

import { HttpError } from './errors';
import { checkCsrfToken, checkJson, checkOrigin, csrfKey, csrfToken } from './csrf';

const publicUrl = new URL('http://127.0.0.1:3100');
const post = (headers: Record<string, string>, url = 'http://127.0.0.1:3100/api/actions') => new Request(url, { method: 'POST', headers });
const statusOf = (fn: () => void): number | null => {
  try {
    fn();
    return null;
  } catch (error) {
    return error instanceof HttpError ? error.status : -1;
  }
};

describe('checkOrigin', () => {
  it('accepts Aviary’s own origin', () => {
    expect(statusOf(() => checkOrigin(post({ origin: 'http://127.0.0.1:3100' }), publicUrl))).toBeNull();
  });

  it('refuses Origin: null, a missing Origin, cross-site and look-alike origins with 403', () => {
    for (const origin of ['null', 'http://evil.example', 'http://127.0.0.1:3101', 'https://127.0.0.1:3100', 'http://127.0.0.1:3100.evil.example']) {
      expect(statusOf(() => checkOrigin(post({ origin }), publicUrl))).toBe(403);
    }
    expect(statusOf(() => checkOrigin(post({}), publicUrl))).toBe(403);
  });

  it('without AVIARY_PUBLIC_URL, compares with the Host the request came to', () => {
    expect(statusOf(() => checkOrigin(post({ origin: 'http://aviary.local:3000', host: 'aviary.local:3000' }, 'http://aviary.local:3000/api/actions'), null))).toBeNull();
    expect(statusOf(() => checkOrigin(post({ origin: 'http://evil.example', host: 'aviary.local:3000' }, 'http://aviary.local:3000/api/actions'), null))).toBe(403);
  });
});

describe('checkJson', () => {
  it('accepts application/json (with a charset) and refuses form and text bodies', () => {
    expect(statusOf(() => checkJson(post({ 'content-type': 'application/json; charset=utf-8' })))).toBeNull();
    for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x']) {
      expect(statusOf(() => checkJson(post({ 'content-type': type })))).toBe(415);
    }
    expect(statusOf(() => checkJson(post({})))).toBe(415);
  });
});

describe('csrf token', () => {
  const key = csrfKey('a-session-secret-of-at-least-32-characters');
  const alice = { user: 'alice', groups: ['release-managers', 'oncall'], expiresAt: new Date('2026-11-23T08:00:00Z') };

  it('is stable for one session, different for another sign-in, user or groups', () => {
    const token = csrfToken(alice, key);
    expect(csrfToken({ ...alice, groups: ['oncall', 'release-managers'] }, key)).toBe(token);
    expect(csrfToken({ ...alice, expiresAt: new Date('2026-11-23T09:00:00Z') }, key)).not.toBe(token);
    expect(csrfToken({ ...alice, user: 'carol' }, key)).not.toBe(token);
    expect(csrfToken(alice, csrfKey('another-session-secret-of-32-characters!!'))).not.toBe(token);
  });

  it('is verified from the X-Aviary-CSRF header', () => {
    const token = csrfToken(alice, key);
    expect(statusOf(() => checkCsrfToken(post({ 'x-aviary-csrf': token }), alice, key))).toBeNull();
    expect(statusOf(() => checkCsrfToken(post({ 'x-aviary-csrf': token.slice(1) + 'A' }), alice, key))).toBe(403);
    expect(statusOf(() => checkCsrfToken(post({}), alice, key))).toBe(403);
    expect(statusOf(() => checkCsrfToken(post({ 'x-aviary-csrf': token }), { ...alice, user: 'victor' }, key))).toBe(403);
  });
});
