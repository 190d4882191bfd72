import { describe, expect, it, vi } from 'vitest';
import { cookieAttributes, cookieName, cookieToClear, readCookie } from '@/lib/server/auth/cookies';
import { openSession, seal, sealSession, unseal } from '@/lib/server/auth/session';
import type { SessionSettings } from '@/lib/server/auth/config';

vi.mock('server-only', () => ({}));

const settings: SessionSettings = {
  secret: 'a-session-secret-of-at-least-32-characters',
  ttlSeconds: 3600,
  secure: false,
  publicUrl: new URL('http://127.0.0.1:3000'),
};
const now = new Date('2026-03-01T12:00:00Z');

describe('session cookie sealing', () => {
  it('round-trips the identity and states when it ends', async () => {
    const { value, expiresAt } = await sealSession({ user: 'dana', groups: ['release-managers', 'oncall'] }, settings, now);
    expect(value).not.toContain('dana'); // encrypted, not merely signed
    expect(expiresAt.toISOString()).toBe('2026-03-01T13:00:00.000Z');
    expect(await openSession(value, settings, now)).toEqual({ user: 'dana', groups: ['release-managers', 'oncall'], expiresAt });
  });

  it('rejects a tampered cookie', async () => {
    const { value } = await sealSession({ user: 'victor', groups: ['viewers'] }, settings, now);
    const parts = value.split('.');
    const ciphertext = parts[3];
    const flipped = `${ciphertext[0] === 'A' ? 'B' : 'A'}${ciphertext.slice(1)}`;
    expect(await openSession([...parts.slice(0, 3), flipped, parts[4]].join('.'), settings, now)).toBeNull();
    expect(await openSession(`${value}x`, settings, now)).toBeNull();
    expect(await openSession('not-a-token', settings, now)).toBeNull();
  });

  it('rejects a cookie sealed with another secret', async () => {
    const { value } = await sealSession({ user: 'alice', groups: [] }, settings, now);
    expect(await openSession(value, { ...settings, secret: 'another-secret-of-at-least-32-characters!' }, now)).toBeNull();
  });

  it('expires: accepted until the end of its lifetime, refused from then on', async () => {
    const { value } = await sealSession({ user: 'alice', groups: [] }, settings, now);
    expect(await openSession(value, settings, new Date(now.getTime() + 3599_000))).not.toBeNull();
    expect(await openSession(value, settings, new Date(now.getTime() + 3600_000))).toBeNull();
  });

  it('a sealed sign-in transaction is not a session (separate keys per purpose)', async () => {
    const token = await seal({ user: 'alice', groups: ['release-managers'] }, settings.secret, 'login', new Date(now.getTime() + 60_000), now);
    expect(await unseal(token, settings.secret, 'login', now)).toMatchObject({ user: 'alice' });
    expect(await openSession(token, settings, now)).toBeNull();
  });
});

describe('cookie attributes', () => {
  const expires = new Date('2026-03-01T13:00:00Z');

  it('over http: HttpOnly, SameSite=Lax, not Secure, plain name', () => {
    expect(cookieAttributes({ secure: false }, expires)).toEqual({ httpOnly: true, secure: false, sameSite: 'lax', path: '/', expires });
    expect(cookieName('session', { secure: false })).toBe('aviary-session');
  });

  it('over https: Secure with the __Host- prefix', () => {
    expect(cookieAttributes({ secure: true }, expires)).toMatchObject({ httpOnly: true, secure: true, sameSite: 'lax', path: '/' });
    expect(cookieName('session', { secure: true })).toBe('__Host-aviary-session');
  });

  it('clearing expires the cookie in the past', () => {
    expect(cookieToClear('session', { secure: true })).toMatchObject({ name: '__Host-aviary-session', value: '', attributes: { expires: new Date(0) } });
  });

  it('reads one cookie out of a Cookie header', () => {
    expect(readCookie('a=1; aviary-session=abc.def=; b=2', 'aviary-session')).toBe('abc.def=');
    expect(readCookie('aviary-session-x=1', 'aviary-session')).toBeNull();
    expect(readCookie(null, 'aviary-session')).toBeNull();
  });
});
