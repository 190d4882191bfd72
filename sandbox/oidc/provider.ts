/**
 * The sandbox's OpenID provider: `oidc-provider` (a certified implementation) with the demo users,
 * a real username + password form, authorization code flow with PKCE required, and a `groups`
 * claim in the ID token. Signing and cookie keys are made at start, so nothing secret is committed
 * and a restart signs everyone out of the provider (Aviary's own session cookie is unaffected).
 */
import { createHash, generateKeyPairSync, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { loginPage, logoutPage } from './pages';
import { findUser } from './users';

export interface IdentityProviderOptions {
  /** 0 picks a free port (tests). */
  port: number;
  host?: string;
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  /** Lifetime of ID and access tokens: short, so expiry paths get exercised. */
  tokenTtlSeconds: number;
}

export interface RunningIdentityProvider {
  issuer: string;
  port: number;
  close: () => Promise<void>;
}

/** Every scope the sandbox's client is granted without a consent screen (it is first-party). */
const grantedScopes = 'openid profile email groups';

/** Compares hashes so the time taken does not reveal how much of a password matched. */
export function passwordMatches(username: string, password: string): boolean {
  const user = findUser(username);
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(user?.password ?? randomUUID()), digest(password)) && user !== undefined;
}

function providerConfiguration(options: IdentityProviderOptions): Configuration {
  const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  return {
    clients: [
      {
        client_id: options.clientId,
        client_secret: options.clientSecret,
        redirect_uris: options.redirectUris,
        post_logout_redirect_uris: options.postLogoutRedirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    pkce: { required: () => true },
    features: {
      // The built-in development form accepts any name without a password: exactly the shortcut we refuse.
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx: KoaContextWithOIDC, form: string) => {
          ctx.body = logoutPage(form);
        },
      },
    },
    interactions: { url: (_ctx: KoaContextWithOIDC, interaction) => `/interaction/${interaction.uid}` },
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username'],
      email: ['email', 'email_verified'],
      groups: ['groups'],
    },
    // Groups belong in the ID token itself: Aviary reads them from there, not from userinfo.
    conformIdTokenClaims: false,
    findAccount: (_ctx, sub) => {
      const user = findUser(sub);
      if (!user) return undefined;
      return {
        accountId: user.username,
        claims: () => ({
          sub: user.username,
          name: user.name,
          preferred_username: user.username,
          email: `${user.username}@aviary.example`,
          email_verified: true,
          groups: user.groups,
        }),
      };
    },
    // Aviary is first-party: its grant is given on sign-in instead of through a consent screen.
    loadExistingGrant: async (ctx) => {
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session?.grantIdFor(ctx.oidc.client?.clientId ?? '');
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      if (!ctx.oidc.session?.accountId || !ctx.oidc.client) return undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope(grantedScopes);
      await grant.save();
      return grant;
    },
    jwks: { keys: [{ ...signingKey, kid: randomUUID(), alg: 'RS256', use: 'sig' }] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    ttl: {
      AccessToken: options.tokenTtlSeconds,
      IdToken: options.tokenTtlSeconds,
      AuthorizationCode: 60,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
  };
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let text = '';
  for await (const chunk of req) {
    text += String(chunk);
    if (text.length > 10_000) break;
  }
  return new URLSearchParams(text);
}

function html(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(body);
}

/** GET /interaction/:uid shows the form; POST /interaction/:uid/login checks the password. */
async function interaction(provider: Provider, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  if (details.prompt.name !== 'login') {
    // Consent is granted by loadExistingGrant; any other prompt means a misconfiguration.
    return html(res, 400, `unexpected prompt ${details.prompt.name}`);
  }
  const action = `/interaction/${details.uid}/login`;
  if (req.method === 'GET' && path === `/interaction/${details.uid}`) return html(res, 200, loginPage(action));
  if (req.method === 'POST' && path === action) {
    const form = await readForm(req);
    const username = form.get('username') ?? '';
    if (!passwordMatches(username, form.get('password') ?? '')) {
      return html(res, 401, loginPage(action, { username, error: 'Wrong username or password.' }));
    }
    await provider.interactionFinished(req, res, { login: { accountId: username } }, { mergeWithLastSubmission: false });
    return;
  }
  html(res, 404, 'not found');
}

export async function startIdentityProvider(options: IdentityProviderOptions): Promise<RunningIdentityProvider> {
  const host = options.host ?? '127.0.0.1';
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => html(res, 503, 'starting');
  const server: Server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  // The issuer names the port actually bound: with port 0 it is known only now.
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://${host}:${port}`;
  const provider = new Provider(issuer, providerConfiguration(options));
  const oidc = provider.callback();
  handle = (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') return html(res, 200, 'ok');
    // Browsers ask every origin for its icon: answer "none" rather than log a 404 on the sign-in page.
    if (path === '/favicon.ico') {
      res.writeHead(204, { 'Cache-Control': 'max-age=86400' });
      return void res.end();
    }
    if (!path.startsWith('/interaction/')) return void oidc(req, res);
    interaction(provider, req, res, path).catch((error: unknown) => {
      // An expired or unknown interaction lands here: say so rather than hang the browser.
      if (!res.headersSent) html(res, 400, `sign-in failed: ${(error as Error).message}. Start again from Aviary.`);
    });
  };
  return {
    issuer,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
