import { describe, expect, it, vi } from 'vitest';
import { parseAuthConfig } from '@/lib/server/auth/config';
import { identityFrom } from '@/lib/server/auth/identity';
import { normalizeAddress, peerAddress, runWithPeerAddress } from '@/lib/server/auth/peer';
import { isTrustedPeer, proxyIdentity, trustedProxyList } from '@/lib/server/auth/proxy';

vi.mock('server-only', () => ({}));

const config = parseAuthConfig({ AVIARY_TRUSTED_PROXIES: '10.1.0.0/16,127.0.0.1,fd7a:115c:a1e0::/48' });
const trusted = trustedProxyList(config.trustedProxies);
const request = (headers: Record<string, string>) => new Request('http://aviary/api/workloads', { headers });
const identityFor = (headers: Record<string, string>, peer: string | null) =>
  identityFrom(request(headers), { config, trusted, peer, now: new Date() });

describe('auth-proxy headers', () => {
  it('oauth2-proxy X-Forwarded-User/-Groups from a trusted proxy', async () => {
    expect(await identityFor({ 'X-Forwarded-User': 'carol', 'X-Forwarded-Groups': 'oncall, viewers' }, '10.1.2.3')).toEqual({
      user: 'carol',
      groups: ['oncall', 'viewers'],
      expiresAt: null,
    });
  });

  it('oauth2-proxy X-Auth-Request-* and Tailscale Serve', async () => {
    expect(await identityFor({ 'X-Auth-Request-User': 'dana', 'X-Auth-Request-Groups': 'release-managers,oncall' }, '127.0.0.1')).toMatchObject({
      user: 'dana',
      groups: ['release-managers', 'oncall'],
    });
    expect(await identityFor({ 'Tailscale-User-Login': 'alice@example.com' }, 'fd7a:115c:a1e0::1')).toEqual({ user: 'alice@example.com', groups: [], expiresAt: null });
  });

  it('ignored from any other peer, and when the peer is unknown', async () => {
    const headers = { 'X-Forwarded-User': 'alice', 'X-Forwarded-Groups': 'release-managers', 'Tailscale-User-Login': 'alice' };
    expect(await identityFor(headers, '10.2.0.1')).toBeNull();
    expect(await identityFor(headers, '192.168.1.10')).toBeNull();
    expect(await identityFor(headers, null)).toBeNull();
    // A forged X-Forwarded-For names a trusted address, but the peer is what counts.
    expect(await identityFor({ ...headers, 'X-Forwarded-For': '127.0.0.1' }, '203.0.113.9')).toBeNull();
  });

  it('no trusted proxies configured: never believed, even from loopback', async () => {
    const none = parseAuthConfig({});
    const result = await identityFrom(request({ 'X-Forwarded-User': 'alice' }), { config: none, trusted: trustedProxyList([]), peer: '127.0.0.1', now: new Date() });
    expect(result).toBeNull();
  });

  it('IPv4-mapped IPv6 peers are matched as IPv4', () => {
    expect(normalizeAddress('::ffff:10.1.0.5')).toBe('10.1.0.5');
    expect(isTrustedPeer('::ffff:10.1.0.5', trusted)).toBe(true);
    expect(isTrustedPeer('not-an-address', trusted)).toBe(false);
  });

  it('refuses implausible user names', () => {
    expect(proxyIdentity(new Headers({ 'X-Forwarded-User': 'a'.repeat(300) }))).toBeNull();
    expect(proxyIdentity(new Headers({}))).toBeNull();
  });

  it('the peer recorded by the server is visible inside the request only', () => {
    expect(peerAddress()).toBeNull();
    expect(runWithPeerAddress('::ffff:127.0.0.1', () => peerAddress())).toBe('127.0.0.1');
    expect(peerAddress()).toBeNull();
  });
});
