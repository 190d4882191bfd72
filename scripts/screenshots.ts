/**
 * Takes the README's screenshots from a running dashboard (default http://127.0.0.1:3000) against
 * the sandbox, with Debian's Chromium, signed in as alice: `npx tsx scripts/screenshots.ts [baseUrl]`.
 * It drives real releases to reach each state (a canary mid-release, an aborted canary, a blue-green
 * preview) and leaves checkout settled and payments promoted afterwards. Each shot fails the script
 * on a console error or page error.
 */
import { chromium, type Browser } from '@playwright/test';
import { join } from 'node:path';
import { repoRoot } from '@/sandbox/lib/config';
import { freshTag, getRollout, promote, release, settleCheckout, waitFor } from '@/test/sandbox';
import { signInState, type StorageState } from './signed-in';

const base = process.argv[2] ?? 'http://127.0.0.1:3000';
const CLUSTER = 'aviary-sandbox';

type Scheme = 'light' | 'dark';

let session: StorageState | undefined;

async function shoot(browser: Browser, path: string, file: string, scheme: Scheme, width: number, fullPage = true): Promise<void> {
  const context = await browser.newContext({ storageState: session, viewport: { width, height: width > 800 ? 900 : 844 }, colorScheme: scheme });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(base + path);
  // Attached, not visible: on a phone the header tucks the indicator away.
  await page.locator('[data-testid="connection-indicator"][data-state="live"]').waitFor({ state: 'attached', timeout: 60_000 });
  // Charts fetch after the page is live: wait until none is loading (or there are none).
  await page.locator('[data-chart-state="loading"]').first().waitFor({ state: 'detached', timeout: 30_000 }).catch(() => undefined);
  await page.waitForTimeout(2500);
  // The live page keeps re-rendering (stream, countdowns): give the screenshot time to find a still frame.
  await page.screenshot({ path: join(repoRoot, 'docs', file), fullPage, animations: 'disabled', timeout: 120_000 });
  await context.close();
  console.log(`docs/${file}`);
  if (errors.length > 0) throw new Error(`docs/${file}: console errors: ${errors.join(' | ')}`);
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
    session = await signInState(browser, base, 'alice');
    await settleCheckout();
    await shoot(browser, '/', 'overview.png', 'light', 1440);
    await shoot(browser, '/?view=table', 'overview-table-dark.png', 'dark', 1440);
    await shoot(browser, '/', 'overview-narrow-dark.png', 'dark', 390);

    const before = (await getRollout('shop', 'checkout')).status?.currentPodHash;
    await release('shop/checkout', freshTag('v1.1'));
    await until('checkout to wait at its manual pause (step 5)', 'shop', 'checkout', (r) => r.status?.currentPodHash !== before && (r.status?.pauseConditions ?? []).some((p) => p.reason === 'CanaryPauseStep') && r.status?.currentStepIndex === 5);
    await shoot(browser, `/rollouts/${CLUSTER}/shop/checkout`, 'canary-mid-release.png', 'light', 1440);
    await shoot(browser, `/rollouts/${CLUSTER}/shop/checkout`, 'canary-mid-release-narrow-dark.png', 'dark', 390);

    const active = (await getRollout('shop', 'payments')).status?.currentPodHash;
    await release('shop/payments', freshTag('v3.1'));
    await until('payments to wait with its preview', 'shop', 'payments', (r) => r.status?.currentPodHash !== active && (r.status?.pauseConditions ?? []).some((p) => p.reason === 'BlueGreenPause'));
    await shoot(browser, `/rollouts/${CLUSTER}/shop/payments`, 'bluegreen-detail.png', 'light', 1440);
    await shoot(browser, `/rollouts/${CLUSTER}/shop/payments`, 'bluegreen-detail-dark.png', 'dark', 1440);

    await settleCheckout();
    const stable = (await getRollout('shop', 'checkout')).status?.currentPodHash;
    await release('shop/checkout', freshTag('v1.2', '-errors'));
    await until('checkout to be aborted by its analysis', 'shop', 'checkout', (r) => r.status?.currentPodHash !== stable && Boolean(r.status?.abort));
    await shoot(browser, `/rollouts/${CLUSTER}/shop/checkout`, 'canary-aborted.png', 'light', 1440);
    await shoot(browser, `/rollouts/${CLUSTER}/shop/checkout`, 'canary-aborted-dark.png', 'dark', 1440);
    await shoot(browser, '/', 'overview-during-incident.png', 'light', 1440);
  } finally {
    await browser.close();
    await promote('shop', 'payments').catch(() => undefined);
    await settleCheckout().catch(() => undefined);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
