import type { Page } from '@playwright/test';
import { expect, test } from '@/e2e/fixtures';
import { freshTag, getRollout, promote, release, settleCheckout, waitFor, type RolloutObject } from '@/test/sandbox';
import { startFault } from '@/sandbox/lib/faults';

const CLUSTER = 'aviary-sandbox';
const card = 'rollout-shop-checkout';

/** Marks the page so a reload (which would clear the mark) is detectable. */
async function markNoReload(page: Page) {
  await page.evaluate(() => ((window as unknown as { __aviaryMark: number }).__aviaryMark = 42));
}
async function expectNoReload(page: Page) {
  expect(await page.evaluate(() => (window as unknown as { __aviaryMark?: number }).__aviaryMark)).toBe(42);
}

/**
 * Records every distinct text the given test ids show, from a MutationObserver inside the page, so
 * a test can check the sequence a release went through without racing the controller.
 */
async function recordTexts(page: Page, testIds: string[]) {
  await page.evaluate((ids) => {
    const seen: Record<string, string[]> = Object.fromEntries(ids.map((id) => [id, []]));
    const sample = () => {
      for (const id of ids) {
        const text = document.querySelector(`[data-testid="${id}"]`)?.textContent ?? null;
        const list = seen[id];
        if (text !== null && list[list.length - 1] !== text) list.push(text);
      }
    };
    sample();
    new MutationObserver(sample).observe(document.body, { subtree: true, childList: true, characterData: true });
    (window as unknown as { __aviarySeen: Record<string, string[]> }).__aviarySeen = seen;
  }, testIds);
}
async function recorded(page: Page, testId: string): Promise<string[]> {
  return page.evaluate((id) => (window as unknown as { __aviarySeen: Record<string, string[]> }).__aviarySeen[id] ?? [], testId);
}

async function reachStep(before: RolloutObject, index: number, phase?: string) {
  return waitFor(`checkout to reach step ${index}`, async () => {
    const r = await getRollout('shop', 'checkout');
    const isNew = r.status?.currentPodHash !== before.status?.currentPodHash;
    return isNew && r.status?.currentStepIndex === index && (!phase || r.status.phase === phase) ? r : undefined;
  }, { timeoutMs: 120_000, intervalMs: 200 });
}

test('a release shows each step and weight on the detail page and the overview as the controller writes them', async ({ page, context }) => {
  test.setTimeout(420_000);
  await settleCheckout();
  const overview = await context.newPage();
  await overview.goto('/');
  await expect(overview.getByTestId(card)).toBeVisible();
  await page.goto(`/rollouts/${CLUSTER}/shop/checkout`);
  // Connecting is not what this test measures (a fresh server on a busy machine may take a few seconds); changes are, below.
  await expect(page.getByTestId('connection-indicator')).toHaveAttribute('data-state', 'live', { timeout: 20_000 });
  await markNoReload(page);
  await markNoReload(overview);

  await recordTexts(page, [`${card}-step`, `${card}-desired-weight`]);
  await recordTexts(overview, [`${card}-step`, `${card}-desired-weight`]);
  const before = await getRollout('shop', 'checkout');
  await release('shop/checkout', freshTag('v1.3'));

  // Every step and weight the controller writes reaches both screens, in order, without a reload
  // (numbering as Argo's CLI prints it: "step 5/11" is index 5). Latency is measured in bench/.
  await reachStep(before, 5, 'Paused');
  for (const screen of [page, overview]) {
    await expect.poll(() => recorded(screen, `${card}-step`)).toEqual(expect.arrayContaining(['step 1/11', 'step 3/11', 'step 5/11']));
    const steps = await recorded(screen, `${card}-step`);
    expect(steps.indexOf('step 1/11')).toBeLessThan(steps.indexOf('step 3/11'));
    expect(steps.indexOf('step 3/11')).toBeLessThan(steps.indexOf('step 5/11'));
    const weights = await recorded(screen, `${card}-desired-weight`);
    expect(weights).toEqual(expect.arrayContaining(['5', '10', '25']));
    expect(weights.indexOf('5')).toBeLessThan(weights.indexOf('25'));
  }
  await expect(page.getByTestId(`${card}-phase`)).toHaveText(/Paused/);
  await expect(page.getByTestId(`${card}-actual-weight`)).toHaveText('25');
  await expect(page.getByTestId(`${card}-diagnosis`)).toContainText('Waiting for a manual promotion at step 5/11');
  await expect(page.getByTestId(`${card}-steps`).locator('[aria-current="step"]')).toHaveAttribute('data-step-index', '5');
  await expect(overview.getByTestId(`${card}-phase`)).toHaveText(/Paused/);
  expect(await page.locator('body').innerText()).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);

  await promote('shop', 'checkout');
  await expect(page.getByTestId(`${card}-phase`)).toHaveText(/Healthy/, { timeout: 120_000 });
  await expect(overview.getByTestId(`${card}-phase`)).toHaveText(/Healthy/);
  // Fully promoted: Argo's SetWeight 100; the card says the stable revision takes all traffic.
  await expect(overview.getByTestId(`${card}-traffic`)).toContainText('serves 100 % of traffic');
  await expectNoReload(page);
  await expectNoReload(overview);
});

for (const fault of ['apiserver-down', 'apiserver-hang'] as const) {
  test(`the connection indicator turns stale within 10 s of ${fault} and live again after`, async ({ page }) => {
    test.setTimeout(180_000);
    await page.goto('/');
    const indicator = page.getByTestId('connection-indicator');
    await expect(indicator).toHaveAttribute('data-state', 'live', { timeout: 20_000 });
    await expect(page.getByTestId('rollout-shop-checkout')).toBeVisible();
    const cardsBefore = await page.locator('[data-testid^="rollout-"][data-testid$="-phase"]').count();
    // apiserver-down: SIGKILL, every connection refused at once. apiserver-hang: SIGSTOP, the
    // connections stay open and silent (half-open), which only the liveness probe notices quickly.
    const outage = await startFault({ name: fault }, () => undefined);
    let staleAfter = 0;
    try {
      await expect(indicator).toHaveAttribute('data-state', 'stale', { timeout: 10_000 });
      staleAfter = Date.now() - outage.startedAt;
      await expect(indicator).toContainText('since');
      // The data stays on screen, marked stale, not wiped.
      expect(cardsBefore).toBeGreaterThanOrEqual(6);
      expect(await page.locator('[data-testid^="rollout-"][data-testid$="-phase"]').count()).toBe(cardsBefore);
    } finally {
      await outage.restore();
    }
    const restoredAt = Date.now();
    await expect(indicator).toHaveAttribute('data-state', 'live', { timeout: 60_000 });
    console.log(`[measure] ${fault}: indicator stale ${(staleAfter / 1000).toFixed(1)} s after the fault, live ${((Date.now() - restoredAt) / 1000).toFixed(1)} s after restore`);
  });
}
