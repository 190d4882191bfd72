import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, test } from '@/e2e/fixtures';
import { startFault } from '@/sandbox/lib/faults';
import { urls } from '@/sandbox/lib/config';
import { core, custom, getRollout, waitFor } from '@/test/sandbox';

/**
 * The wall screen against the sandbox: 30 Rollouts of this spec's own namespace, one of them a bad
 * canary that Prometheus analysis aborts (Degraded) and one waiting for release approval. The wall
 * puts them first; a kiosk link shows exactly its namespace to a browser with no session, can call
 * nothing else and stops working when revoked; stopping the API server brings the stale banner
 * within 10 s and recovery takes it away.
 */
const CLUSTER = 'aviary-sandbox';
const NS = `e2e-wall-${Date.now().toString(36)}`;
const ARGO = { group: 'argoproj.io', version: 'v1alpha1' } as const;
const ORIGIN = `http://127.0.0.1:${process.env.AVIARY_E2E_PORT ?? 3100}`;
const PLAIN = Array.from({ length: 27 }, (_, i) => `svc-${String(i + 1).padStart(2, '0')}`);

test.describe.configure({ mode: 'serial' });

const rollout = (name: string, image: string, extra: { annotations?: Record<string, string>; strategy?: Record<string, unknown> } = {}) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name, labels: { team: name.startsWith('svc') ? 'web' : 'checkout' }, annotations: extra.annotations ?? {} },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    strategy: extra.strategy ?? { canary: { steps: [{ setWeight: 50 }, { pause: { duration: '5s' } }] } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: `registry.example.com/wall/${name}:${image}` }] } },
  },
});

async function setImage(name: string, tag: string): Promise<void> {
  await custom.patchNamespacedCustomObject({ ...ARGO, namespace: NS, plural: 'rollouts', name, body: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: `registry.example.com/wall/${name}:${tag}` }] });
}

async function csrf(request: APIRequestContext): Promise<string> {
  const me = await request.get('/api/me');
  expect(me.status()).toBe(200);
  return ((await me.json()) as { csrfToken: string }).csrfToken;
}

test.beforeAll(async () => {
  test.setTimeout(600_000);
  await core.createNamespace({ body: { metadata: { name: NS } } });
  for (const [name, role] of [['view', 'aviary-viewer'], ['release', 'aviary-release-manager']] as const) {
    await custom.createNamespacedCustomObject({ group: 'rbac.authorization.k8s.io', version: 'v1', namespace: NS, plural: 'rolebindings', body: {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'release-managers' }],
    } });
  }
  // The bad canary: its analysis reads the simulator's 5xx share of the canary service from Prometheus.
  await custom.createNamespacedCustomObject({ ...ARGO, namespace: NS, plural: 'analysistemplates', body: {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisTemplate', metadata: { name: 'error-rate' },
    spec: { metrics: [{ name: 'error-rate', initialDelay: '10s', interval: '5s', count: 4, successCondition: 'result[0] < 0.05', failureLimit: 0, provider: { prometheus: { address: urls.prometheus, query: `sum(rate(http_requests_total{namespace="${NS}",service="bad-canary-canary",status=~"5.."}[20s])) / sum(rate(http_requests_total{namespace="${NS}",service="bad-canary-canary"}[20s]))` } } }] },
  } });
  for (const app of ['bad-canary', 'noisy']) {
    for (const side of ['canary', 'stable']) {
      await core.createNamespacedService({ namespace: NS, body: { metadata: { name: `${app}-${side}`, annotations: { 'sandbox.aviary.dev/requests-per-second': '20' } }, spec: { selector: { app }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } } });
    }
  }
  // Light traffic for every other tile (the simulator sends it to annotated Services): stable-only sparklines, and gated's canary vs stable.
  for (const app of [...PLAIN, 'gated']) {
    await core.createNamespacedService({ namespace: NS, body: { metadata: { name: app, annotations: { 'sandbox.aviary.dev/requests-per-second': '3' } }, spec: { selector: { app }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } } });
  }
  const bodies = [
    ...PLAIN.map((name) => rollout(name, 'v1')),
    rollout('gated', 'v1', {
      annotations: { 'approvals.aviary.dev/gate': 'steps:1', 'approvals.aviary.dev/approvers': 'group:release-managers', 'approvals.aviary.dev/quorum': '2' },
      strategy: { canary: { steps: [{ setWeight: 25 }, { pause: {} }, { setWeight: 50 }] } },
    }),
    // A bad canary without analysis, held at a manual pause: seed 002's CanaryHighErrorRate fires for it.
    rollout('noisy', 'v1', { strategy: { canary: { canaryService: 'noisy-canary', stableService: 'noisy-stable', steps: [{ setWeight: 50 }, { pause: {} }] } } }),
    rollout('bad-canary', 'v1', { strategy: { canary: { canaryService: 'bad-canary-canary', stableService: 'bad-canary-stable', steps: [{ setWeight: 50 }, { analysis: { templates: [{ templateName: 'error-rate' }] } }, { pause: {} }] } } }),
  ];
  for (const body of bodies) await custom.createNamespacedCustomObject({ ...ARGO, namespace: NS, plural: 'rollouts', body });
  await waitFor('30 Rollouts Healthy', async () => {
    const list = (await custom.listNamespacedCustomObject({ ...ARGO, namespace: NS, plural: 'rollouts' })) as { items: { status?: { phase?: string } }[] };
    return list.items.length === 30 && list.items.every((r) => r.status?.phase === 'Healthy') ? true : undefined;
  }, { timeoutMs: 300_000, intervalMs: 2000 });
  await setImage('gated', 'v2');
  await setImage('bad-canary', 'v2-errors');
  await setImage('noisy', 'v2-errors');
  await waitFor('gated at its gated pause', async () => ((await getRollout(NS, 'gated')).status?.currentStepIndex === 1 ? true : undefined), { timeoutMs: 120_000, intervalMs: 1000 });
  await waitFor('the bad canary aborted by its analysis', async () => ((await getRollout(NS, 'bad-canary')).status?.abort ? true : undefined), { timeoutMs: 180_000, intervalMs: 1000 });
});

test.afterAll(async () => {
  await core.deleteNamespace({ name: NS }).catch(() => undefined);
});

const tiles = (page: Page) => page.getByTestId('wall-tile');

test('the wall puts the degraded tile first and the one waiting for approval next; 1920×1080 screenshot', async ({ page, request }) => {
  test.setTimeout(180_000);
  // Paused at its gated step, nobody has asked yet: it already waits for approval, 0 of 2.
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto(`/wall?namespace=${NS}`);
  await expect(tiles(page).nth(1)).toHaveAttribute('data-name', `${NS}/gated`, { timeout: 30_000 });
  await expect(tiles(page).nth(1)).toHaveAttribute('data-attention', 'waiting');
  await expect(tiles(page).nth(1).getByTestId('wall-approval')).toHaveText('Waiting for approval · 0/2');
  // alice asks for approval of gated's step (the requester does not count: 0 of 2 so far): still waiting.
  const gated = (await custom.getNamespacedCustomObject({ ...ARGO, namespace: NS, plural: 'rollouts', name: 'gated' })) as { metadata: { resourceVersion: string } };
  const asked = await request.post('/api/approvals', {
    data: { cluster: CLUSTER, namespace: NS, name: 'gated', resourceVersion: gated.metadata.resourceVersion, reason: 'v2 at 25 % looks fine' },
    headers: { 'Content-Type': 'application/json', Origin: ORIGIN, 'X-Aviary-CSRF': await csrf(request) },
  });
  expect(asked.status(), await asked.text()).toBe(202);
  await page.reload();
  await expect(page.getByText('30 workloads')).toBeVisible({ timeout: 30_000 });
  await expect(tiles(page).first()).toHaveAttribute('data-name', `${NS}/bad-canary`, { timeout: 30_000 });
  await expect(tiles(page).first()).toHaveAttribute('data-phase', /Degraded|Aborted/);
  await expect(tiles(page).nth(1)).toHaveAttribute('data-name', `${NS}/gated`, { timeout: 30_000 });
  await expect(tiles(page).nth(1).getByTestId('wall-approval')).toHaveText('Waiting for approval · 0/2');
  // More tiles than fit: it pages, and the two that need attention stay on every page.
  await expect(page.getByTestId('wall-page')).toContainText(/page \d\/\d/);
  expect(await tiles(page).count()).toBeLessThan(30);
  await expect(page.getByTestId('wall-stale')).toHaveCount(0);
  // Sparklines: the noisy canary's 5xx and p99 against its stable side on the tile (two sides, two colours, one legend for the wall).
  const noisy = page.locator(`[data-name="${NS}/noisy"]`);
  await expect(noisy.getByTestId('wall-spark-errors').locator('[data-role="canary"]')).toBeVisible({ timeout: 90_000 });
  await expect(noisy.getByTestId('wall-spark-p99').locator('[data-role="stable"]')).toBeVisible();
  // A line, not a dot: wait for three samples of the canary (15 s apart) so the screenshot shows what a wall shows.
  await expect.poll(async () => (await noisy.getByTestId('wall-spark-errors').locator('path').last().getAttribute('d')) ?? '', { timeout: 90_000 }).toMatch(/L.* L/);
  await expect(page.getByTestId('wall-legend')).toContainText('canary / preview');
  await expect(page.getByTestId('wall-legend')).toContainText('stable / active');
  await mkdir('docs', { recursive: true });
  await page.screenshot({ path: 'docs/wall-1920x1080.png' });
  // A 4K screen at 1×: the same 4 × 3 tiles with everything twice as large (text scales with the tile).
  await page.setViewportSize({ width: 3840, height: 2160 });
  await expect(tiles(page)).toHaveCount(12);
  const nameSize = await tiles(page).first().locator('h2').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(nameSize).toBeGreaterThan(80);
  await page.screenshot({ path: 'docs/wall-3840x2160.png' });
  await page.setViewportSize({ width: 1920, height: 1080 });
  await expect(tiles(page)).toHaveCount(12);
  const firstPage = await tiles(page).last().getAttribute('data-name');
  await expect(tiles(page).last()).not.toHaveAttribute('data-name', firstPage ?? '', { timeout: 20_000 });
  await expect(tiles(page).first()).toHaveAttribute('data-name', `${NS}/bad-canary`);
  await expect(tiles(page).nth(1)).toHaveAttribute('data-name', `${NS}/gated`);
  // A narrow screen still shows the one that needs attention first.
  await page.setViewportSize({ width: 600, height: 900 });
  await expect(tiles(page).first()).toHaveAttribute('data-name', `${NS}/bad-canary`);
  await page.screenshot({ path: 'docs/wall-narrow.png' });
});

test('the rollout page shows the open incident and the firing Prometheus alert; the overview card the alert', async ({ page }) => {
  test.setTimeout(180_000);
  const detail = `/rollouts/${CLUSTER}/${NS}/bad-canary`;
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(detail);
    await expect(page.getByTestId('incident-banner')).toContainText('revision', { timeout: 30_000 });
    await expect(page.getByTestId('incident-banner')).toContainText('analysis failed');
    await page.screenshot({ path: `docs/incident-banner-${scheme}.png` });
  }
  // The seed's CanaryHighErrorRate fires while the noisy canary takes 12 % errors at its pause.
  await page.goto(`/rollouts/${CLUSTER}/${NS}/noisy`);
  await expect(page.getByTestId('firing-alerts')).toContainText('CanaryHighErrorRate', { timeout: 120_000 });
  await expect(page.getByTestId('firing-alerts')).toContainText('firing', { timeout: 60_000 });
  await page.goto(`/?q=noisy`);
  await expect(page.getByTestId(`rollout-${NS}-noisy-alerts`)).toContainText('CanaryHighErrorRate', { timeout: 30_000 });
  await page.setViewportSize({ width: 420, height: 900 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: 'docs/card-alert-narrow-dark.png' });
  await page.goto('/wall/links');
  await expect(page.getByRole('button', { name: 'Create kiosk link' })).toBeEnabled({ timeout: 30_000 });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.screenshot({ path: 'docs/wall-links.png' });
});

test('a kiosk link shows exactly its scope without a session, can call nothing else, and stops when revoked', async ({ request, browser, pageHealth }) => {
  test.setTimeout(180_000);
  const token = await csrf(request);
  const created = await request.post('/api/kiosk', {
    data: { title: 'Team room', scope: { namespaces: [NS] }, ttlHours: 24 },
    headers: { 'Content-Type': 'application/json', Origin: ORIGIN, 'X-Aviary-CSRF': token },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { url, link } = (await created.json()) as { url: string; link: { id: string } };
  const kiosk = new URL(url).searchParams.get('k') ?? '';
  // Only namespaces alice may read herself: kube-system is not hers.
  const refused = await request.post('/api/kiosk', { data: { title: 'x', scope: { namespaces: ['kube-system'] }, ttlHours: 1 }, headers: { 'Content-Type': 'application/json', Origin: ORIGIN, 'X-Aviary-CSRF': token } });
  expect(refused.status()).toBe(403);

  // A screen with no one signed in: no cookies at all.
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] }, viewport: { width: 1920, height: 1080 } });
  const wall = await context.newPage();
  const problems: string[] = [];
  wall.on('console', (m) => m.type() === 'error' && !/401/.test(m.text()) && problems.push(m.text()));
  // The URL's own filters cannot widen what the link shows.
  await wall.goto(`${new URL(url).pathname}${new URL(url).search}&namespace=shop`);
  await expect(wall.getByText('Team room')).toBeVisible({ timeout: 30_000 });
  await expect(wall.getByText('30 workloads')).toBeVisible();
  await expect(wall.getByTestId('session-user')).toHaveCount(0);
  await expect(tiles(wall).first()).toHaveAttribute('data-name', `${NS}/bad-canary`);

  const api = context.request;
  const asKiosk = { Authorization: `Kiosk ${kiosk}` };
  const data = await api.get('/api/kiosk/wall', { headers: asKiosk });
  expect(data.status()).toBe(200);
  const body = (await data.json()) as { rows: { namespace: string }[] };
  expect(new Set(body.rows.map((r) => r.namespace))).toEqual(new Set([NS]));
  // Every other API refuses the kiosk token: no action, no other read.
  const action = await api.post('/api/actions', { data: { cluster: CLUSTER, kind: 'Rollout', namespace: NS, name: 'gated', action: 'promote' }, headers: { ...asKiosk, 'Content-Type': 'application/json', Origin: ORIGIN } });
  expect(action.status()).toBe(403);
  expect(((await action.json()) as { error: { code: string } }).error.code).toBe('kiosk-read-only');
  for (const path of ['/api/workloads', '/api/stream', `/api/wall?namespace=shop`, '/api/oncall', '/api/approvals', '/api/kiosk']) {
    expect((await api.get(path, { headers: asKiosk })).status(), path).toBe(403);
  }
  expect((await api.get('/api/kiosk/wall')).status()).toBe(401);
  expect((await api.get('/api/kiosk/wall', { headers: { Authorization: `Kiosk ${kiosk.slice(0, -2)}xx` } })).status()).toBe(401);

  // Revoked by alice: the screen says so within seconds, without anyone touching it.
  const revoked = await request.post('/api/kiosk/revoke', { data: { id: link.id }, headers: { 'Content-Type': 'application/json', Origin: ORIGIN, 'X-Aviary-CSRF': token } });
  expect(revoked.status()).toBe(200);
  await expect(wall.getByTestId('wall-refused')).toContainText('revoked', { timeout: 15_000 });
  expect((await api.get('/api/kiosk/wall', { headers: asKiosk })).status()).toBe(401);
  expect(problems).toEqual([]);
  await context.close();
  pageHealth.allow(/403 POST .*\/api\/kiosk/);
});

test('stopping the API server shows the stale banner within 10 s; it goes when the cluster is back', async ({ page, pageHealth }) => {
  test.setTimeout(240_000);
  // While the API server is down, reads that need it (access reviews) may fail: expected here.
  pageHealth.allow(/5\d\d GET .*\/api\/wall/);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto(`/wall?namespace=${NS}`);
  await expect(page.getByText('30 workloads')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('wall-stale')).toHaveCount(0);
  const fault = await startFault({ name: 'apiserver-down' }, () => undefined);
  try {
    await expect(page.getByTestId('wall-stale')).toBeVisible({ timeout: 10_000 });
    await expect(page.getByTestId('wall-stale')).toContainText(/Data \d+ s old/);
    await expect(page.getByTestId('wall')).toHaveAttribute('data-stale', 'true');
    await page.screenshot({ path: 'docs/wall-stale.png' });
  } finally {
    await fault.restore();
  }
  await expect(page.getByTestId('wall-stale')).toHaveCount(0, { timeout: 90_000 });
  await expect(page.getByTestId('wall')).toHaveAttribute('data-stale', 'false');
});

test('Prometheus down (npm run sandbox:fault -- prometheus-down 30s) shows the stale banner within 10 s; it goes when Prometheus is back', async ({ page, pageHealth }) => {
  test.setTimeout(240_000);
  pageHealth.allow(/5\d\d GET .*\/api\/wall/);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto(`/wall?namespace=${NS}`);
  await expect(page.getByText('30 workloads')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('wall-stale')).toHaveCount(0, { timeout: 60_000 });
  // The sandbox's own fault command, as a person would run it: kills Prometheus, restarts it after 30 s.
  const command = spawn('npm', ['run', '--silent', 'sandbox:fault', '--', 'prometheus-down', '30s'], { env: process.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const inForce = new Promise<void>((resolve, reject) => {
    const seen = (chunk: Buffer) => {
      output += chunk.toString();
      if (/fault: prometheus killed/.test(output)) resolve();
    };
    command.stdout.on('data', seen);
    command.stderr.on('data', seen);
    command.on('exit', (code) => reject(new Error(`the fault command ended (${code}) before the fault:\n${output}`)));
  });
  const ended = new Promise<number | null>((resolve) => command.on('exit', (code) => resolve(code)));
  try {
    await inForce;
    await expect(page.getByTestId('wall-stale')).toContainText('Prometheus unreachable', { timeout: 10_000 });
    await expect(page.getByTestId('wall-stale')).toContainText(/Data \d+ s old/);
    await expect(page.getByTestId('wall')).toHaveAttribute('data-stale', 'true');
    await page.screenshot({ path: 'docs/wall-prometheus-down.png' });
    await expect(page.getByTestId('wall-stale')).toHaveCount(0, { timeout: 90_000 });
    await expect(page.getByTestId('wall')).toHaveAttribute('data-stale', 'false');
    expect(output).toMatch(/starting prometheus again/);
  } finally {
    // The command waits for the whole sandbox to be healthy again before it exits; it restarted Prometheus already.
    const code = await Promise.race([ended, new Promise<'running'>((r) => setTimeout(() => r('running'), 120_000))]);
    if (code === 'running' && command.pid) process.kill(-command.pid, 'SIGTERM');
  }
});
