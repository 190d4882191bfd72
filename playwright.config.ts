import { defineConfig } from '@playwright/test';
import { aviaryServerEnv } from './sandbox/lib/aviary-env';

const port = Number(process.env.AVIARY_E2E_PORT ?? 3100);
// AVIARY_E2E_DEV=1 runs the same specs against `next dev` (hydration and CSP problems show there first).
const dev = process.env.AVIARY_E2E_DEV === '1';
const distDir = process.env.AVIARY_DIST_DIR;

/** End-to-end tests drive Debian's Chromium (never a downloaded browser) against the built app. */
export default defineConfig({
  testDir: './e2e',
  timeout: 120_000,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  // The built app (npm run build first; npm test does) against the sandbox; /api/workloads answers 401 until signed in (Playwright counts that as up).
  webServer: {
    // Production: `npm start`'s own server (server.mjs), which tells route handlers each request's TCP peer.
    command: dev ? `npx next dev --hostname 127.0.0.1 --port ${port}` : 'node server.mjs',
    url: `http://127.0.0.1:${port}/api/workloads`,
    env: {
      // Aviary's kubeconfig, Prometheus, and sign-in through the sandbox's identity provider.
      ...aviaryServerEnv(port),
      NEXT_TELEMETRY_DISABLED: '1',
      PORT: String(port),
      // The "authenticating proxy" of e2e/auth-proxy.spec.ts: requests whose TCP peer is 127.0.0.2.
      // Everyone else (the browser, from 127.0.0.1) sending the same headers is ignored.
      AVIARY_TRUSTED_PROXIES: '127.0.0.2',
      // The build to serve: several may share one checkout (see next.config.js).
      ...(distDir ? { AVIARY_DIST_DIR: distDir } : {}),
    },
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
