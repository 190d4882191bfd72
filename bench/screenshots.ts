/**
 * Screenshots of the overview with the scale content (1,000 Rollouts), light and dark, wide and
 * narrow, grid and table, into docs/: against a running Aviary at AVIARY_BENCH_URL.
 *   npx tsx bench/screenshots.ts
 */
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { repoRoot } from '@/sandbox/lib/config';

const base = process.env.AVIARY_BENCH_URL ?? 'http://127.0.0.1:3301';

async function main(): Promise<void> {
  const browser = await chromium.launch({ executablePath: process.env.AVIARY_CHROMIUM ?? '/usr/bin/chromium' });
  const errors: string[] = [];
  try {
    for (const [name, width, scheme, query] of [
      ['overview-1000', 1400, 'light', ''],
      ['overview-1000-dark', 1400, 'dark', ''],
      ['overview-1000-narrow-dark', 420, 'dark', ''],
      ['overview-1000-table', 1400, 'light', '?view=table&q=svc-00'],
    ] as const) {
      const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme });
      const page = await context.newPage();
      page.on('console', (m) => m.type() === 'error' && (errors.push(`${name}: ${m.text()}`), console.log('console error', m.text().slice(0, 400))));
      page.on('pageerror', (e) => errors.push(`${name}: ${e.message}`));
      await page.goto(`${base}/${query}`);
      await page.locator('article[data-testid^="rollout-"], tr[data-testid^="rollout-"]').first().waitFor({ timeout: 120_000 });
      await page.mouse.wheel(0, 3000);
      await page.waitForTimeout(800);
      await page.screenshot({ path: join(repoRoot, 'docs', `${name}.png`) });
      console.log(`${name}.png`);
      await context.close();
    }
  } finally {
    await browser.close();
  }
  console.log(errors.length ? `console errors:\n${errors.join('\n')}` : 'no console errors');
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
