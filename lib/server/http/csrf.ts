import 'server-only';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Identity } from '@/lib/server/auth/session';
import { HttpError } from './errors';

/**
 * Cross-site request forgery defences for every write, three independent ones: the Origin must be
 * Aviary's own (a browser always sends it on a POST; `null` — sandboxed frames, file: pages, some
 * redirects — and cross-site origins are refused), the body must be JSON (a cross-site form cannot
 * send that content type without a preflight), and the X-Aviary-CSRF header must carry the token
 * /api/me gave this session (script on another site cannot read it).
 */
export const CSRF_HEADER = 'x-aviary-csrf';

/** Aviary's own origin: AVIARY_PUBLIC_URL when set, else the scheme of the request and its Host header. */
export function expectedOrigin(request: Request, publicUrl: URL | null): string | null {
  if (publicUrl) return publicUrl.origin;
  const host = request.headers.get('host');
  if (!host) return null;
  return URL.parse(`${new URL(request.url).protocol}//${host}`)?.origin ?? null;
}

export function checkOrigin(request: Request, publicUrl: URL | null): void {
  const origin = request.headers.get('origin');
  const expected = expectedOrigin(request, publicUrl);
  if (origin === null || origin === 'null' || expected === null || origin !== expected) {
    throw new HttpError(403, 'cross-origin', 'Refused: actions are accepted only from Aviary’s own pages');
  }
}

export function checkJson(request: Request): void {
  const type = (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') throw new HttpError(415, 'unsupported-media-type', 'Send the action as application/json');
}

/** The token's key: the session secret, or (auth proxy only, no secret configured) a key made at start. */
let processKey: Buffer | undefined;
export function csrfKey(sessionSecret: string | null): Buffer {
  if (sessionSecret) return Buffer.from(`aviary csrf v1\n${sessionSecret}`);
  processKey ??= randomBytes(32);
  return processKey;
}

/** An HMAC of who the session is for and when it ends: changes with every sign-in, forgeable by nobody without the secret. */
export function csrfToken(identity: Identity, key: Buffer): string {
  const subject = JSON.stringify([identity.user, [...identity.groups].sort(), identity.expiresAt?.toISOString() ?? null]);
  return createHmac('sha256', key).update(subject).digest('base64url');
}

export function checkCsrfToken(request: Request, identity: Identity, key: Buffer): void {
  const sent = Buffer.from(request.headers.get(CSRF_HEADER) ?? '');
  const expected = Buffer.from(csrfToken(identity, key));
  if (sent.length !== expected.length || !timingSafeEqual(sent, expected)) {
    throw new HttpError(403, 'csrf', 'Refused: the page’s security token is missing or out of date — reload the page');
  }
}
