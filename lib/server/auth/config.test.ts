import { describe, expect, it, vi } from 'vitest';
import { AuthConfigError, parseAuthConfig } from '@/lib/server/auth/config';

vi.mock('server-only', () => ({}));

const oidc = {
  AVIARY_OIDC_ISSUER: 'https://login.example.com/realms/ops',
  AVIARY_OIDC_CLIENT_ID: 'aviary',
  AVIARY_OIDC_CLIENT_SECRET: 's3cret',
  AVIARY_SESSION_SECRET: 'x'.repeat(32),
  AVIARY_PUBLIC_URL: 'https://aviary.example.com',
};

const errorOf = (env: Record<string, string | undefined>) => {
  try {
    parseAuthConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(AuthConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a configuration error');
};

describe('sign-in configuration', () => {
  it('nothing set: sign-in off, proxies untrusted', () => {
    expect(parseAuthConfig({})).toEqual({ oidc: null, session: null, trustedProxies: [] });
  });

  it('OIDC with defaults; https public URL makes cookies Secure', () => {
    const config = parseAuthConfig(oidc);
    expect(config.oidc).toMatchObject({ groupsClaim: 'groups', usernameClaim: 'sub', scopes: 'openid profile email groups', redirectUri: 'https://aviary.example.com/auth/callback' });
    expect(config.session).toMatchObject({ ttlSeconds: 8 * 3600, secure: true });
    expect(parseAuthConfig({ ...oidc, AVIARY_PUBLIC_URL: 'http://127.0.0.1:3000', AVIARY_OIDC_GROUPS_CLAIM: 'roles' })).toMatchObject({
      oidc: { groupsClaim: 'roles' },
      session: { secure: false },
    });
  });

  it('names the variable and the fix', () => {
    expect(errorOf({ ...oidc, AVIARY_SESSION_SECRET: 'short' })).toBe(
      'invalid sign-in configuration: AVIARY_SESSION_SECRET: must be at least 32 characters (e.g. `openssl rand -base64 32`)',
    );
    expect(errorOf({ ...oidc, AVIARY_OIDC_CLIENT_SECRET: undefined })).toContain('AVIARY_OIDC_CLIENT_SECRET: is required');
    expect(errorOf({ ...oidc, AVIARY_SESSION_TTL_SECONDS: 'soon' })).toContain('AVIARY_SESSION_TTL_SECONDS');
    expect(errorOf({ ...oidc, AVIARY_PUBLIC_URL: 'https://aviary.example.com/app' })).toContain('AVIARY_PUBLIC_URL: must be an origin without a path');
    expect(errorOf({ AVIARY_OIDC_ISSUER: 'https://login.example.com' })).toContain('AVIARY_SESSION_SECRET: is required');
  });

  it('plain http issuers only on loopback', () => {
    expect(errorOf({ ...oidc, AVIARY_OIDC_ISSUER: 'http://login.example.com' })).toContain('AVIARY_OIDC_ISSUER: must use https');
    expect(parseAuthConfig({ ...oidc, AVIARY_OIDC_ISSUER: 'http://127.0.0.1:29400' }).oidc?.issuer.href).toBe('http://127.0.0.1:29400/');
  });

  it('trusted proxies: addresses and CIDRs, bad entries named', () => {
    expect(parseAuthConfig({ AVIARY_TRUSTED_PROXIES: '10.0.0.0/8, 127.0.0.1,fd7a:115c:a1e0::/48' }).trustedProxies).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
      'fd7a:115c:a1e0::/48',
    ]);
    expect(errorOf({ AVIARY_TRUSTED_PROXIES: '10.0.0.0/33' })).toContain('AVIARY_TRUSTED_PROXIES "10.0.0.0/33": must be an IP address or CIDR');
    expect(errorOf({ AVIARY_TRUSTED_PROXIES: 'proxy.local' })).toContain('"proxy.local"');
  });
});
