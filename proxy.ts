import { NextResponse, type NextRequest } from 'next/server';
import { API_CSP, newNonce, pageCsp } from '@/lib/server/http/security-headers';

/**
 * The Content-Security-Policy (the headers that never vary are in next.config.js). Pages get a fresh nonce per request: Next reads it from the
 * request's Content-Security-Policy header and puts it on its own scripts; the root layout reads
 * `x-nonce` for the theme script. Every page is rendered per request already (live data), so a
 * nonce costs no static optimisation.
 */
export function proxy(request: NextRequest): NextResponse {
  const isApi = request.nextUrl.pathname.startsWith('/api/');
  if (!isApi && needsSignIn(request)) {
    const login = new URL('/auth/login', request.nextUrl);
    login.search = new URLSearchParams({ returnTo: `${request.nextUrl.pathname}${request.nextUrl.search}` }).toString();
    const redirect = NextResponse.redirect(login, 302);
    redirect.headers.set('Cache-Control', 'no-store');
    return redirect;
  }
  const requestHeaders = new Headers(request.headers);
  let csp = API_CSP;
  if (!isApi) {
    const nonce = newNonce();
    csp = pageCsp(nonce, process.env.NODE_ENV === 'development');
    requestHeaders.set('x-nonce', nonce);
    requestHeaders.set('Content-Security-Policy', csp);
  }
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('Content-Security-Policy', csp);
  return response;
}

const SESSION_COOKIES = ['aviary-session', '__Host-aviary-session'];
const PROXY_USER_HEADERS = ['x-auth-request-user', 'x-forwarded-user', 'tailscale-user-login'];

/**
 * A cheap early redirect for pages only: no session cookie (and no auth-proxy header where a proxy
 * is configured) means sign in first. It decrypts nothing and trusts nothing — each page checks
 * the session itself (lib/server/auth/page.ts), and each API route inside its handler (401).
 */
function needsSignIn(request: NextRequest): boolean {
  const path = request.nextUrl.pathname;
  if (path.startsWith('/auth/') || path.startsWith('/_next/')) return false;
  // A kiosk wall (`/wall?k=<kiosk token>`): no sign-in prompt; the wall's one API checks the token.
  if (path === '/wall' && request.nextUrl.searchParams.has('k')) return false;
  if (process.env.AVIARY_AUTH === 'none') return false;
  if (SESSION_COOKIES.some((name) => request.cookies.has(name))) return false;
  if (process.env.AVIARY_TRUSTED_PROXIES && PROXY_USER_HEADERS.some((name) => request.headers.has(name))) return false;
  return true;
}

export const config = {
  // Static assets are immutable files named by hash: they need no per-request policy.
  matcher: [{ source: '/((?!_next/static|_next/image|favicon.ico|icon.svg).*)' }],
};
