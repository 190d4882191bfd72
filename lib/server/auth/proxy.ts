import 'server-only';
import { BlockList, isIP } from 'node:net';
import type { Identity } from '@/lib/server/auth/session';
import { normalizeAddress } from '@/lib/server/auth/peer';

/**
 * Identity headers set by an authenticating proxy in front of Aviary, in the order they are
 * tried: oauth2-proxy's `--set-xauthrequest` headers, its `--pass-user-headers` ones, then
 * Tailscale Serve (which sends no groups).
 */
const headerSets: { user: string; groups: string | null }[] = [
  { user: 'x-auth-request-user', groups: 'x-auth-request-groups' },
  { user: 'x-forwarded-user', groups: 'x-forwarded-groups' },
  { user: 'tailscale-user-login', groups: null },
];

export function trustedProxyList(entries: string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, prefix] = entry.split('/');
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return list;
}

export function isTrustedPeer(peer: string | null, trusted: BlockList): boolean {
  if (!peer) return false;
  const address = normalizeAddress(peer);
  const family = isIP(address);
  return family !== 0 && trusted.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

// Control characters or absurd lengths mean a broken or hostile proxy, not a user name.
const plausible = (value: string) =>
  value.length > 0 && value.length <= 256 && ![...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

/**
 * The identity a proxy vouches for, or null. Callers must check the peer first: from anyone but a
 * trusted proxy these headers are just text a client typed.
 */
export function proxyIdentity(headers: Headers): Identity | null {
  for (const set of headerSets) {
    const user = headers.get(set.user)?.trim();
    if (!user) continue;
    if (!plausible(user)) return null;
    const groups = (set.groups ? (headers.get(set.groups) ?? '') : '')
      .split(',')
      .map((g) => g.trim())
      .filter(plausible);
    return { user, groups: [...new Set(groups)], expiresAt: null };
  }
  return null;
}
