/**
 * The sandbox's identity provider as a process (started by `sandbox:up` like the traffic simulator).
 * Environment: OIDC_PORT, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URIS and
 * OIDC_POST_LOGOUT_REDIRECT_URIS (comma lists), OIDC_TOKEN_TTL_SECONDS.
 */
import { startIdentityProvider } from './provider';
import { demoUsers } from './users';

const list = (raw: string | undefined) => (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must be set`);
  return value;
}

const provider = await startIdentityProvider({
  port: Number(process.env.OIDC_PORT ?? 29400),
  clientId: process.env.OIDC_CLIENT_ID ?? 'aviary',
  clientSecret: required('OIDC_CLIENT_SECRET'),
  redirectUris: list(process.env.OIDC_REDIRECT_URIS),
  postLogoutRedirectUris: list(process.env.OIDC_POST_LOGOUT_REDIRECT_URIS),
  tokenTtlSeconds: Number(process.env.OIDC_TOKEN_TTL_SECONDS ?? 300),
});
console.log(`identity provider ${provider.issuer} (users: ${demoUsers.map((u) => u.username).join(', ')})`);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => void provider.close().then(() => process.exit(0)));
}
