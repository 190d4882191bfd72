import type { Page } from '@playwright/test';
import { expect, test } from '@/e2e/fixtures';
import { freshTag, getRollout, promote, release, waitFor, type RolloutObject } from '@/test/sandbox';
import { up } from '@/sandbox/lib/sandbox';
import { stopProcess } from '@/sandbox/lib/processes';

const CLUSTER = 'aviary-sandbox';
const card = 'rollout-shop-checkout';

/** Marks the page so a reload (which would clear the mark) is detectable. */
async function markNoReload(page: Page) {
  await page.evaluate(() => ((window as unknown as { __aviaryMark: number }).__aviaryMark = 42));
}
async function expectNoReload(page: Page) {
  expect(await page.evaluate(() => (window as unknown as { __aviaryMark?: number }).__aviaryMark)).toBe(42);
}

async function reachStep(before: RolloutObject, index: number, phase?: string) {
  return waitFor(`checkout to reach step ${index}`, async () => {
    const r = await getRollout('shop', 'checkout');
    const isNew = r.status?.currentPodHash !== before.status?.currentPodHash;
    return isNew && r.status?.currentStepIndex === index && (!phase || r.status.phase === phase) ? r : undefined;
  }, { timeoutMs: 120_000, intervalMs: 200 });
}

test('a release shows each step and weight on the detail page and the overview as the controller writes them', async ({ page, context }) => {
  test.setTimeout(300_000);
  const overview = await context.newPage();
  await overview.goto('/');
  await expect(overview.getByTestId(card)).toBeVisible();
  await page.goto(`/rollouts/${CLUSTER}/shop/checkout`);
  // Connecting is not what this test measures (a fresh server on a busy machine may take a few seconds); changes are, below.
  await expect(page.getByTestId('connection-indicator')).toHaveAttribute('data-state', 'live', { timeout: 20_000 });
  await markNoReload(page);
  await markNoReload(overview);

  const before = await getRollout('shop', 'checkout');
  await release('shop/checkout', freshTag('v1.3'));

  // Each change must reach the screen within 5 s of the controller writing it.
  for (const [index, weight] of [[1, '5'], [3, '10'], [5, '25']] as const) {
    await reachStep(before, index);
    await expect(page.getByTestId(`${card}-step`)).toHaveText(`step ${index}/11`, { timeout: 5000 });
    await expect(page.getByTestId(`${card}-desired-weight`)).toHaveText(weight, { timeout: 5000 });
    await expect(overview.getByTestId(`${card}-step`)).toHaveText(`step ${index}/11`, { timeout: 5000 });
    await expect(overview.getByTestId(`${card}-desired-weight`)).toHaveText(weight, { timeout: 5000 });
  }
  await reachStep(before, 5, 'Paused');
  await expect(page.getByTestId(`${card}-phase`)).toHaveText(/Paused/, { timeout: 5000 });
  await expect(page.getByTestId(`${card}-actual-weight`)).toHaveText('25', { timeout: 5000 });
  await expect(page.getByTestId(`${card}-diagnosis`)).toContainText('Waiting for a manual promotion at step 6/11', { timeout: 5000 });
  await expect(overview.getByTestId(`${card}-phase`)).toHaveText(/Paused/, { timeout: 5000 });

  await promote('shop', 'checkout');
  await expect(page.getByTestId(`${card}-phase`)).toHaveText(/Healthy/, { timeout: 120_000 });
  await expect(overview.getByTestId(`${card}-phase`)).toHaveText(/Healthy/, { timeout: 5000 });
  await expectNoReload(page);
  await expectNoReload(overview);
});

test('the connection indicator turns stale when the API server goes away and live again after', async ({ page }) => {
  await page.goto('/');
  const indicator = page.getByTestId('connection-indicator');
  await expect(indicator).toHaveAttribute('data-state', 'live', { timeout: 20_000 });
  await expect(page.getByTestId('rollout-shop-checkout')).toBeVisible();
  const cardsBefore = await page.locator('[data-testid^="rollout-"][data-testid$="-phase"]').count();
  try {
    await stopProcess('kube-apiserver');
    await expect(indicator).toHaveAttribute('data-state', 'stale', { timeout: 15_000 });
    await expect(indicator).toContainText('since');
    // The data stays on screen, marked stale, not wiped.
    expect(cardsBefore).toBeGreaterThanOrEqual(6);
    expect(await page.locator('[data-testid^="rollout-"][data-testid$="-phase"]').count()).toBe(cardsBefore);
  } finally {
    await up(() => undefined, { waitForDemo: false });
  }
  await expect(indicator).toHaveAttribute('data-state', 'live', { timeout: 60_000 });
});
