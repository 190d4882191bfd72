/**
 * Sign-in end to end over HTTP against the sandbox's real OpenID provider (oidc-provider, on a free
 * loopback port): authorize URL → the provider's login form → password → redirect back with a
 * code → Aviary's callback handler → a session cookie that currentIdentity's core reads as alice.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startIdentityProvider, type RunningIdentityProvider } from '@/sandbox/oidc/provider';

vi.mock('server-only', () => ({}));

const publicUrl = 'http://127.0.0.1:3999';
let provider: RunningIdentityProvider;
let env: Record<string, string>;

/** Just enough of a browser: remembers cookies per name and follows redirects by hand. */
class Browser {
  readonly cookies = new Map<string, string>();

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const index = pair.indexOf('=');
      this.cookies.set(pair.slice(0, index), pair.slice(index + 1));
    }
    return response;
  }

  /** Follows redirects on the provider until a page answers or the browser is sent back to Aviary. */
  async follow(url: string, init: RequestInit = {}): Promise<{ response: Response; url: string }> {
    let current = url;
    let response = await this.request(current, init);
    while (response.status >= 300 && response.status < 400) {
      current = new URL(response.headers.get('location') ?? '', current).href;
      if (current.startsWith(publicUrl)) return { response, url: current };
      response = await this.request(current);
    }
    return { response, url: current };
  }
}

async function loginForm(browser: Browser, authorizationUrl: URL): Promise<string> {
  const { response, url } = await browser.follow(authorizationUrl.href);
  expect(response.status).toBe(200);
  const page = await response.text();
  expect(page).toContain('name="password"');
  const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1];
  expect(action).toBeDefined();
  return new URL(action ?? '', url).href;
}

const submit = (browser: Browser, action: string, username: string, password: string) =>
  browser.follow(action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password }).toString(),
  });

beforeAll(async () => {
  const clientSecret = randomBytes(24).toString('base64url');
  provider = await startIdentityProvider({
    port: 0,
    clientId: 'aviary',
    clientSecret,
    redirectUris: [`${publicUrl}/auth/callback`],
    postLogoutRedirectUris: [`${publicUrl}/`],
    tokenTtlSeconds: 120,
  });
  env = {
    AVIARY_OIDC_ISSUER: provider.issuer,
    AVIARY_OIDC_CLIENT_ID: 'aviary',
    AVIARY_OIDC_CLIENT_SECRET: clientSecret,
    AVIARY_SESSION_SECRET: randomBytes(32).toString('base64url'),
    AVIARY_PUBLIC_URL: publicUrl,
  };
  // The route handlers read the process's configuration, as they will in the running app.
  Object.assign(process.env, env);
});

afterAll(async () => {
  for (const name of Object.keys(env ?? {})) delete process.env[name];
  await provider?.close();
});

describe('sign-in through the sandbox identity provider', () => {
  it('alice signs in with her password: the session names alice in release-managers', async () => {
    const { GET: login } = await import('@/app/auth/login/route');
    const { GET: callback } = await import('@/app/auth/callback/route');
    const { parseAuthConfig } = await import('@/lib/server/auth/config');
    const { identityFrom } = await import('@/lib/server/auth/identity');
    const { trustedProxyList } = await import('@/lib/server/auth/proxy');

    // Aviary's side runs as its route handlers, called with the requests the browser would send.
    const loginResponse = await login(new Request(`${publicUrl}/auth/login?returnTo=/rollouts/sandbox/shop/checkout`));
    expect(loginResponse.status).toBe(302);
    const authorizationUrl = new URL(loginResponse.headers.get('location') ?? '');
    expect(authorizationUrl.origin).toBe(provider.issuer);
    expect(authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorizationUrl.searchParams.get('state')).toBeTruthy();
    expect(authorizationUrl.searchParams.get('nonce')).toBeTruthy();
    const loginCookie = loginResponse.headers.getSetCookie().find((c) => c.startsWith('aviary-login='));
    expect(loginCookie).toMatch(/HttpOnly/i);

    const browser = new Browser();
    const action = await loginForm(browser, authorizationUrl);
    const back = await submit(browser, action, 'alice', 'alice-aviary');
    expect(back.url.startsWith(`${publicUrl}/auth/callback?`)).toBe(true);
    expect(new URL(back.url).searchParams.get('code')).toBeTruthy();

    const callbackResponse = await callback(
      new Request(back.url, { headers: { cookie: (loginCookie ?? '').split(';')[0] } }),
    );
    expect(callbackResponse.status).toBe(303);
    expect(callbackResponse.headers.get('location')).toBe(`${publicUrl}/rollouts/sandbox/shop/checkout`);
    const sessionCookie = callbackResponse.headers.getSetCookie().find((c) => c.startsWith('aviary-session='));
    expect(sessionCookie).toMatch(/HttpOnly/i);
    expect(sessionCookie).toMatch(/SameSite=lax/i);
    expect(sessionCookie).not.toMatch(/Secure/i);

    const config = parseAuthConfig(env);
    const identity = await identityFrom(
      new Request(`${publicUrl}/api/workloads`, { headers: { cookie: (sessionCookie ?? '').split(';')[0] } }),
      { config, trusted: trustedProxyList([]), peer: '127.0.0.1', now: new Date() },
    );
    expect(identity?.user).toBe('alice');
    expect(identity?.groups).toEqual(['release-managers']);
    expect(identity?.expiresAt?.getTime()).toBeGreaterThan(Date.now());
  });

  it('dana arrives with both of her groups', async () => {
    const { parseAuthConfig } = await import('@/lib/server/auth/config');
    const { beginSignIn, completeSignIn } = await import('@/lib/server/auth/oidc');
    const config = parseAuthConfig(env);
    if (!config.oidc || !config.session) throw new Error('OIDC not configured');
    const { authorizationUrl, cookie } = await beginSignIn(config.oidc, config.session, '/');
    const browser = new Browser();
    const back = await submit(browser, await loginForm(browser, authorizationUrl), 'dana', 'dana-aviary');
    const result = await completeSignIn(config.oidc, config.session, new URL(back.url).search, cookie.value);
    expect(result.identity.user).toBe('dana');
    expect(result.identity.groups).toEqual(['release-managers', 'oncall']);
  });

  it('a wrong password is refused at the form and never reaches Aviary', async () => {
    const { parseAuthConfig } = await import('@/lib/server/auth/config');
    const { beginSignIn } = await import('@/lib/server/auth/oidc');
    const config = parseAuthConfig(env);
    if (!config.oidc || !config.session) throw new Error('OIDC not configured');
    const { authorizationUrl } = await beginSignIn(config.oidc, config.session, '/');
    const browser = new Browser();
    const action = await loginForm(browser, authorizationUrl);
    const refused = await submit(browser, action, 'alice', 'not-her-password');
    expect(refused.response.status).toBe(401);
    expect(refused.url.startsWith(publicUrl)).toBe(false);
    expect(await refused.response.text()).toContain('Wrong username or password');
    const unknown = await submit(browser, action, 'mallory', 'alice-aviary');
    expect(unknown.response.status).toBe(401);
    // The sign-in page's origin answers the browser's icon request without an error (no 404 in the console).
    expect((await fetch(`${provider.issuer}/favicon.ico`)).status).toBe(204);
  });

  it('a callback without the sign-in cookie (or with a forged code) is refused', async () => {
    const { GET: callback } = await import('@/app/auth/callback/route');
    const response = await callback(new Request(`${publicUrl}/auth/callback?code=forged&state=forged`));
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('sign in again');
  });
});
