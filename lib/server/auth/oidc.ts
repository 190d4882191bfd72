import 'server-only';
import * as client from 'openid-client';
import { z } from 'zod';
import type { OidcSettings, SessionSettings } from '@/lib/server/auth/config';
import { groupsFromClaims, usernameFromClaims } from '@/lib/server/auth/claims';
import { cookieToSet, type CookieToSet } from '@/lib/server/auth/cookies';
import { seal, sealSession, unseal, type Identity } from '@/lib/server/auth/session';

/** How long a user may take at the provider's sign-in form before the attempt must start again. */
const loginTransactionSeconds = 10 * 60;

/** Leaves room for the cookie's name and attributes within the 4096 bytes browsers keep. */
const maxSessionCookieLength = 3800;

export class SignInError extends Error {}

const discovered = new Map<string, Promise<client.Configuration>>();

/**
 * The provider's metadata, discovered once per process. A failed discovery is forgotten so the
 * next sign-in tries again (the provider may simply have been down).
 */
function providerConfiguration(oidc: OidcSettings): Promise<client.Configuration> {
  const key = `${oidc.issuer.href} ${oidc.clientId}`;
  let pending = discovered.get(key);
  if (!pending) {
    // Plain http passes config validation only for a loopback issuer (the sandbox's provider).
    const execute = oidc.issuer.protocol === 'http:' ? [client.allowInsecureRequests] : [];
    pending = client.discovery(oidc.issuer, oidc.clientId, undefined, client.ClientSecretBasic(oidc.clientSecret), { execute, timeout: 10 });
    pending.catch(() => discovered.delete(key));
    discovered.set(key, pending);
  }
  return pending;
}

/** Only a path on Aviary itself: never `//evil.example` or an absolute URL (no open redirect). */
export function safeReturnPath(raw: string | null | undefined): string {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return '/';
  try {
    const url = new URL(raw, 'http://aviary.invalid');
    return url.origin === 'http://aviary.invalid' ? `${url.pathname}${url.search}${url.hash}` : '/';
  } catch {
    return '/';
  }
}

const LoginTransaction = z.object({ state: z.string(), nonce: z.string(), verifier: z.string(), returnTo: z.string() });

/**
 * Starts a sign-in: the provider's authorization URL (code flow, PKCE S256, state, nonce) and the
 * encrypted cookie that remembers the secrets until the provider redirects back.
 */
export async function beginSignIn(
  oidc: OidcSettings,
  session: SessionSettings,
  returnTo: string | null,
  now: Date = new Date(),
): Promise<{ authorizationUrl: URL; cookie: CookieToSet }> {
  const configuration = await providerConfiguration(oidc);
  const verifier = client.randomPKCECodeVerifier();
  const transaction = { state: client.randomState(), nonce: client.randomNonce(), verifier, returnTo: safeReturnPath(returnTo) };
  const authorizationUrl = client.buildAuthorizationUrl(configuration, {
    redirect_uri: oidc.redirectUri,
    scope: oidc.scopes,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state: transaction.state,
    nonce: transaction.nonce,
  });
  const expiresAt = new Date(now.getTime() + loginTransactionSeconds * 1000);
  const sealed = await seal(transaction, session.secret, 'login', expiresAt, now);
  return { authorizationUrl, cookie: cookieToSet('login', sealed, session, expiresAt) };
}

/**
 * Finishes a sign-in from the provider's redirect: checks state, nonce and PKCE through
 * openid-client, validates the ID token, and seals the session.
 * `callbackSearch` is the query string the browser arrived with.
 */
export async function completeSignIn(
  oidc: OidcSettings,
  session: SessionSettings,
  callbackSearch: string,
  loginCookie: string | null,
  now: Date = new Date(),
): Promise<{ identity: Identity; cookie: CookieToSet; returnTo: string }> {
  const transaction = LoginTransaction.safeParse(loginCookie ? await unseal(loginCookie, session.secret, 'login', now) : null);
  if (!transaction.success) throw new SignInError('the sign-in attempt expired or was started in another browser; sign in again');
  const configuration = await providerConfiguration(oidc);
  // The registered redirect URI plus the received query: Aviary's address as browsers see it, not as the server binds.
  const callbackUrl = new URL(oidc.redirectUri);
  callbackUrl.search = callbackSearch;
  let claims: Record<string, unknown>;
  try {
    const tokens = await client.authorizationCodeGrant(configuration, callbackUrl, {
      pkceCodeVerifier: transaction.data.verifier,
      expectedState: transaction.data.state,
      expectedNonce: transaction.data.nonce,
      idTokenExpected: true,
    });
    claims = { ...(tokens.claims() ?? {}) };
  } catch (error) {
    throw new SignInError(`the identity provider refused the sign-in: ${(error as Error).message}`);
  }
  const user = usernameFromClaims(claims, oidc.usernameClaim);
  if (!user) throw new SignInError(`the ID token has no "${oidc.usernameClaim}" claim to name the user`);
  const groups = groupsFromClaims(claims, oidc.groupsClaim);
  const sealed = await sealSession({ user, groups }, session, now);
  // Browsers drop cookies over 4 KB without a word: refuse here, where the reason can be given.
  if (sealed.value.length > maxSessionCookieLength) {
    throw new SignInError(`${user} is in ${groups.length} groups, too many for a session cookie; narrow the groups claim (AVIARY_OIDC_GROUPS_CLAIM)`);
  }
  return {
    identity: { user, groups, expiresAt: sealed.expiresAt },
    cookie: cookieToSet('session', sealed.value, session, sealed.expiresAt),
    returnTo: transaction.data.returnTo,
  };
}

/** Where sign-out sends the browser: the provider's end-session endpoint when it has one, else Aviary's root. */
export async function signOutUrl(oidc: OidcSettings, session: SessionSettings): Promise<URL> {
  const home = new URL('/', session.publicUrl);
  try {
    const configuration = await providerConfiguration(oidc);
    if (!configuration.serverMetadata().end_session_endpoint) return home;
    return client.buildEndSessionUrl(configuration, { client_id: oidc.clientId, post_logout_redirect_uri: home.href });
  } catch {
    // The local session is gone either way; an unreachable provider must not keep the user signed in here.
    return home;
  }
}
