/**
 * For the screenshot scripts: a browser session signed in through the sandbox's identity provider
 * the way a person signs in (its real login form), kept as a storage state so each shot's context
 * (its own viewport and colour scheme) starts signed in.
 */
import type { Browser, BrowserContextOptions } from '@playwright/test';
import { findUser } from '@/sandbox/oidc/users';

export type StorageState = Exclude<BrowserContextOptions['storageState'], string | undefined>;

export async function signInState(browser: Browser, base: string, username: string): Promise<StorageState> {
  const user = findUser(username);
  if (!user) throw new Error(`no demo user ${username}`);
  const context = await browser.newContext({ baseURL: base });
  try {
    const page = await context.newPage();
    await page.goto('/auth/login?returnTo=%2F');
    await page.getByLabel('Username').fill(user.username);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('session-user').waitFor({ timeout: 30_000 });
    return await context.storageState();
  } finally {
    await context.close();
  }
}
