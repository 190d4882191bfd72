import 'server-only';
import { NextResponse } from 'next/server';
import { authConfig, type OidcSettings, type SessionSettings } from '@/lib/server/auth/config';
import type { CookieToSet } from '@/lib/server/auth/cookies';

/** What the /auth/* handlers share: the OIDC settings (or a 404 when sign-in is off) and cookie writing. */
export function oidcSettings(): { oidc: OidcSettings; session: SessionSettings } | Response {
  const config = authConfig();
  if (!config.oidc || !config.session) {
    return new Response('OIDC sign-in is not configured (AVIARY_OIDC_ISSUER)', { status: 404, headers: { 'Cache-Control': 'no-store' } });
  }
  return { oidc: config.oidc, session: config.session };
}

/** A redirect that sets cookies and is never cached (it carries one-time sign-in state). */
export function redirectWithCookies(location: URL, status: 302 | 303, cookies: CookieToSet[]): NextResponse {
  const response = NextResponse.redirect(location, status);
  response.headers.set('Cache-Control', 'no-store');
  for (const cookie of cookies) response.cookies.set(cookie.name, cookie.value, cookie.attributes);
  return response;
}

/** True when the request comes from a page of Aviary itself (sign-out must not be triggered cross-site). */
export function isSameOrigin(request: Request, session: SessionSettings): boolean {
  const origin = request.headers.get('origin');
  return origin !== null && origin === session.publicUrl.origin;
}
