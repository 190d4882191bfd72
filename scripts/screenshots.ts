/**
 * Takes the README's screenshots from a running dashboard (default http://127.0.0.1:3000) with
 * Debian's Chromium: `npx tsx scripts/screenshots.ts [baseUrl]`.
 */
import { chromium } from '@playwright/test';
import { join } from 'node:path';
import { repoRoot } from '@/sandbox/lib/config';

const base = process.argv[2] ?? 'http://127.0.0.1:3000';

async function main(): Promise<void> {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const shots: [string, string, 'light' | 'dark'][] = [
    ['/', 'overview.png', 'light'],
    ['/?view=table&attention=1', 'overview-table-dark.png', 'dark'],
    ['/rollouts/aviary-sandbox/shop/checkout', 'rollout-detail.png', 'light'],
  ];
  for (const [path, file, scheme] of shots) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, colorScheme: scheme });
    await page.goto(base + path);
    await page.getByTestId('connection-indicator').and(page.locator('[data-state="live"]')).waitFor({ timeout: 15_000 });
    await page.waitForTimeout(1000);
    await page.screenshot({ path: join(repoRoot, 'docs', file), fullPage: file !== 'rollout-detail.png' });
    await page.close();
  }
  await browser.close();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
