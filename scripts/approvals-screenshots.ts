/**
 * The README's approval screenshots, taken the way people get there: against a running Aviary (URL as
 * the first argument) and the running sandbox, shop/checkout is gated as `npm run demo` gates it, a
 * release waits at step 5, alice asks for approval on the rollout page and bob approves on
 * /approvals. Then dana's approval meets the quorum, the release is finished and the gate removed, so
 * the sandbox is left as the test suites expect it.
 *
 *   npx tsx scripts/approvals-screenshots.ts http://127.0.0.1:3100
 */
import { chromium, type Browser, type Page } from '@playwright/test';
import { ensureBuilt } from '@/sandbox/lib/build';
import { gateCheckoutForDemo } from '@/sandbox/lib/demo-approvals';
import { kubectl } from '@/sandbox/lib/kubectl';
import { findUser } from '@/sandbox/oidc/users';
import { cli } from '@/test/argo-cli';
import { freshTag, getRollout, release, settleCheckout, waitFor } from '@/test/sandbox';

const base = process.argv[2] ?? 'http://127.0.0.1:3100';
const CHECKOUT = '/rollouts/aviary-sandbox/shop/checkout';

async function signedIn(browser: Browser, username: string, returnTo: string, options: { width: number; height: number; dark: boolean }): Promise<Page> {
  const context = await browser.newContext({ baseURL: base, viewport: { width: options.width, height: options.height }, colorScheme: options.dark ? 'dark' : 'light' });
  const page = await context.newPage();
  page.on('console', (m) => m.type() === 'error' && console.error(`[${username}] console: ${m.text()}`));
  page.on('response', (r) => r.status() >= 400 && console.error(`[${username}] ${r.status()} ${r.request().method()} ${r.url()}`));
  const user = findUser(username);
  if (!user) throw new Error(`no demo user ${username}`);
  await page.goto(`/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('session-user').waitFor({ timeout: 30_000 });
  await page.getByTestId('connection-indicator').and(page.locator('[data-state="live"]')).waitFor({ timeout: 30_000 });
  return page;
}

async function main(): Promise<void> {
  const tools = await ensureBuilt(() => undefined);
  await settleCheckout();
  await gateCheckoutForDemo(tools, (line) => console.log(line));
  await release('shop/checkout', freshTag('v1.4'));
  await waitFor('checkout at its gated pause (step 5)', async () => {
    const r = await getRollout('shop', 'checkout');
    return r.status?.currentStepIndex === 5 && (r.status.pauseConditions ?? []).length > 0 ? true : undefined;
  }, { timeoutMs: 180_000, intervalMs: 1000 });

  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    const alice = await signedIn(browser, 'alice', CHECKOUT, { width: 1280, height: 900, dark: false });
    const gate = alice.getByTestId('approval-gate');
    await gate.getByRole('button', { name: 'Request approval' }).click();
    await alice.getByLabel('Reason').fill('v1.4 healthy at 25 % for 10 minutes');
    await alice.screenshot({ path: 'docs/approval-request.png' });
    await alice.getByRole('button', { name: 'Send request' }).click();
    await alice.getByTestId('approval-request-outcome').and(alice.locator('[data-outcome="accepted"]')).waitFor({ timeout: 30_000 });

    for (const [file, dark, width] of [['docs/approvals.png', false, 1280], ['docs/approvals-dark.png', true, 1280], ['docs/approvals-narrow-dark.png', true, 390]] as const) {
      const bob = await signedIn(browser, 'bob', '/approvals', { width, height: 800, dark });
      const card = bob.locator('[data-testid^="approval-"][data-state]').first();
      if (file === 'docs/approvals.png') {
        await card.getByRole('button', { name: 'Approve' }).click();
        await bob.getByTestId('approval-outcome').waitFor({ timeout: 30_000 });
      }
      await card.getByText('1 of 2 approvals').waitFor({ timeout: 30_000 });
      await bob.screenshot({ path: file });
      console.log(`wrote ${file}`);
      await bob.context().close();
    }

    const dana = await signedIn(browser, 'dana', '/approvals', { width: 1280, height: 800, dark: false });
    await dana.locator('[data-testid^="approval-"][data-state]').first().getByRole('button', { name: 'Approve' }).click();
    await dana.getByTestId('approval-outcome').waitFor({ timeout: 30_000 });
  } finally {
    await browser.close();
  }
  // Leave the sandbox as the suites expect it: release finished, gate off.
  await waitFor('checkout past step 5', async () => ((await getRollout('shop', 'checkout')).status?.currentStepIndex ?? 0) > 5 || undefined, { timeoutMs: 60_000 });
  await cli(['promote', 'checkout', '-n', 'shop', '--full']);
  await waitFor('checkout healthy', async () => ((await getRollout('shop', 'checkout')).status?.phase === 'Healthy' ? true : undefined), { timeoutMs: 180_000 });
  await kubectl(tools, ['-n', 'shop', 'annotate', 'rollout', 'checkout', 'approvals.aviary.dev/gate-', 'approvals.aviary.dev/approvers-', 'approvals.aviary.dev/quorum-', 'approvals.aviary.dev/reason-required-', 'approvals.aviary.dev/valid-for-']);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
