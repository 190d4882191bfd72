import type { APIRequestContext, Browser, Page } from '@playwright/test';
import { expect, test } from '@/e2e/fixtures';
import { signIn } from '@/e2e/sign-in';
import type { ActionRequest } from '@/lib/contracts/actions';
import { apps, core, custom, freshTag, getRollout, promote, release, settleCheckout, waitFor, type RolloutObject } from '@/test/sandbox';

const CLUSTER = 'aviary-sandbox';
const CHECKOUT = `/rollouts/${CLUSTER}/shop/checkout`;
const ARGO = { group: 'argoproj.io', version: 'v1alpha1' } as const;
/** checkout's indefinite pause (setWeight 25, then `pause: {}`): where a promote waits for a person. */
const MANUAL_PAUSE = 5;
/** Aviary's own origin, as a browser sends it with every POST (API request contexts send none by themselves). */
const ORIGIN = `http://127.0.0.1:${process.env.AVIARY_E2E_PORT ?? 3100}`;

interface Snapshot {
  workloads: { id: string; namespace: string; name: string; kind: string; resourceVersion: string; history?: { user: string; action: string }[] }[];
}

/** Another person at another desk: their own browser context, signed in through the provider. */
async function personPage(browser: Browser, baseURL: string | undefined, username: string, returnTo: string): Promise<Page> {
  const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await signIn(page, username, returnTo);
  return page;
}

async function csrf(request: APIRequestContext): Promise<string> {
  const me = await request.get('/api/me');
  expect(me.status()).toBe(200);
  return ((await me.json()) as { csrfToken: string }).csrfToken;
}

async function workload(request: APIRequestContext, namespace: string, name: string) {
  const res = await request.get('/api/workloads');
  expect(res.status()).toBe(200);
  const found = ((await res.json()) as Snapshot).workloads.find((w) => w.namespace === namespace && w.name === name);
  if (!found) throw new Error(`${namespace}/${name} not in the snapshot`);
  return found;
}

async function postAction(request: APIRequestContext, body: ActionRequest, headers: Record<string, string>) {
  return request.post('/api/actions', { data: body, headers: { 'Content-Type': 'application/json', Origin: ORIGIN, ...headers } });
}

/** A new release of checkout, waited for until it holds at the manual pause. */
async function releaseToManualPause(suffix = ''): Promise<RolloutObject> {
  await settleCheckout();
  const before = await getRollout('shop', 'checkout');
  await release('shop/checkout', freshTag('v1.9', suffix));
  return waitFor('checkout to hold at its manual pause', async () => {
    const r = await getRollout('shop', 'checkout');
    return r.status?.currentPodHash !== before.status?.currentPodHash && r.status?.currentStepIndex === MANUAL_PAUSE && (r.status.pauseConditions ?? []).length > 0 ? r : undefined;
  }, { timeoutMs: 180_000, intervalMs: 500 });
}

/** Opens the action's dialog from its button, types the name when asked, and confirms with Enter. */
async function act(page: Page, label: string, options: { typeName?: string; reason?: string; pickRevision?: boolean } = {}) {
  const actions = page.getByTestId(/^actions-/).first();
  const button = actions.getByRole('button', { name: label, exact: true });
  await expect(button).toBeEnabled({ timeout: 30_000 });
  await button.click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  if (options.pickRevision) await dialog.getByRole('radio').first().check();
  if (options.reason) await dialog.getByRole('textbox', { name: /Reason/ }).fill(options.reason);
  if (options.typeName) await dialog.getByRole('textbox', { name: `Type ${options.typeName} to confirm` }).fill(options.typeName);
  await dialog.getByRole('textbox', { name: /Reason/ }).press('Enter');
  // The dialog stays open ("Sending…") until Aviary answers.
  await expect(dialog).toBeHidden({ timeout: 30_000 });
  // Focus returns to the button — unless the action made it disappear (abort removes Abort).
  if ((await button.count()) > 0 && (await button.isEnabled())) await expect(button).toBeFocused();
  const outcome = actions.getByRole('status');
  await expect(outcome).not.toHaveAttribute('data-outcome', '', { timeout: 30_000 });
  return outcome;
}

test.beforeAll(async ({ playwright }, testInfo) => {
  const api = await playwright.request.newContext({ baseURL: testInfo.project.use.baseURL });
  await expect.poll(async () => (await api.get('/api/health')).status(), { timeout: 60_000 }).toBe(200);
  await api.dispose();
});

test('without a session every API route answers 401, the stream included, and pages go to sign-in', async ({ playwright }, testInfo) => {
  const api = await playwright.request.newContext({ baseURL: testInfo.project.use.baseURL, storageState: { cookies: [], origins: [] } });
  const gets = ['/api/workloads', '/api/stream', '/api/me', '/api/sparklines', `/api/metrics/${CLUSTER}/shop/checkout`, `/api/permissions?cluster=${CLUSTER}&kind=Rollout&namespace=shop&name=checkout`];
  for (const path of gets) {
    const res = await api.get(path, { maxRedirects: 0 });
    expect(res.status(), path).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code, path).toBeTruthy();
  }
  const post = await api.post('/api/actions', { data: { cluster: CLUSTER, kind: 'Rollout', namespace: 'shop', name: 'checkout', action: 'pause', resourceVersion: '1' }, headers: { Origin: testInfo.project.use.baseURL ?? '' } });
  expect(post.status()).toBe(401);
  const page = await api.get(CHECKOUT, { maxRedirects: 0 });
  expect(page.status()).toBe(302);
  expect(page.headers()['location']).toContain(`/auth/login?returnTo=${encodeURIComponent(CHECKOUT)}`);
  await api.dispose();
});

test('cross-origin and Origin: null POSTs are refused with 403, even with a session and the CSRF token', async ({ request }) => {
  const token = await csrf(request);
  const w = await workload(request, 'shop', 'checkout');
  const body: ActionRequest = { cluster: CLUSTER, kind: 'Rollout', namespace: 'shop', name: 'checkout', action: 'pause', resourceVersion: w.resourceVersion };
  for (const origin of ['https://evil.example', 'null']) {
    const res = await postAction(request, body, { Origin: origin, 'X-Aviary-CSRF': token });
    expect(res.status(), origin).toBe(403);
  }
  // Same origin without the token: refused too.
  const noToken = await postAction(request, body, {});
  expect([400, 403]).toContain(noToken.status());
});

test('the header says who is signed in and sign-out ends the session', async ({ browser }, testInfo) => {
  const page = await personPage(browser, testInfo.project.use.baseURL, 'dana', '/');
  await expect(page.getByTestId('session-groups')).toContainText('release-managers');
  await expect(page.getByTestId('session-groups')).toContainText('oncall');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect.poll(async () => (await page.request.get('/api/me')).status(), { timeout: 15_000 }).toBe(401);
  await page.context().close();
});

test('a session that ends in an open tab asks to sign in again and keeps the page', async ({ page, context, pageHealth }) => {
  pageHealth.allow(/\b401\b/);
  await page.goto(CHECKOUT);
  await expect(page.getByTestId('connection-indicator')).toHaveAttribute('data-state', 'live', { timeout: 30_000 });
  await page.evaluate(() => ((window as unknown as { __aviaryMark: number }).__aviaryMark = 42));
  await context.clearCookies();
  // The next API answer (the charts refetch every step; the stream on its next reconnect) is a 401.
  const banner = page.getByTestId('session-ended');
  await expect(banner).toBeVisible({ timeout: 60_000 });
  await expect(banner).toContainText('Your session has ended — sign in again');
  await expect(banner.getByRole('link', { name: 'sign in again' })).toHaveAttribute('href', `/auth/login?returnTo=${encodeURIComponent(CHECKOUT)}`);
  expect(await page.evaluate(() => (window as unknown as { __aviaryMark?: number }).__aviaryMark)).toBe(42);
  await expect(page.getByTestId('rollout-shop-checkout')).toBeVisible();
});

test('victor (viewer) sees no usable button, his direct POST gets 403 from the RBAC, and the restricted namespace never reaches him', async ({ browser }, testInfo) => {
  const page = await personPage(browser, testInfo.project.use.baseURL, 'victor', CHECKOUT);
  const actions = page.getByTestId('actions-shop-checkout');
  await expect(actions.getByRole('button').first()).toBeVisible();
  await expect(actions).not.toContainText('Checking what you may do', { timeout: 30_000 });
  await expect(actions.locator('button:enabled')).toHaveCount(0);
  await expect(actions).toContainText("The cluster's RBAC does not let you");

  const token = await csrf(page.request);
  const w = await workload(page.request, 'shop', 'checkout');
  const res = await postAction(page.request, { cluster: CLUSTER, kind: 'Rollout', namespace: 'shop', name: 'checkout', action: 'pause', resourceVersion: w.resourceVersion }, { 'X-Aviary-CSRF': token, Origin: new URL(page.url()).origin });
  expect(res.status()).toBe(403);
  expect(((await res.json()) as { error: { code: string } }).error.code).toBeTruthy();

  const snapshot = (await (await page.request.get('/api/workloads')).json()) as Snapshot;
  expect(snapshot.workloads.length).toBeGreaterThan(0);
  expect(snapshot.workloads.filter((x) => x.namespace === 'restricted')).toEqual([]);
  await page.goto('/');
  await expect(page.getByTestId('connection-indicator')).toHaveAttribute('data-state', 'live', { timeout: 30_000 });
  await expect(page.locator('[data-testid^="rollout-restricted-"]')).toHaveCount(0);
  await expect(page.locator('main')).not.toContainText('restricted');
  await page.context().close();
});

test('two simultaneous promotes with the same resourceVersion advance one step: one 202, one 409', async ({ request }) => {
  test.setTimeout(300_000);
  await releaseToManualPause();
  const token = await csrf(request);
  // The controller writes status a few times after pausing: act on the version Aviary shows once it is the live one.
  const w = await waitFor('Aviary to show the live resourceVersion', async () => {
    const live = (await getRollout('shop', 'checkout')) as RolloutObject & { metadata: { resourceVersion?: string } };
    const shown = await workload(request, 'shop', 'checkout');
    return shown.resourceVersion === live.metadata.resourceVersion ? shown : undefined;
  }, { timeoutMs: 30_000, intervalMs: 300 });
  const body: ActionRequest = { cluster: CLUSTER, kind: 'Rollout', namespace: 'shop', name: 'checkout', action: 'promote', resourceVersion: w.resourceVersion };
  const [a, b] = await Promise.all([postAction(request, body, { 'X-Aviary-CSRF': token }), postAction(request, body, { 'X-Aviary-CSRF': token })]);
  expect([a.status(), b.status()].sort()).toEqual([202, 409]);
  const conflict = a.status() === 409 ? a : b;
  expect(((await conflict.json()) as { error: { code: string } }).error.code).toBeTruthy();
  // One step on from the manual pause is setWeight 50 then a 15 s pause: two promotes would be past it.
  await waitFor('checkout to reach the timed pause after 50 %', async () => ((await getRollout('shop', 'checkout')).status?.currentStepIndex === MANUAL_PAUSE + 2 ? true : undefined), { timeoutMs: 30_000, intervalMs: 200 });
  expect((await getRollout('shop', 'checkout')).status?.currentStepIndex).toBe(MANUAL_PAUSE + 2);
});

test('alice promotes step by step to Healthy; each dialog says exactly what happens', async ({ page, pageHealth }) => {
  test.setTimeout(300_000);
  // The controller may move on between opening a dialog and confirming it: that promote is a 409, said in words.
  pageHealth.allow(/409.*\/api\/actions/);
  await releaseToManualPause();
  await page.goto(CHECKOUT);
  const phase = page.getByTestId('rollout-shop-checkout-phase');
  for (let i = 0; i < 8; i++) {
    const current = (await getRollout('shop', 'checkout')).status;
    if (current?.phase === 'Healthy') break;
    const promoteButton = page.getByTestId('actions-shop-checkout').getByRole('button', { name: 'Promote', exact: true });
    if (!(await promoteButton.isEnabled().catch(() => false))) {
      await page.waitForTimeout(500);
      continue;
    }
    // The rollout may finish between the check above and the click (a timed pause ends, the last step
    // completes): a Healthy rollout offers no Promote, so the button goes away. Look again rather than
    // wait for a button that will not come back (CI: this click waited out the test's 5 minutes).
    const clicked = await promoteButton.click({ timeout: 10_000 }).then(() => true, () => false);
    if (!clicked) continue;
    await expect(page.getByTestId('action-description')).toHaveText(/^Promote shop\/checkout from step \d+ \(\d+ %\) to (step \d+ \(\d+ %\)|the end of its steps \(100 %\))$/);
    await page.getByRole('dialog').getByRole('textbox', { name: /Reason/ }).press('Enter');
    const outcome = page.getByTestId('actions-shop-checkout-outcome');
    await expect(outcome).not.toHaveAttribute('data-outcome', '', { timeout: 30_000 });
    const kind = await outcome.getAttribute('data-outcome');
    expect(['accepted', 'conflict']).toContain(kind);
    if (kind === 'accepted') await expect(outcome).toContainText('Accepted — watching for the change');
    await waitFor('the controller to take the promote', async () => {
      const now = (await getRollout('shop', 'checkout')).status;
      return now?.currentStepIndex !== current?.currentStepIndex || now?.phase === 'Healthy' ? true : undefined;
    }, { timeoutMs: 60_000, intervalMs: 300 });
  }
  await expect(phase).toHaveAttribute('data-phase', 'Healthy', { timeout: 90_000 });
  await expect(page.getByTestId('rollout-shop-checkout-history')).toContainText('alice');
});

test('carol (on call) aborts a paused canary after typing its name; the history shows carol, live', async ({ browser }, testInfo) => {
  test.setTimeout(300_000);
  await releaseToManualPause();
  const page = await personPage(browser, testInfo.project.use.baseURL, 'carol', CHECKOUT);
  const actions = page.getByTestId('actions-shop-checkout');
  await expect(actions.getByRole('button', { name: 'Abort', exact: true })).toBeEnabled({ timeout: 30_000 });
  // On call may abort, not promote: the cluster says so (verb "promote", deploy/admission/rollout-verbs.yaml), and the button shows it.
  const promoteButton = actions.getByRole('button', { name: 'Promote', exact: true });
  await expect(promoteButton).toBeDisabled();
  await expect(promoteButton).toHaveAttribute('title', /RBAC does not let you promote/);
  const outcome = await act(page, 'Abort', { typeName: 'checkout', reason: 'e2e: bad canary' });
  await expect(outcome).toHaveAttribute('data-outcome', 'accepted');
  await expect(page.getByTestId('rollout-shop-checkout-phase')).toHaveAttribute('data-phase', /Aborted|Degraded/, { timeout: 60_000 });
  const history = page.getByTestId('rollout-shop-checkout-history');
  await expect(history.locator('li').first()).toContainText('carol', { timeout: 30_000 });
  await expect(history.locator('li').first()).toContainText('e2e: bad canary');
  await page.context().close();
  // Leave checkout as others expect it: a new release starts from a clean state.
  await promote('shop', 'checkout').catch(() => undefined);
});

test('roll back a Deployment to an earlier revision (alice)', async ({ page }) => {
  test.setTimeout(180_000);
  // A fresh sandbox's catalog has a single revision: make a second one so there is one to go back to.
  const first = await apps.readNamespacedDeployment({ namespace: 'shop', name: 'catalog' });
  await release('shop/catalog', freshTag('v9.4'));
  await waitFor('catalog to roll out its new revision', async () => {
    const now = await apps.readNamespacedDeployment({ namespace: 'shop', name: 'catalog' });
    const revision = now.metadata?.annotations?.['deployment.kubernetes.io/revision'];
    const settled = (now.status?.updatedReplicas ?? 0) === (now.spec?.replicas ?? 1) && (now.status?.availableReplicas ?? 0) === (now.spec?.replicas ?? 1);
    return revision !== first.metadata?.annotations?.['deployment.kubernetes.io/revision'] && settled ? true : undefined;
  }, { timeoutMs: 120_000, intervalMs: 500 });
  await page.goto(`/deployments/${CLUSTER}/shop/catalog`);
  const before = await apps.readNamespacedDeployment({ namespace: 'shop', name: 'catalog' });
  const outcome = await act(page, 'Roll back…', { typeName: 'catalog', pickRevision: true });
  await expect(outcome).toHaveAttribute('data-outcome', 'accepted');
  await waitFor('catalog to get a new revision', async () => {
    const now = await apps.readNamespacedDeployment({ namespace: 'shop', name: 'catalog' });
    return now.metadata?.annotations?.['deployment.kubernetes.io/revision'] !== before.metadata?.annotations?.['deployment.kubernetes.io/revision'] ? true : undefined;
  });
});

test('roll back a Rollout to an earlier revision (alice)', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(CHECKOUT);
  const before = await getRollout('shop', 'checkout');
  const outcome = await act(page, 'Roll back…', { typeName: 'checkout', pickRevision: true });
  await expect(outcome).toHaveAttribute('data-outcome', 'accepted');
  await waitFor('checkout to change its pod template', async () => {
    const now = await getRollout('shop', 'checkout');
    return now.spec.template.spec.containers[0]?.image !== before.spec.template.spec.containers[0]?.image ? true : undefined;
  });
  await promote('shop', 'checkout').catch(() => undefined);
});

test('a rollout whose labels, annotations and image carry <script> renders as text', async ({ page, pageHealth }) => {
  test.setTimeout(180_000);
  pageHealth.allow(/ErrImagePull|InvalidImageName/);
  const namespace = `e2e-xss-${Date.now().toString(36)}`;
  const payload = '<script>window.__xss=1</script>';
  await core.createNamespace({ body: { metadata: { name: namespace } } });
  try {
    // alice's group may read it, as in the sandbox's own namespaces (05-rbac.yaml).
    await custom.createNamespacedCustomObject({ group: 'rbac.authorization.k8s.io', version: 'v1', namespace, plural: 'rolebindings', body: {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'aviary-viewer-release-managers' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'aviary-viewer' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'release-managers' }],
    } });
    await custom.createNamespacedCustomObject({ ...ARGO, namespace, plural: 'rollouts', body: {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout',
      metadata: { name: 'xss', labels: { app: 'xss', note: 'script-alert' }, annotations: { 'aviary.dev/metrics-profile': payload, note: payload } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'xss' } },
        strategy: { canary: { steps: [{ setWeight: 50 }, { pause: {} }] } },
        template: { metadata: { labels: { app: 'xss' } }, spec: { containers: [{ name: 'xss', image: `example.invalid/${payload}` }] } },
      },
    } });
    // A workload Aviary has not seen yet is a 404 page (which does not turn into the workload later):
    // open it once the live cache — and alice's view of it — carries it.
    await waitFor('Aviary to carry the new rollout for alice', async () => {
      const res = await page.request.get('/api/workloads');
      const body = (await res.json()) as { workloads: { namespace: string; name: string }[] };
      return body.workloads.some((w) => w.namespace === namespace && w.name === 'xss') ? true : undefined;
    }, { timeoutMs: 90_000, intervalMs: 1000 });
    await page.goto(`/rollouts/${CLUSTER}/${namespace}/xss`);
    await expect(page.getByTestId(`rollout-${namespace}-xss`)).toBeVisible({ timeout: 60_000 });
    await expect(page.locator('main')).toContainText(payload);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator('main script').count()).toBe(0);
  } finally {
    await core.deleteNamespace({ name: namespace }).catch(() => undefined);
  }
});
