import { beginSignIn } from '@/lib/server/auth/oidc';
import { oidcSettings, redirectWithCookies } from '@/lib/server/auth/routes';

export const dynamic = 'force-dynamic';

/** GET /auth/login?returnTo=/path — off to the identity provider; back at /auth/callback. */
export async function GET(request: Request): Promise<Response> {
  const settings = oidcSettings();
  if (settings instanceof Response) return settings;
  const returnTo = new URL(request.url).searchParams.get('returnTo');
  try {
    const { authorizationUrl, cookie } = await beginSignIn(settings.oidc, settings.session, returnTo);
    return redirectWithCookies(authorizationUrl, 302, [cookie]);
  } catch (error) {
    console.error('aviary: sign-in could not start:', error);
    return new Response('The identity provider cannot be reached; try again shortly.', { status: 502, headers: { 'Cache-Control': 'no-store' } });
  }
}
