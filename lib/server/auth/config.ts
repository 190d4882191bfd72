import 'server-only';
import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * Sign-in configuration from the environment, validated once and kept apart from the cluster
 * configuration (lib/server/config.ts) so each can fail with its own message:
 *   AVIARY_OIDC_ISSUER          issuer URL (https; http only on a loopback address, for the sandbox)
 *   AVIARY_OIDC_CLIENT_ID / AVIARY_OIDC_CLIENT_SECRET   Aviary's client at the provider
 *   AVIARY_OIDC_SCOPES          default `openid profile email groups`
 *   AVIARY_OIDC_GROUPS_CLAIM    ID-token claim holding the groups; dots reach into objects; default `groups`
 *   AVIARY_OIDC_USERNAME_CLAIM  claim naming the user; default `sub` (what kube-apiserver uses by default)
 *   AVIARY_SESSION_SECRET       ≥ 32 characters; the session cookie's encryption key is derived from it
 *   AVIARY_SESSION_TTL_SECONDS  how long a sign-in lasts; default 8 h
 *   AVIARY_PUBLIC_URL           Aviary's URL as browsers reach it (callback URL; https makes cookies Secure)
 *   AVIARY_TRUSTED_PROXIES      addresses/CIDRs whose auth-proxy headers are believed (comma list)
 */
export class AuthConfigError extends Error {}

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

const issuer = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .refine((raw) => {
    const url = URL.parse(raw);
    return !url || url.protocol === 'https:' || loopbackHosts.has(url.hostname);
  }, 'must use https (plain http is allowed only on a loopback address)');

const publicUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://aviary.example.com' })
  .refine((raw) => {
    // zod runs refinements after a failed format check too: an unparsable URL is reported once, above.
    const url = URL.parse(raw);
    return !url || (url.pathname === '/' && !url.search);
  }, 'must be an origin without a path (https://host[:port])');

const proxyEntry = z.string().refine((entry) => {
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d+$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
}, 'must be an IP address or CIDR such as 10.0.0.0/8 or fd7a:115c:a1e0::/48');

const Env = z.object({
  AVIARY_OIDC_ISSUER: issuer,
  AVIARY_OIDC_CLIENT_ID: z.string({ error: 'is required' }).min(1, 'is required'),
  AVIARY_OIDC_CLIENT_SECRET: z.string({ error: 'is required' }).min(1, 'is required'),
  AVIARY_OIDC_SCOPES: z.string().regex(/(^|\s)openid(\s|$)/, 'must include openid'),
  AVIARY_OIDC_GROUPS_CLAIM: z.string().min(1),
  AVIARY_OIDC_USERNAME_CLAIM: z.string().min(1),
  AVIARY_SESSION_SECRET: z
    .string({ error: 'is required (at least 32 characters, e.g. `openssl rand -base64 32`)' })
    .min(32, 'must be at least 32 characters (e.g. `openssl rand -base64 32`)'),
  AVIARY_SESSION_TTL_SECONDS: z.number({ error: 'must be a number of seconds' }).int().min(60).max(30 * 24 * 3600),
  AVIARY_PUBLIC_URL: publicUrl,
});

export interface OidcSettings {
  issuer: URL;
  clientId: string;
  clientSecret: string;
  scopes: string;
  groupsClaim: string;
  usernameClaim: string;
  /** The callback registered at the provider: `<public URL>/auth/callback`. */
  redirectUri: string;
}

export interface SessionSettings {
  secret: string;
  ttlSeconds: number;
  /** Cookies are Secure exactly when browsers reach Aviary over https. */
  secure: boolean;
  publicUrl: URL;
}

export interface AuthConfig {
  oidc: OidcSettings | null;
  session: SessionSettings | null;
  /** Empty: proxy headers are ignored from everyone. */
  trustedProxies: string[];
}

type RawEnv = Record<string, string | undefined>;

const oidcVariables = ['AVIARY_OIDC_ISSUER', 'AVIARY_OIDC_CLIENT_ID', 'AVIARY_OIDC_CLIENT_SECRET', 'AVIARY_SESSION_SECRET', 'AVIARY_PUBLIC_URL'];

function fail(issues: z.core.$ZodIssue[]): never {
  const text = issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`).join('; ');
  throw new AuthConfigError(`invalid sign-in configuration: ${text}`);
}

function parseOidc(env: RawEnv): { oidc: OidcSettings; session: SessionSettings } | null {
  // OIDC is on as soon as any of its variables is set; then all of them must be right.
  if (!oidcVariables.some((name) => env[name])) return null;
  const ttl = env.AVIARY_SESSION_TTL_SECONDS;
  const result = Env.safeParse({
    AVIARY_OIDC_ISSUER: env.AVIARY_OIDC_ISSUER ?? '',
    AVIARY_OIDC_CLIENT_ID: env.AVIARY_OIDC_CLIENT_ID,
    AVIARY_OIDC_CLIENT_SECRET: env.AVIARY_OIDC_CLIENT_SECRET,
    AVIARY_OIDC_SCOPES: env.AVIARY_OIDC_SCOPES || 'openid profile email groups',
    AVIARY_OIDC_GROUPS_CLAIM: env.AVIARY_OIDC_GROUPS_CLAIM || 'groups',
    AVIARY_OIDC_USERNAME_CLAIM: env.AVIARY_OIDC_USERNAME_CLAIM || 'sub',
    AVIARY_SESSION_SECRET: env.AVIARY_SESSION_SECRET,
    AVIARY_SESSION_TTL_SECONDS: ttl ? Number(ttl) : 8 * 3600,
    AVIARY_PUBLIC_URL: env.AVIARY_PUBLIC_URL ?? '',
  });
  if (!result.success) fail(result.error.issues);
  const values = result.data;
  const publicOrigin = new URL(values.AVIARY_PUBLIC_URL);
  return {
    oidc: {
      issuer: new URL(values.AVIARY_OIDC_ISSUER),
      clientId: values.AVIARY_OIDC_CLIENT_ID,
      clientSecret: values.AVIARY_OIDC_CLIENT_SECRET,
      scopes: values.AVIARY_OIDC_SCOPES,
      groupsClaim: values.AVIARY_OIDC_GROUPS_CLAIM,
      usernameClaim: values.AVIARY_OIDC_USERNAME_CLAIM,
      redirectUri: new URL('/auth/callback', publicOrigin).href,
    },
    session: {
      secret: values.AVIARY_SESSION_SECRET,
      ttlSeconds: values.AVIARY_SESSION_TTL_SECONDS,
      secure: publicOrigin.protocol === 'https:',
      publicUrl: publicOrigin,
    },
  };
}

export function parseAuthConfig(env: RawEnv): AuthConfig {
  const entries = (env.AVIARY_TRUSTED_PROXIES ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const proxies = z.array(proxyEntry).safeParse(entries);
  if (!proxies.success) {
    fail(proxies.error.issues.map((i) => ({ ...i, path: [`AVIARY_TRUSTED_PROXIES "${entries[Number(i.path[0])]}"`] })));
  }
  const signIn = parseOidc(env);
  return { oidc: signIn?.oidc ?? null, session: signIn?.session ?? null, trustedProxies: proxies.data };
}

let cached: AuthConfig | undefined;

/** The process's sign-in configuration; throws AuthConfigError naming the variable at fault. */
export function authConfig(): AuthConfig {
  cached ??= parseAuthConfig(process.env);
  return cached;
}
