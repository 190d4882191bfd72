import { cookieToClear } from '@/lib/server/auth/cookies';
import { signOutUrl } from '@/lib/server/auth/oidc';
import { isSameOrigin, oidcSettings, redirectWithCookies } from '@/lib/server/auth/routes';

export const dynamic = 'force-dynamic';

/**
 * POST /auth/logout — ends Aviary's session, then the provider's. POST from Aviary's own origin
 * only: a cross-site page must not be able to sign people out.
 */
export async function POST(request: Request): Promise<Response> {
  const settings = oidcSettings();
  if (settings instanceof Response) return settings;
  if (!isSameOrigin(request, settings.session)) return new Response('sign-out must come from Aviary itself', { status: 403 });
  const target = await signOutUrl(settings.oidc, settings.session);
  return redirectWithCookies(target, 303, [cookieToClear('session', settings.session), cookieToClear('login', settings.session)]);
}
