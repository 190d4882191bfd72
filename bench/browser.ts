/**
 * The overview in a real Chromium (`/usr/bin/chromium` or AVIARY_CHROMIUM), against a running
 * Aviary at AVIARY_BENCH_URL (run.ts starts one; AVIARY_AUTH=none so no sign-in is needed):
 * cold load → first card shown, and one keystroke in the search box → the list re-rendered.
 *   npx tsx bench/browser.ts   (prints JSON)
 */
import { chromium } from '@playwright/test';

const base = process.env.AVIARY_BENCH_URL ?? 'http://127.0.0.1:3301';

export async function measureBrowser(url = base): Promise<{ dataShownMs: number[]; keystrokeMs: number[]; shown: number }> {
  const browser = await chromium.launch({ executablePath: process.env.AVIARY_CHROMIUM ?? '/usr/bin/chromium' });
  const dataShownMs: number[] = [];
  const keystrokeMs: number[] = [];
  let shown = 0;
  try {
    for (let run = 0; run < 3; run++) {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      const page = await context.newPage();
      const start = Date.now();
      await page.goto(url, { waitUntil: 'commit' });
      await page.locator('article[data-testid^="rollout-"]').first().waitFor({ state: 'visible', timeout: 60_000 });
      dataShownMs.push(Date.now() - start);
      shown = Number(await page.getByTestId('overview').getAttribute('data-shown'));
      const search = page.getByTestId('filter-search');
      await search.click();
      await search.pressSequentially('svc-0', { delay: 50 });
      await page.waitForTimeout(500);
      // One keystroke: from keydown to the list showing the new count (a MutationObserver in the page).
      const timing = page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            const main = document.querySelector('[data-testid="overview"]')!;
            const before = main.getAttribute('data-shown');
            let t0 = 0;
            const observer = new MutationObserver(() => {
              if (main.getAttribute('data-shown') !== before) {
                observer.disconnect();
                requestAnimationFrame(() => resolve(performance.now() - t0));
              }
            });
            observer.observe(main, { attributes: true });
            window.addEventListener('keydown', () => (t0 = performance.now()), { once: true, capture: true });
          }),
      );
      await page.waitForTimeout(100);
      await page.keyboard.press('9');
      keystrokeMs.push(Math.round(await timing));
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return { dataShownMs, keystrokeMs, shown };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  measureBrowser().then(
    (r) => {
      console.log(JSON.stringify(r));
      process.exit(0);
    },
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
