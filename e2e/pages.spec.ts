import { expect, test } from '@/e2e/fixtures';

const CLUSTER = 'aviary-sandbox';
const PAGES = ['/', `/rollouts/${CLUSTER}/shop/checkout`, `/rollouts/${CLUSTER}/shop/payments`, `/deployments/${CLUSTER}/shop/catalog`];
const INTERNALS = /127\.0\.0\.1|localhost|:\d{4,5}\b|ECONNREFUSED|https?:\/\/|\n\s+at /;

/** The caches answer 404 only once they have listed: wait for that, as a viewer after start-up would. */
test.beforeAll(async ({ playwright, browser, signedInState }, testInfo) => {
  const api = await playwright.request.newContext({ baseURL: testInfo.project.use.baseURL });
  await expect.poll(async () => (await api.get('/api/health')).status(), { timeout: 60_000 }).toBe(200);
  await api.dispose();
  if (process.env.AVIARY_E2E_DEV !== '1') return;
  // `next dev` compiles each route on its first request: on a cold cache and a busy machine that
  // outlasts the tests' own waits, so visit every page once here, signed in, with time to spare.
  // Console errors still count in the tests that follow, which visit them again.
  testInfo.setTimeout(420_000);
  const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL, storageState: signedInState });
  const page = await context.newPage();
  page.setDefaultTimeout(180_000);
  for (const path of [...PAGES, `/rollouts/${CLUSTER}/shop/no-such-rollout`]) {
    await page.goto(path);
    if (path.includes('no-such')) await page.getByTestId('not-found').waitFor();
    else await page.getByTestId('connection-indicator').and(page.locator('[data-state="live"]')).waitFor();
  }
  await context.close();
});

for (const path of PAGES) {
  test(`${path} loads live with no console error, page error or failed request`, async ({ page }) => {
    const res = await page.goto(path);
    expect(res?.status()).toBe(200);
    // Generous: under `next dev` (AVIARY_E2E_DEV=1) the first visit compiles the page and the stream route.
    await expect(page.getByTestId('connection-indicator')).toHaveAttribute('data-state', 'live', { timeout: 30_000 });
    // The event stream never lets the network go idle: give the first chart and sparkline fetches time to land.
    await page.waitForTimeout(3000);
  });
}

test('pages send a nonce-based Content-Security-Policy and the other security headers', async ({ page }) => {
  const res = await page.goto('/');
  const headers = res?.headers() ?? {};
  const csp = headers['content-security-policy'] ?? '';
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  // React's dev tooling needs eval; the production build must not allow it.
  if (process.env.AVIARY_E2E_DEV === '1') expect(csp).toContain("'unsafe-eval'");
  else expect(csp).not.toContain("'unsafe-eval'");
  expect(csp.split(';').find((d) => d.trim().startsWith('script-src'))).not.toContain("'unsafe-inline'");
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
  expect(headers['x-frame-options']).toBe('DENY');
  // A fresh nonce per response.
  const again = (await page.request.get('/')).headers()['content-security-policy'];
  expect(again).not.toBe(csp);
  // The theme script runs under the policy: it carries this response's nonce.
  await expect(page.getByTestId('connection-indicator')).toHaveAttribute('data-state', 'live');
});

test('the icon is served, also where browsers look without being told (/favicon.ico)', async ({ request }) => {
  for (const path of ['/icon.svg', '/favicon.ico']) {
    const res = await request.get(path);
    expect(res.status(), path).toBe(200);
    expect(res.headers()['content-type']).toContain('image/svg+xml');
  }
});

test('API routes send the security headers and the event stream still streams', async ({ request }) => {
  const res = await request.get('/api/workloads');
  expect(res.status()).toBe(200);
  const headers = res.headers();
  expect(headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['x-request-id']).toMatch(/^[0-9a-f]{8}$/);

  const controller = new AbortController();
  // The stream needs the session too: send the signed-in context's cookie.
  const cookie = (await request.storageState()).cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const stream = await fetch(new URL('/api/stream', res.url()), { signal: controller.signal, headers: { cookie } });
  expect(stream.headers.get('content-type')).toContain('text/event-stream');
  expect(stream.headers.get('x-content-type-options')).toBe('nosniff');
  const reader = stream.body!.getReader();
  const first = new TextDecoder().decode((await reader.read()).value);
  controller.abort();
  expect(first).toMatch(/^(event|id|data|retry|:)/m);
});

for (const [kind, path] of [['Rollout', `/rollouts/${CLUSTER}/shop/no-such-rollout`], ['Deployment', `/deployments/${CLUSTER}/shop/no-such-deployment`], ['cluster', '/rollouts/no-such-cluster/shop/checkout']] as const) {
  test(`a ${kind} that does not exist answers 404 with a page that says so`, async ({ page, pageHealth }) => {
    pageHealth.allow(/404|Failed to load resource/);
    const res = await page.goto(path);
    expect(res?.status()).toBe(404);
    await expect(page.getByTestId('not-found')).toContainText('Not found');
    await expect(page.getByRole('link', { name: 'Back to the overview' })).toBeVisible();
  });
}

test('API errors carry a code, a message and a request id, never internals', async ({ request }) => {
  const missing = await request.get(`/api/metrics/${CLUSTER}/shop/no-such-rollout`);
  expect(missing.status()).toBe(404);
  const body = (await missing.json()) as { error: { code: string; message: string; requestId: string } };
  expect(body.error.code).toBe('not-found');
  expect(body.error.requestId).toBe(missing.headers()['x-request-id']);

  const bad = await request.get(`/api/metrics/${CLUSTER}/shop/checkout?window=forever`);
  expect(bad.status()).toBe(400);
  const badBody = (await bad.json()) as { error: { code: string; message: string } };
  expect(badBody.error.code).toBe('bad-request');
  expect(JSON.stringify(badBody)).not.toMatch(INTERNALS);
});

test('the saved dark theme applies before paint under the CSP (the inline theme script carries the nonce)', async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('aviary-theme', 'dark'));
  await page.goto('/');
  await expect(page.locator('html')).toHaveClass(/\bdark\b/);
  await expect(page.getByRole('button', { name: 'Toggle dark mode' })).toHaveText('☀ Light');
});
