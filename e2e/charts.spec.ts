import { expect, test } from '@/e2e/fixtures';
import { MetricsResponse } from '@/lib/contracts/metrics';
import { startFault } from '@/sandbox/lib/faults';
import { freshTag, getRollout, release, settleCheckout, waitFor } from '@/test/sandbox';

const detail = '/rollouts/aviary-sandbox/shop/checkout?window=15m';

test('an erroring canary shows above the threshold line before the controller aborts; without Prometheus the charts say so', async ({ page }) => {
  test.setTimeout(420_000);
  await settleCheckout();
  await page.goto(detail);
  const before = await getRollout('shop', 'checkout');
  await release('shop/checkout', freshTag('v1.7', '-errors'));

  // Before the abort: the chart's canary error rate is above the analysis threshold. Meanwhile the
  // highest step index the controller reported for this release is recorded: after the abort the page
  // may say that step (or a later one it reached unseen) or "unknown", never a lower one.
  let highestStep = 0;
  const seen = await waitFor('the canary error rate above 0.05 on the chart while the rollout still runs', async () => {
    const r = await getRollout('shop', 'checkout');
    const isNew = r.status?.currentPodHash !== before.status?.currentPodHash;
    if (!isNew || r.status?.abort) return undefined;
    highestStep = Math.max(highestStep, r.status?.currentStepIndex ?? 0);
    const res = await page.request.get('/api/metrics/aviary-sandbox/shop/checkout?window=15m');
    const body = MetricsResponse.parse(await res.json());
    const panel = body.panels.find((p) => p.id === 'error-rate');
    const canary = panel?.series.find((s) => s.role === 'canary' && s.name.includes(r.status?.currentPodHash ?? '?'));
    const last = [...(canary?.points ?? [])].reverse().find(([, v]) => v !== null)?.[1];
    return last !== undefined && last !== null && last > 0.05 ? last : undefined;
  }, { timeoutMs: 120_000, intervalMs: 1000 });
  expect(seen).toBeGreaterThan(0.05);
  await expect(page.getByTestId('chart-error-rate')).toHaveAttribute('data-chart-state', 'data', { timeout: 10_000 });
  const analysisChart = page.getByTestId('chart-analysis-error-rate');
  await expect(analysisChart).toHaveAttribute('data-chart-state', 'data', { timeout: 10_000 });
  await expect(analysisChart).toContainText('success: result[0] < 0.05');

  await expect(page.getByTestId('rollout-shop-checkout-phase')).toHaveText(/Aborted/, { timeout: 120_000 });
  // Argo resets the step index on abort; the page says where the release had got to, or that it is unknown.
  await expect(page.getByTestId('rollout-shop-checkout-aborted-at')).toContainText(/reached step \d+\/11 with \d+ % on the canary|is unknown/);
  const stepText = (await page.getByTestId('rollout-shop-checkout-step').innerText()).trim();
  const abortedStep = /^aborted at step (\d+)\/11$/.exec(stepText);
  if (abortedStep) {
    expect(Number(abortedStep[1])).toBeGreaterThanOrEqual(highestStep);
    await expect(page.getByTestId('rollout-shop-checkout-aborted-at')).toContainText(`reached step ${abortedStep[1]}/11`);
    await expect(page.getByTestId('rollout-shop-checkout-steps').locator('[data-step-status="aborted"]')).toHaveCount(1);
  } else {
    expect(stepText).toBe('aborted (step unknown)');
    await expect(page.getByTestId('rollout-shop-checkout-aborted-at')).toContainText('is unknown');
    await expect(page.getByTestId('rollout-shop-checkout-steps').locator('[data-step-status="aborted"]')).toHaveCount(0);
  }
  // Times are relative, in the viewer's locale: no raw ISO timestamps anywhere on the page.
  expect(await page.locator('body').innerText()).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);

  const outage = await startFault({ name: 'prometheus-down' }, () => undefined);
  try {
    await expect(page.getByTestId('chart-error-rate')).toHaveAttribute('data-chart-state', 'error', { timeout: 20_000 });
    await expect(page.getByTestId('chart-error-rate')).toContainText('Prometheus unreachable');
    // The browser learns the kind, not Prometheus's address or the socket error (those are in the server log).
    const down = await page.request.get('/api/metrics/aviary-sandbox/shop/checkout?window=15m');
    const downText = await down.text();
    expect(MetricsResponse.parse(JSON.parse(downText)).panels.find((p) => p.id === 'error-rate')?.error?.kind).toBe('unreachable');
    expect(downText).not.toMatch(/127\.0\.0\.1|29090|ECONNREFUSED|https?:\/\//);
    await expect(page.getByTestId('chart-error-rate')).not.toContainText('127.0.0.1');
    // The rest of the page keeps working.
    await expect(page.getByTestId('rollout-shop-checkout-diagnosis')).toContainText('Aborted');
    await expect(page.getByTestId('rollout-shop-checkout-steps')).toBeVisible();
    await expect(page.getByTestId('connection-indicator')).toHaveAttribute('data-state', 'live');
  } finally {
    await outage.restore();
  }
  await expect(page.getByTestId('chart-error-rate')).toHaveAttribute('data-chart-state', 'data', { timeout: 30_000 });
});
