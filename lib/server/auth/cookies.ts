import 'server-only';
import type { SessionSettings } from '@/lib/server/auth/config';

export interface CookieAttributes {
  httpOnly: true;
  secure: boolean;
  sameSite: 'lax';
  path: '/';
  expires: Date;
}

export interface CookieToSet {
  name: string;
  value: string;
  attributes: CookieAttributes;
}

/**
 * Over https the names carry the `__Host-` prefix: browsers then refuse the cookie unless it is
 * Secure, host-only and path=/, so a sibling subdomain cannot plant one. Plain http (the sandbox)
 * cannot use the prefix.
 */
export function cookieName(kind: 'session' | 'login', settings: Pick<SessionSettings, 'secure'>): string {
  return `${settings.secure ? '__Host-' : ''}aviary-${kind}`;
}

/** HttpOnly (no script reads it), SameSite=Lax (sent on the provider's redirect back, not on cross-site posts). */
export function cookieAttributes(settings: Pick<SessionSettings, 'secure'>, expiresAt: Date): CookieAttributes {
  return { httpOnly: true, secure: settings.secure, sameSite: 'lax', path: '/', expires: expiresAt };
}

export function cookieToSet(kind: 'session' | 'login', value: string, settings: Pick<SessionSettings, 'secure'>, expiresAt: Date): CookieToSet {
  return { name: cookieName(kind, settings), value, attributes: cookieAttributes(settings, expiresAt) };
}

/** A cookie that replaces and expires the named one at once. */
export function cookieToClear(kind: 'session' | 'login', settings: Pick<SessionSettings, 'secure'>): CookieToSet {
  return cookieToSet(kind, '', settings, new Date(0));
}

/** Reads one cookie from a Cookie header (RFC 6265 syntax; the first of duplicate names wins). */
export function readCookie(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    if (part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return null;
}
