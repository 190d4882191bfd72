import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** Sent with every response, static files included; the Content-Security-Policy comes from proxy.ts (it needs a per-request nonce). */
const securityHeaders = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  { key: 'X-Frame-Options', value: 'DENY' },
];

// Several builds share one checkout (tests, a developer's dev server): each may pick its own output folder.
const distDir = process.env.AVIARY_DIST_DIR ?? '.next';

/**
 * `next build` adds `<distDir>/types/**` to the tsconfig it uses, and would rewrite the shared
 * tsconfig.json for every other output folder: such builds get a git-ignored tsconfig of their own
 * that extends the shared one and already lists their types.
 */
function tsconfigFor(dir) {
  if (dir === '.next') return undefined;
  const path = `${dir}.tsconfig.json`;
  const include = ['next-env.d.ts', '**/*.ts', '**/*.tsx', `${dir}/types/**/*.ts`, `${dir}/dev/types/**/*.ts`];
  const text = `${JSON.stringify({ extends: './tsconfig.json', include, exclude: ['node_modules', '.sandbox', '.next'] }, null, 2)}\n`;
  // Written only when it changes: `next dev` watches it, and every write would restart the server.
  if (!existsSync(path) || readFileSync(path, 'utf8') !== text) writeFileSync(path, text);
  return path;
}

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  distDir,
  // The server talks to Kubernetes with client-node; keep it out of the bundler.
  serverExternalPackages: ['@kubernetes/client-node'],
  typedRoutes: false,
  // `npm test` type-checks the whole tree first; a build next to colleagues' unfinished edits may skip it.
  typescript: { ignoreBuildErrors: process.env.AVIARY_SKIP_BUILD_TYPECHECK === '1', tsconfigPath: tsconfigFor(distDir) },
  // Browsers ask for /favicon.ico when a page names no icon (and some always do): answer with ours, not a 404.
  async rewrites() {
    return [{ source: '/favicon.ico', destination: '/icon.svg' }];
  },
  async headers() {
    return [{ source: '/:path*', headers: securityHeaders }];
  },
};

export default nextConfig;
