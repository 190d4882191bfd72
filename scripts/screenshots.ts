/**
 * Takes the README's screenshots from a running dashboard (default http://127.0.0.1:3000) against
 * the sandbox, with Debian's Chromium: `npx tsx scripts/screenshots.ts [baseUrl]`. It drives real
 * releases to reach each state (a canary mid-release, an aborted canary, a blue-green preview) and
 * puts the demo back to its starting versions afterwards.
 */
import { chromium, type Browser } from '@playwright/test';
import { join } from 'node:path';
import { repoRoot } from '@/sandbox/lib/config';
import { getRollout, release, waitFor } from '@/test/sandbox';

const base = process.argv[2] ?? 'http://127.0.0.1:3000';
const CLUSTER = 'aviary-sandbox';

type Scheme = 'light' | 'dark';

async function shoot(browser: Browser, path: string, file: string, scheme: Scheme, width: number, fullPage = true): Promise<void> {
  const page = await browser.newPage({ viewport: { width, height: width > 800 ? 900 : 844 }, colorScheme: scheme });
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(base + path);
  await page.getByTestId('connection-indicator').and(page.locator('[data-state="live"]')).waitFor({ timeout: 20_000 });
  await page.waitForTimeout(2500);
  await page.screenshot({ path: join(repoRoot, 'docs', file), fullPage });
  await page.close();
  console.log(`docs/${file}${errors.length > 0 ? ` — console errors: ${errors.join(' | ')}` : ''}`);
}

async function until(description: string, namespace: string, name: string, test: (r: Awaited<ReturnType<typeof getRollout>>) => boolean): Promise<void> {
  await waitFor(description, async () => (test(await getRollout(namespace, name)) ? true : undefined), { timeoutMs: 240_000, intervalMs: 1000 });
}

async function main(): Promise<void> {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    await shoot(browser, '/', 'overview.png', 'light', 1440);
    await shoot(browser, '/?view=table', 'overview-table-dark.png', 'dark', 1440);
    await shoot(browser, '/', 'overview-narrow-dark.png', 'dark', 390);

    await release('shop/checkout', 'v1.1.0');
    await until('checkout to wait at its manual pause', 'shop', 'checkout', (r) => (r.status?.pauseConditions ?? []).some((p) => p.reason === 'CanaryPauseStep') && r.status?.currentStepIndex === 5);
    await shoot(browser, `/rollouts/${CLUSTER}/shop/checkout`, 'canary-mid-release.png', 'light', 1440);
    await shoot(browser, `/rollouts/${CLUSTER}/shop/checkout`, 'canary-mid-release-narrow-dark.png', 'dark', 390);

    await release('shop/payments', 'v3.1.0');
    await until('payments to wait with its preview', 'shop', 'payments', (r) => (r.status?.pauseConditions ?? []).some((p) => p.reason === 'BlueGreenPause'));
    await shoot(browser, `/rollouts/${CLUSTER}/shop/payments`, 'bluegreen-detail.png', 'light', 1440);
    await shoot(browser, `/rollouts/${CLUSTER}/shop/payments`, 'bluegreen-detail-dark.png', 'dark', 1440);

    await release('shop/checkout', 'v1.2.0-errors');
    await until('checkout to be aborted by its analysis', 'shop', 'checkout', (r) => Boolean(r.status?.abort));
    await shoot(browser, `/rollouts/${CLUSTER}/shop/checkout`, 'canary-aborted.png', 'light', 1440);
    await shoot(browser, `/rollouts/${CLUSTER}/shop/checkout`, 'canary-aborted-dark.png', 'dark', 1440);
    await shoot(browser, '/', 'overview-during-incident.png', 'light', 1440);
  } finally {
    await browser.close();
    await release('shop/checkout', 'v1.0.0').catch(() => undefined);
    await release('shop/payments', 'v3.0.0').catch(() => undefined);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
