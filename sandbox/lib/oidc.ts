import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Component } from './components';
import { host, paths, ports, repoRoot, urls } from './config';
import { get } from './http';
import { demoUsers } from '@/sandbox/oidc/users';

/**
 * The sandbox's identity provider (sandbox/oidc) as a component, and what Aviary needs to sign in
 * with it. Its client secret and Aviary's session secret are random, made once per sandbox in
 * `.sandbox/generated` (git-ignored): nothing secret is committed, and they survive restarts so a
 * running dashboard keeps working.
 */
export const oidcClientId = 'aviary';

function secretFile(name: string): string {
  const file = join(paths.generated, name);
  if (!existsSync(file)) {
    mkdirSync(paths.generated, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

/** Aviary's ports whose /auth/callback the provider accepts: the demo, the e2e default and CI's, plus any in the environment. */
export function aviaryPorts(): number[] {
  const fromEnv = [process.env.AVIARY_E2E_PORT, process.env.PORT].filter((p): p is string => Boolean(p)).map(Number);
  return [...new Set([3000, 3100, 3200, ...fromEnv].filter((p) => Number.isInteger(p) && p > 0))];
}

/** The environment that points an Aviary server on `port` at the sandbox's provider. */
export function sandboxSignInEnv(port: number): Record<string, string> {
  return {
    AVIARY_OIDC_ISSUER: urls.oidc,
    AVIARY_OIDC_CLIENT_ID: oidcClientId,
    AVIARY_OIDC_CLIENT_SECRET: secretFile('oidc-client-secret'),
    AVIARY_SESSION_SECRET: secretFile('session-secret'),
    AVIARY_PUBLIC_URL: `http://${host}:${port}`,
  };
}

export const identityProvider: Component = {
  name: 'identity-provider',
  ports: [ports.oidc],
  command: () => process.execPath,
  args: () => ['--import', 'tsx', join(repoRoot, 'sandbox', 'oidc', 'main.ts')],
  env: () => ({
    ...process.env,
    OIDC_PORT: String(ports.oidc),
    OIDC_CLIENT_ID: oidcClientId,
    OIDC_CLIENT_SECRET: secretFile('oidc-client-secret'),
    OIDC_REDIRECT_URIS: aviaryPorts().map((p) => `http://${host}:${p}/auth/callback`).join(','),
    OIDC_POST_LOGOUT_REDIRECT_URIS: aviaryPorts().map((p) => `http://${host}:${p}/`).join(','),
    OIDC_TOKEN_TTL_SECONDS: process.env.AVIARY_SANDBOX_OIDC_TOKEN_TTL_SECONDS ?? '300',
  }),
  ready: async () => (await get(`${urls.oidc}/.well-known/openid-configuration`)).status === 200,
  readyTimeoutMs: 30_000,
  endpoint: urls.oidc,
};

/** What `npm run demo` prints: who can sign in, with which password, in which groups. */
export function demoUserLines(): string[] {
  return [
    `Sign in at the sandbox identity provider (${urls.oidc}) as:`,
    ...demoUsers.map((u) => `  ${u.username.padEnd(8)} password ${u.password.padEnd(14)} groups ${u.groups.join(', ')}`),
  ];
}
