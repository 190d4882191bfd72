import type { BrowserContext, Page } from '@playwright/test';
import { expect } from '@playwright/test';
import { findUser } from '@/sandbox/oidc/users';

/**
 * Signs a demo user in the way a person does: Aviary sends the browser to the sandbox's identity
 * provider, the user types username and password into its real login form, the provider redirects
 * back, and Aviary sets its session cookie and returns to `returnTo`.
 */
export async function signIn(page: Page, username: string, returnTo = '/'): Promise<void> {
  const user = findUser(username);
  if (!user) throw new Error(`no demo user ${username}`);
  await page.goto(`/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  const origin = new URL(page.url()).origin;
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.origin !== origin && url.pathname === new URL(returnTo, 'http://x').pathname, { timeout: 30_000 });
  await expect(page.getByTestId('session-user')).toHaveText(user.username, { timeout: 30_000 });
}

/** A second browser context (its own cookies) signed in as `username`: another person at another desk. */
export async function signedInContext(newContext: () => Promise<BrowserContext>, username: string, returnTo = '/'): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newContext();
  const page = await context.newPage();
  await signIn(page, username, returnTo);
  return { context, page };
}
