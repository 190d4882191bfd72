/**
 * The overview in a real Chromium (`/usr/bin/chromium` or AVIARY_CHROMIUM), against a running
 * Aviary at AVIARY_BENCH_URL (run.ts starts one; AVIARY_AUTH=none so no sign-in is needed):
 * cold load → first card shown, and one keystroke in the search box → the list re-rendered.
 *   npx tsx bench/browser.ts   (prints JSON)
 */
import { chromium, type Page } from '@playwright/test';

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

/**
 * Chromium pages showing one workload's card on the overview (`?q=<name>&ns=<namespace>`), live.
 * Each page records, at the animation frame after the card's `data-rv` (its resourceVersion)
 * changed, the new value and the wall-clock time: the bench compares them with its writes.
 */
export async function openLivePages(url: string, count: number, target: { namespace: string; name: string }): Promise<{ seen: () => Promise<{ rv: number; at: number }[][]>; close: () => Promise<void> }> {
  const browser = await chromium.launch({ executablePath: process.env.AVIARY_CHROMIUM ?? '/usr/bin/chromium' });
  const pages: Page[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      const page = await context.newPage();
      await page.goto(`${url}/?q=${encodeURIComponent(target.name)}&ns=${encodeURIComponent(target.namespace)}`);
      const card = `article[data-testid="rollout-${target.namespace}-${target.name}"]`;
      await page.locator(card).waitFor({ state: 'visible', timeout: 60_000 });
      await page.evaluate((selector) => {
        const w = window as unknown as { __aviarySeen: { rv: number; at: number }[] };
        w.__aviarySeen = [];
        let last = document.querySelector(selector)?.getAttribute('data-rv') ?? null;
        new MutationObserver(() => {
          const rv = document.querySelector(selector)?.getAttribute('data-rv') ?? null;
          if (rv === null || rv === last) return;
          last = rv;
          requestAnimationFrame(() => w.__aviarySeen.push({ rv: Number(rv), at: performance.timeOrigin + performance.now() }));
        }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-rv'] });
      }, card);
      pages.push(page);
    }
  } catch (error) {
    await browser.close();
    throw error;
  }
  return {
    seen: () => Promise.all(pages.map((p) => p.evaluate(() => (window as unknown as { __aviarySeen: { rv: number; at: number }[] }).__aviarySeen))),
    close: () => browser.close(),
  };
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
