import 'server-only';
import { AuthConfigError, authConfig, type AuthConfig } from '@/lib/server/auth/config';
import { currentIdentity, type Identity } from '@/lib/server/auth/identity';

/**
 * Who a request is for: a signed-in person, or — only with the documented escape hatch
 * `AVIARY_AUTH=none` — an anonymous reader of a read-only dashboard, whose every action is refused.
 */
export type Viewer = { kind: 'person'; identity: Identity } | { kind: 'anonymous' };

type RawEnv = Record<string, string | undefined>;

/** `AVIARY_AUTH=none`: serve a read-only dashboard to anyone who reaches the port. */
export function anonymousReadOnly(env: RawEnv = process.env): boolean {
  return env.AVIARY_AUTH === 'none';
}

/**
 * Refuses to start a dashboard nobody can sign in to, and one that would silently be open: without
 * OIDC or a trusted auth proxy, the operator must say `AVIARY_AUTH=none` out loud.
 */
export function assertSignInConfigured(config: AuthConfig, env: RawEnv = process.env): void {
  const value = env.AVIARY_AUTH;
  if (value !== undefined && value !== '' && value !== 'none') {
    throw new AuthConfigError(`invalid sign-in configuration: AVIARY_AUTH must be unset or "none", not ${JSON.stringify(value)}`);
  }
  if (config.oidc || config.trustedProxies.length > 0 || anonymousReadOnly(env)) return;
  throw new AuthConfigError(
    'no sign-in is configured: set AVIARY_OIDC_ISSUER (with its client and session settings) or AVIARY_TRUSTED_PROXIES ' +
      '(an authenticating proxy in front of Aviary), or AVIARY_AUTH=none for a read-only dashboard where every action is refused',
  );
}

/** The request's viewer, or null when it must sign in first. */
export async function currentViewer(request: Request): Promise<Viewer | null> {
  const identity = await currentIdentity(request);
  if (identity) return { kind: 'person', identity };
  // authConfig() has been validated at start; reading it here keeps a bad config from opening the door.
  authConfig();
  return anonymousReadOnly() ? { kind: 'anonymous' } : null;
}
