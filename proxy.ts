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

export const config = {
  // Static assets are immutable files named by hash: they need no per-request policy.
  matcher: [{ source: '/((?!_next/static|_next/image|favicon.ico|icon.svg).*)' }],
};
