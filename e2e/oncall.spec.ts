import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@/e2e/fixtures';
import { aviaryServerEnv } from '@/sandbox/lib/aviary-env';
import { urls } from '@/sandbox/lib/config';
import { core, custom, getRollout, waitFor } from '@/test/sandbox';

/**
 * On-call paging end to end with two real Aviary servers (`node server.mjs`, on AVIARY_E2E_PORT + 1 and + 2,
 * the production build) watching the sandbox — no browser involved in the paging. PagerDuty and
 * Slack are one receiver on 127.0.0.1 started here. A bad canary pages exactly once; killing the
 * replica that holds the Lease (SIGKILL, no goodbye) hands sending over to the other, which resolves
 * once after recovery and never re-sends the trigger; the status page (/api/oncall) shows it all.
 * Then PagerDuty answers 500: the /oncall page shows the failed delivery with its reason and count.
 *
 * The two replicas name their cluster `oncall-e2e` (AVIARY_CLUSTERS) and use a Lease of their own,
 * so the e2e server on AVIARY_E2E_PORT (which pages nobody: no routing key) is not part of the pair.
 */
const NS = `e2e-oncall-${Date.now().toString(36)}`;
const NAME = 'bad-canary';
const ARGO = { group: 'argoproj.io', version: 'v1alpha1' } as const;
const LEASE = `oncall-e2e-${Date.now().toString(36)}`;
// Next to the e2e server's own port, so that parallel checkouts with their own AVIARY_E2E_PORT never collide.
const E2E_PORT = Number(process.env.AVIARY_E2E_PORT ?? 3100);
const PORTS = [E2E_PORT + 1, E2E_PORT + 2];

test.describe.configure({ mode: 'serial' });

interface Received {
  path: string;
  body: Record<string, unknown>;
}
const received: Received[] = [];
let receiver: Server;
const servers = new Map<number, ChildProcess>();
/** What the PagerDuty receiver answers (a test makes it fail). */
let pdStatus = 202;

function startReplica(port: number, base: string): ChildProcess {
  const child = spawn(process.execPath, ['server.mjs'], {
    env: {
      ...process.env,
      ...aviaryServerEnv(port),
      PORT: String(port),
      NEXT_TELEMETRY_DISABLED: '1',
      AVIARY_CLUSTERS: 'oncall-e2e=aviary-sandbox',
      AVIARY_NAMESPACES: NS,
      AVIARY_PAGERDUTY_EVENTS_URL: `${base}/pd/v2/enqueue`,
      AVIARY_PAGERDUTY_ROUTING_KEY: 'R0E2EROUTINGKEY',
      AVIARY_SLACK_WEBHOOK_URL: `${base}/slack`,
      AVIARY_ONCALL_LEASE_NAME: LEASE,
      AVIARY_ONCALL_LEASE_SECONDS: '4',
      AVIARY_ONCALL_IDENTITY: `replica-${port}`,
      AVIARY_ONCALL_RETRY_BASE_MS: '50',
      AVIARY_RUNBOOK_HOOKS: JSON.stringify({ 'flags-off': { kind: 'launchdarkly-flag-off', url: `${base}/flags/api/v2/flags/default`, environmentKey: 'production' } }),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.on('data', () => undefined);
  servers.set(port, child);
  return child;
}

const pd = (action: string) => received.filter((r) => r.path === '/pd/v2/enqueue' && r.body.event_action === action);
const slack = () => received.filter((r) => r.path === '/slack');
const holder = async () => ((await custom.getNamespacedCustomObject({ group: 'coordination.k8s.io', version: 'v1', namespace: 'aviary', plural: 'leases', name: LEASE })) as { spec?: { holderIdentity?: string | null } }).spec?.holderIdentity ?? null;
const settle = () => new Promise((r) => setTimeout(r, 8000));

async function setImage(tag: string): Promise<void> {
  await custom.patchNamespacedCustomObject({ ...ARGO, namespace: NS, plural: 'rollouts', name: NAME, body: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: `registry.example.com/oncall/app:${tag}` }] });
}

test.beforeAll(async () => {
  test.setTimeout(600_000);
  receiver = createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: text ? (JSON.parse(text) as Record<string, unknown>) : {} });
      const status = req.url === '/pd/v2/enqueue' ? pdStatus : 200;
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(status < 300 ? '{"status":"success"}' : '{"status":"error"}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

  await core.createNamespace({ body: { metadata: { name: NS } } });
  // Release managers may read this namespace: alice's status page shows its incidents (and only because of this).
  await custom.createNamespacedCustomObject({ group: 'rbac.authorization.k8s.io', version: 'v1', namespace: NS, plural: 'rolebindings', body: {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'view' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'aviary-viewer' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'release-managers' }],
  } });
  await custom.createNamespacedCustomObject({ ...ARGO, namespace: NS, plural: 'analysistemplates', body: {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisTemplate', metadata: { name: 'error-rate' },
    spec: { metrics: [{ name: 'error-rate', initialDelay: '10s', interval: '5s', count: 4, successCondition: 'result[0] < 0.05', failureLimit: 0, provider: { prometheus: { address: urls.prometheus, query: `sum(rate(http_requests_total{namespace="${NS}",service="${NAME}-canary",status=~"5.."}[20s])) / sum(rate(http_requests_total{namespace="${NS}",service="${NAME}-canary"}[20s]))` } } }] },
  } });
  for (const side of ['canary', 'stable']) {
    await core.createNamespacedService({ namespace: NS, body: { metadata: { name: `${NAME}-${side}`, annotations: { 'sandbox.aviary.dev/requests-per-second': '20' } }, spec: { selector: { app: NAME }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } } });
  }
  await custom.createNamespacedCustomObject({ ...ARGO, namespace: NS, plural: 'rollouts', body: {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: NAME, annotations: { 'aviary.dev/runbook-hook': 'flags-off', 'aviary.dev/feature-flag': 'new-checkout' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: NAME } },
      strategy: { canary: { canaryService: `${NAME}-canary`, stableService: `${NAME}-stable`, steps: [{ setWeight: 50 }, { analysis: { templates: [{ templateName: 'error-rate' }] } }, { pause: {} }] } },
      template: { metadata: { labels: { app: NAME } }, spec: { containers: [{ name: 'app', image: 'registry.example.com/oncall/app:v1' }] } },
    },
  } });
  await waitFor(`${NAME} Healthy`, async () => ((await getRollout(NS, NAME)).status?.phase === 'Healthy' ? true : undefined), { timeoutMs: 180_000, intervalMs: 1000 });
  for (const port of PORTS) startReplica(port, base);
  for (const port of PORTS) {
    await waitFor(`replica ${port} up`, async () => ((await fetch(`http://127.0.0.1:${port}/api/healthz`).then((r) => r.status, () => 0)) === 200 ? true : undefined), { timeoutMs: 120_000, intervalMs: 1000 });
  }
  await waitFor('one replica to hold the on-call Lease', async () => {
    const h = await holder().catch(() => null);
    return h && PORTS.some((p) => h === `replica-${p}`) ? h : undefined;
  }, { timeoutMs: 60_000, intervalMs: 500 });
});

test.afterAll(async () => {
  for (const child of servers.values()) if (child.exitCode === null) child.kill('SIGTERM');
  receiver?.close();
  await core.deleteNamespace({ name: NS }).catch(() => undefined);
  await custom.deleteNamespacedCustomObject({ group: 'coordination.k8s.io', version: 'v1', namespace: 'aviary', plural: 'leases', name: LEASE }).catch(() => undefined);
});

test('a bad canary pages exactly once from two replicas; killing the sender hands over; one resolve after recovery', async ({ request }) => {
  test.setTimeout(480_000);
  await setImage('v2-errors');
  const trigger = await waitFor('the PagerDuty trigger', async () => pd('trigger')[0], { timeoutMs: 180_000, intervalMs: 500 });
  const key = String(trigger.body.dedup_key);
  expect(key).toMatch(new RegExp(`^aviary/oncall-e2e/${NS}/rollout/${NAME}/\\d+$`));
  expect(trigger.body).toMatchObject({ routing_key: 'R0E2EROUTINGKEY', payload: { component: NAME, source: `oncall-e2e/${NS}`, group: 'progressive-delivery' } });
  await settle();
  expect(pd('trigger')).toHaveLength(1);
  expect(slack()).toHaveLength(1);

  // The sender dies without a word (SIGKILL): the other replica takes the Lease once it expires.
  const sender = await holder();
  const senderPort = PORTS.find((p) => sender === `replica-${p}`);
  if (!senderPort) throw new Error(`unexpected Lease holder ${sender}`);
  const survivor = `replica-${PORTS.find((p) => p !== senderPort)}`;
  servers.get(senderPort)?.kill('SIGKILL');
  await waitFor('the survivor to take the Lease', async () => ((await holder()) === survivor ? true : undefined), { timeoutMs: 60_000, intervalMs: 500 });
  await settle();
  // It knows from the cluster that the trigger went out: nothing is sent again.
  expect(pd('trigger')).toHaveLength(1);

  await setImage('v1');
  await waitFor(`${NAME} Healthy again`, async () => ((await getRollout(NS, NAME)).status?.phase === 'Healthy' ? true : undefined), { timeoutMs: 180_000, intervalMs: 1000 });
  await waitFor('the resolve', async () => pd('resolve')[0], { timeoutMs: 60_000, intervalMs: 500 });
  await settle();
  expect(pd('resolve')).toHaveLength(1);
  expect(pd('resolve')[0].body).toEqual({ routing_key: 'R0E2EROUTINGKEY', event_action: 'resolve', dedup_key: key });
  expect(pd('trigger')).toHaveLength(1);
  expect(slack()).toHaveLength(2);

  // The status page (signed in as alice on the e2e server) shows the incident and who delivered what.
  const status = await request.get('/api/oncall');
  expect(status.status()).toBe(200);
  const body = (await status.json()) as { incidents: { dedupKey: string; state: string; deliveries: { channel: string; action: string; state: string; sender: string | null }[] }[] };
  const incident = body.incidents.find((i) => i.dedupKey === key);
  expect(incident?.state).toBe('resolved');
  expect(incident?.deliveries.map((d) => `${d.channel} ${d.action} ${d.state}`).sort()).toEqual([
    'pagerduty resolve delivered',
    'pagerduty trigger delivered',
    'slack resolve delivered',
    'slack trigger delivered',
  ]);
  expect(incident?.deliveries.filter((d) => d.action === 'resolve').every((d) => d.sender === survivor)).toBe(true);
  expect(incident?.deliveries.filter((d) => d.action === 'trigger').every((d) => d.sender === sender)).toBe(true);
});

test('a receiver answering 500: the /oncall page shows the failed delivery, its reason and attempts (light, dark, wide, narrow)', async ({ page }) => {
  test.setTimeout(480_000);
  const before = pd('trigger').length;
  pdStatus = 500;
  await setImage('v3-errors');
  // Five attempts in one round (backoff 50 ms base), then the delivery is recorded as failed for a later round.
  await waitFor('five failed PagerDuty attempts', async () => (pd('trigger').length >= before + 5 ? true : undefined), { timeoutMs: 180_000, intervalMs: 500 });
  await page.goto('/oncall');
  const failure = page.getByTestId('oncall-failure').filter({ hasText: `${NS}/${NAME}` });
  await expect(failure).toContainText('PagerDuty trigger FAILED', { timeout: 30_000 });
  await expect(failure).toContainText('answered 500');
  // Five attempts per round (a slow machine may already be in the next round, 30 s later).
  await expect(failure.getByTestId('oncall-failure-detail')).toContainText(/^(5 attempts in 1 round|10 attempts in 2 rounds) by replica-\d+/);
  await expect(failure).toContainText('next round');
  await expect(page.getByTestId('oncall-failures').getByRole('heading')).toContainText(/Failures \(\d+\)/);
  // (The e2e server pages nobody but keeps its own open incident for its own cluster name: two entries, one of them paged.)
  await expect(page.getByTestId('oncall-incident').filter({ hasText: `${NS}/${NAME}` }).filter({ hasText: 'PagerDuty trigger: FAILED' })).toHaveCount(1);
  await expect(page.getByTestId('oncall-lease')).toContainText('This replica');
  await expect(page.getByTestId('oncall-delivery').filter({ hasText: `${NS}/${NAME}` }).first()).toBeVisible();
  // The incident links to its rollout page.
  await expect(failure.getByRole('link', { name: `${NS}/${NAME}` })).toHaveAttribute('href', `/rollouts/oncall-e2e/${NS}/${NAME}`);
  for (const [scheme, width] of [['light', 1280], ['dark', 1280], ['dark', 390], ['light', 390]] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width, height: 900 });
    // The theme follows the system's scheme when the page loads.
    await page.goto('/oncall');
    await expect(failure).toContainText('answered 500', { timeout: 30_000 });
    await page.screenshot({ path: `docs/oncall-${width < 600 ? 'narrow-' : ''}${scheme}.png`, fullPage: true });
  }
  // The header links here from every page.
  await page.goto('/');
  await page.getByRole('link', { name: 'On call' }).click();
  await expect(page).toHaveURL(/\/oncall$/, { timeout: 30_000 });
  await expect(page.getByTestId('oncall-page')).toBeVisible();

  // Recover for whatever runs next: the receiver works again and the release goes back to v1.
  pdStatus = 202;
  await setImage('v1');
  await waitFor(`${NAME} Healthy again`, async () => ((await getRollout(NS, NAME)).status?.phase === 'Healthy' ? true : undefined), { timeoutMs: 180_000, intervalMs: 1000 });
});

test('the rollout page’s action history shows the runbook hook as Aviary acting by itself, next to people', async ({ page }) => {
  test.setTimeout(180_000);
  // Two bad releases above, two hooks (the flag service answered 200 both times), each recorded once.
  expect(received.filter((r) => r.path === '/flags/api/v2/flags/default/new-checkout')).toHaveLength(2);
  const history = page.getByTestId(`rollout-${NS}-${NAME}-history`);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`/rollouts/aviary-sandbox/${NS}/${NAME}`);
    // The pair's two hooks; the e2e server is a second Aviary watching this namespace without the hook
    // configured, so its own incidents add "not configured" records (once each, too).
    const hooks = history.locator('li[data-actor="aviary"][data-result="delivered"]');
    await expect(hooks).toHaveCount(2, { timeout: 30_000 });
    await expect(history.locator('li[data-actor="aviary"]:not([data-result="delivered"])')).toHaveCount(2);
    await expect(hooks.first()).toContainText('automatic');
    await expect(hooks.first()).toContainText('aviary (runbook hook): Runbook hook flags-off: turn feature flag new-checkout off in production (PATCH 127.0.0.1');
    await expect(hooks.first()).toContainText('delivered (HTTP 200, 1 attempt)');
    await expect(hooks.first()).toHaveAttribute('data-result', 'delivered');
    await history.scrollIntoViewIfNeeded();
    await history.locator('xpath=..').screenshot({ path: `docs/runbook-history-${scheme}.png` });
  }
});
