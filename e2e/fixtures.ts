import path from 'node:path';
import { test as base, expect } from '@playwright/test';
import { signIn } from './sign-in';

/** What a page did wrong while a test ran. */
export interface PageProblem {
  kind: 'console-error' | 'page-error' | 'http-error' | 'request-failed';
  text: string;
}

export interface PageHealth {
  /** Lets a test visit something that fails on purpose (a 404 page): matching problems are not reported. */
  allow(pattern: RegExp): void;
}

/**
 * Every spec imports `test` from here: an automatic fixture watches every page of the test's
 * browser context (also pages opened with `context.newPage()`) and fails the test on any console
 * error (CSP violations and hydration mismatches are reported there), uncaught page error, or
 * response with status ≥ 400.
 */
export const test = base.extend<{ pageHealth: PageHealth }, { signedInState: string }>({
  /**
   * Every test starts signed in as alice (a release manager), through the provider's real login
   * form, once per worker; a test that needs someone else (or no one) makes its own context.
   */
  signedInState: [
    async ({ browser }, provide, workerInfo) => {
      const file = path.join(workerInfo.project.outputDir, `.auth-alice-${workerInfo.workerIndex}.json`);
      const context = await browser.newContext({ baseURL: workerInfo.project.use.baseURL, storageState: { cookies: [], origins: [] } });
      const page = await context.newPage();
      if (process.env.AVIARY_E2E_DEV !== '1') await signIn(page, 'alice');
      else {
        // Under `next dev` the sign-in callback and the first page compile on their first request,
        // which can outlast signIn's own 30 s waits: give that one page the time to arrive.
        page.setDefaultTimeout(240_000);
        await signIn(page, 'alice').catch(async (error: unknown) => {
          await page.getByTestId('session-user').waitFor({ timeout: 240_000 }).catch(() => Promise.reject(error));
        });
      }
      await context.storageState({ path: file });
      await context.close();
      await provide(file);
    },
    { scope: 'worker', timeout: 300_000 },
  ],
  storageState: async ({ signedInState }, provide) => provide(signedInState),
  pageHealth: [
    async ({ context }, use) => {
      const problems: PageProblem[] = [];
      const allowed: RegExp[] = [];
      const report = (problem: PageProblem) => {
        if (!allowed.some((re) => re.test(problem.text))) problems.push(problem);
      };
      context.on('console', (msg) => {
        if (msg.type() === 'error') report({ kind: 'console-error', text: `${msg.text()} (${msg.location().url})` });
      });
      context.on('weberror', (error) => report({ kind: 'page-error', text: `${error.error().message} (${error.page()?.url() ?? '?'})` }));
      context.on('response', (res) => {
        if (res.status() >= 400) report({ kind: 'http-error', text: `${res.status()} ${res.request().method()} ${res.url()}` });
      });
      context.on('requestfailed', (req) => {
        const failure = req.failure()?.errorText ?? '';
        // A page that navigates or closes aborts its open requests (the event stream above all): that is not a fault.
        if (failure !== 'net::ERR_ABORTED') report({ kind: 'request-failed', text: `${failure} ${req.method()} ${req.url()}` });
      });
      await use({ allow: (pattern) => allowed.push(pattern) });
      expect(problems, 'console errors, page errors and failed requests on the pages this test visited').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
