import { cookieName, cookieToClear, readCookie } from '@/lib/server/auth/cookies';
import { completeSignIn, SignInError } from '@/lib/server/auth/oidc';
import { oidcSettings, redirectWithCookies } from '@/lib/server/auth/routes';

export const dynamic = 'force-dynamic';

/** GET /auth/callback — the provider's redirect back: checks it, sets the session, returns to the page. */
export async function GET(request: Request): Promise<Response> {
  const settings = oidcSettings();
  if (settings instanceof Response) return settings;
  const { oidc, session } = settings;
  const loginCookie = readCookie(request.headers.get('cookie'), cookieName('login', session));
  try {
    const result = await completeSignIn(oidc, session, new URL(request.url).search, loginCookie);
    return redirectWithCookies(new URL(result.returnTo, session.publicUrl), 303, [result.cookie, cookieToClear('login', session)]);
  } catch (error) {
    if (!(error instanceof SignInError)) console.error('aviary: sign-in failed:', error);
    const message = error instanceof SignInError ? error.message : 'sign-in failed';
    return new Response(`Sign-in failed: ${message}. Open /auth/login to try again.`, {
      status: 400,
      headers: { 'Cache-Control': 'no-store', 'Content-Type': 'text/plain; charset=utf-8' },
    });
  }
}
