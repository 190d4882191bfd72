import 'server-only';
import type { BlockList } from 'node:net';
import { authConfig, type AuthConfig } from '@/lib/server/auth/config';
import { cookieName, readCookie } from '@/lib/server/auth/cookies';
import { peerAddress } from '@/lib/server/auth/peer';
import { isTrustedPeer, proxyIdentity, trustedProxyList } from '@/lib/server/auth/proxy';
import { openSession, type Identity } from '@/lib/server/auth/session';

export type { Identity } from '@/lib/server/auth/session';

export interface IdentityContext {
  config: AuthConfig;
  trusted: BlockList;
  /** The request's TCP peer, or null when unknown (then proxy headers are never believed). */
  peer: string | null;
  now: Date;
}

/** Pure core of currentIdentity: proxy headers from a trusted peer first, else the session cookie. */
export async function identityFrom(request: Request, context: IdentityContext): Promise<Identity | null> {
  if (isTrustedPeer(context.peer, context.trusted)) {
    const vouched = proxyIdentity(request.headers);
    if (vouched) return vouched;
  }
  const session = context.config.session;
  if (!session) return null;
  const value = readCookie(request.headers.get('cookie'), cookieName('session', session));
  return value ? openSession(value, session, context.now) : null;
}

let trusted: { entries: string[]; list: BlockList } | undefined;

/**
 * Who sent this request, or null. Route handlers call it inside each handler (not only in
 * middleware), so a handler reached some other way still cannot act anonymously.
 */
export async function currentIdentity(request: Request): Promise<Identity | null> {
  const config = authConfig();
  if (trusted?.entries !== config.trustedProxies) trusted = { entries: config.trustedProxies, list: trustedProxyList(config.trustedProxies) };
  return identityFrom(request, { config, trusted: trusted.list, peer: peerAddress(), now: new Date() });
}
