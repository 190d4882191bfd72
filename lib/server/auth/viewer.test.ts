import { describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));

import { parseAuthConfig } from '@/lib/server/auth/config';
import { anonymousReadOnly, assertSignInConfigured } from './viewer';

describe('assertSignInConfigured', () => {
  it('refuses to start with no sign-in at all, naming the ways out', () => {
    expect(() => assertSignInConfigured(parseAuthConfig({}), {})).toThrow(/AVIARY_OIDC_ISSUER.*AVIARY_TRUSTED_PROXIES.*AVIARY_AUTH=none/);
  });

  it('starts with a trusted auth proxy, or with the explicit read-only escape hatch', () => {
    const proxies = { AVIARY_TRUSTED_PROXIES: '10.0.0.1' };
    expect(() => assertSignInConfigured(parseAuthConfig(proxies), proxies)).not.toThrow();
    expect(() => assertSignInConfigured(parseAuthConfig({}), { AVIARY_AUTH: 'none' })).not.toThrow();
    expect(anonymousReadOnly({ AVIARY_AUTH: 'none' })).toBe(true);
    expect(anonymousReadOnly({})).toBe(false);
  });

  it('refuses an AVIARY_AUTH value it does not know rather than guessing', () => {
    expect(() => assertSignInConfigured(parseAuthConfig({}), { AVIARY_AUTH: 'off' })).toThrow(/AVIARY_AUTH must be unset or "none"/);
  });
});
