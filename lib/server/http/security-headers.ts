import 'server-only';

/**
 * The Content-Security-Policy of a page: scripts only with this response's nonce (Next puts it on
 * its own scripts and we on the theme script), plus what those load ('strict-dynamic').
 * - Development needs 'unsafe-eval': React rebuilds server error stacks with eval. Production never does.
 * - Styles allow inline: React and recharts write `style` attributes (bar widths, chart sizes) that
 *   a nonce cannot cover; style injection cannot run script, so scripts stay strict.
 * - connect-src 'self' covers fetch, the EventSource on /api/stream and, in development, the HMR socket.
 */
/**
 * Where a form on the page may submit to, redirects included: Aviary itself, plus the identity
 * provider's origin, because sign-out posts to /auth/logout which redirects to the provider's
 * end-session endpoint (Chromium applies form-action to that redirect too).
 */
export function formActionSources(issuer: string | undefined): string {
  let provider = '';
  try {
    if (issuer) provider = ` ${new URL(issuer).origin}`;
  } catch {
    provider = '';
  }
  return `form-action 'self'${provider}`;
}

export function pageCsp(nonce: string, dev: boolean, issuer: string | undefined = process.env.AVIARY_OIDC_ISSUER): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    formActionSources(issuer),
    "frame-ancestors 'none'",
  ].join('; ');
}

/** API answers are data, never documents: nothing in them may load or run anything. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
