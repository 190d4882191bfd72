import type { Browser, Page } from '@playwright/test';
import { expect, test } from '@/e2e/fixtures';
import { signedInContext } from '@/e2e/sign-in';
import { cli } from '@/test/argo-cli';
import { core, custom, getRollout, waitFor } from '@/test/sandbox';

/**
 * Release approvals end to end, through the sandbox provider's real sign-in, on a rollout of this
 * spec's own (checkout, which the other specs promote by hand, is gated only by `npm run demo`):
 * alice asks, cannot approve herself, bob approves, the quorum of two needs dana too and the rollout
 * moves only then; `kubectl argo rollouts promote` is refused by admission; a new revision voids a
 * pending request; two approvers at once both count once; /approvals and the header update live.
 */
const CLUSTER = 'aviary-sandbox';
const NS = `e2e-approvals-${Date.now().toString(36)}`;
const NAME = 'gated';
const ARGO = { group: 'argoproj.io', version: 'v1alpha1' };
const PAGE = `/rollouts/${CLUSTER}/${NS}/${NAME}`;

test.describe.configure({ mode: 'serial' });

async function setImage(tag: string): Promise<void> {
  await custom.patchNamespacedCustomObject(
    { ...ARGO, namespace: NS, plural: 'rollouts', name: NAME, body: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: `registry.example.com/approvals/app:${tag}` }] },
  );
}

/** The rollout rests at its gated pause (step 1) with a revision other than `notHash`. */
const atGate = (notHash?: string) =>
  waitFor('the rollout to wait at the gated step 1', async () => {
    const r = await getRollout(NS, NAME);
    const paused = r.status?.currentStepIndex === 1 && (r.status.pauseConditions ?? []).some((c) => c.reason === 'CanaryPauseStep');
    return paused && r.status?.currentPodHash !== notHash ? r : undefined;
  }, { timeoutMs: 120_000, intervalMs: 1000 });

async function person(browser: Browser, username: string): Promise<Page> {
  const { page } = await signedInContext(() => browser.newContext({ storageState: { cookies: [], origins: [] } }), username, '/approvals');
  return page;
}

const card = (page: Page) => page.locator('[data-testid^="approval-"][data-state]').first();

test.beforeAll(async () => {
  await core.createNamespace({ body: { metadata: { name: NS } } });
  for (const [name, role] of [['view', 'aviary-viewer'], ['release', 'aviary-release-manager']] as const) {
    await custom.createNamespacedCustomObject({ group: 'rbac.authorization.k8s.io', version: 'v1', namespace: NS, plural: 'rolebindings', body: {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'release-managers' }],
    } });
  }
  await custom.createNamespacedCustomObject({ ...ARGO, namespace: NS, plural: 'rollouts', body: {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout',
    metadata: { name: NAME, annotations: { 'approvals.aviary.dev/gate': 'steps:1', 'approvals.aviary.dev/approvers': 'group:release-managers', 'approvals.aviary.dev/quorum': '2' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: NAME } },
      strategy: { canary: { steps: [{ setWeight: 25 }, { pause: {} }, { setWeight: 50 }, { pause: { duration: '1s' } }] } },
      template: { metadata: { labels: { app: NAME } }, spec: { containers: [{ name: 'app', image: 'registry.example.com/approvals/app:v1' }] } },
    },
  } });
  await waitFor('the gated rollout healthy', async () => ((await getRollout(NS, NAME)).status?.phase === 'Healthy' ? true : undefined), { timeoutMs: 120_000, intervalMs: 1000 });
});

test.afterAll(async () => {
  await core.deleteNamespace({ name: NS }).catch(() => undefined);
});

test('alice asks, cannot approve herself; bob approves; only dana’s approval moves the rollout on — the CLI is refused meanwhile', async ({ page, browser, pageHealth }) => {
  test.setTimeout(300_000);
  // The refused self-approval below is a deliberate 403.
  pageHealth.allow(/403 POST .*\/api\/approvals\/decision/);
  await setImage('v2');
  await atGate();
  await page.goto(PAGE);
  const gate = page.getByTestId('approval-gate');
  await expect(gate).toContainText('step 1 waits for release approval: 2 of group release-managers', { timeout: 60_000 });
  await expect(page.locator(`[data-testid="actions-${NS}-${NAME}"] [data-action="promote"]`)).toHaveCount(0);
  // "Why is it stuck?" tells the same story as the gate: approvals, not a plain manual promotion.
  const diagnosis = page.getByTestId(`rollout-${NS}-${NAME}-diagnosis`);
  await expect(diagnosis).toContainText('Waiting for release approval at step 1: 0 of 2 approvals, nobody has asked yet');
  await expect(diagnosis).toContainText('approval policy on the Rollout: 2 of group release-managers');
  await gate.getByRole('button', { name: 'Request approval' }).click();
  await page.getByLabel('Reason').fill('v2 looks good at 25 %');
  await page.getByRole('button', { name: 'Send request' }).click();
  await expect(page.getByTestId('approval-request-outcome')).toHaveAttribute('data-outcome', 'accepted', { timeout: 30_000 });
  await expect(diagnosis).toContainText('0 of 2 approvals, requested by alice', { timeout: 30_000 });

  await page.goto('/approvals');
  await expect(card(page)).toHaveAttribute('data-state', 'pending', { timeout: 30_000 });
  await expect(card(page)).toContainText('alice asked');
  await expect(card(page)).toContainText('You asked for this promotion: someone else must approve it');
  await expect(page.getByTestId('approvals-count')).toHaveAttribute('data-count', '1');
  // The server refuses it too, whatever the page offers.
  const name = ((await card(page).getAttribute('data-testid')) ?? '').replace(`approval-${NS}-`, '');
  const me = (await (await page.request.get('/api/me')).json()) as { csrfToken: string };
  const self = await page.request.post('/api/approvals/decision', {
    data: { cluster: CLUSTER, namespace: NS, approval: name, verdict: 'approve', comment: null },
    headers: { 'Content-Type': 'application/json', Origin: new URL(page.url()).origin, 'X-Aviary-CSRF': me.csrfToken },
  });
  expect(self.status()).toBe(403);
  expect(((await self.json()) as { error: { message: string } }).error.message).toBe('you asked for this promotion: someone else must approve it');

  const bob = await person(browser, 'bob');
  await card(bob).getByRole('button', { name: 'Approve' }).click();
  await expect(bob.getByTestId('approval-outcome')).toHaveText('Approved (1 of 2)', { timeout: 30_000 });
  // alice's open page follows without a reload.
  await expect(card(page).getByTestId(`approval-${NS}-${name}-count`)).toHaveText('1 of 2 approvals');
  expect((await getRollout(NS, NAME)).status?.currentStepIndex).toBe(1);

  // Nobody gets round it with the CLI, not even with the admin kubeconfig.
  await expect(cli(['promote', NAME, '-n', NS])).rejects.toThrow(/denied request: .* waits for release approval at step 1/);
  await expect(cli(['promote', NAME, '-n', NS, '--full'])).rejects.toThrow(/a full promotion would skip a gated step/);

  const dana = await person(browser, 'dana');
  await card(dana).getByRole('button', { name: 'Approve' }).click();
  await expect(dana.getByTestId('approval-outcome')).toContainText(`Quorum met: ${NS}/${NAME} promoted past step 1`, { timeout: 30_000 });
  await waitFor('the rollout past step 1', async () => ((await getRollout(NS, NAME)).status?.currentStepIndex ?? 0) > 1 || undefined, { timeoutMs: 60_000 });
  // On alice's page the request leaves "Waiting" and the header count drops, live.
  await expect(page.getByTestId('approvals-empty')).toBeVisible();
  await expect(page.getByTestId('approvals-count')).toHaveAttribute('data-count', '0');
  await page.getByRole('button', { name: 'Promoted' }).click();
  await expect(card(page)).toContainText('Promotion sent as alice');
  await expect(card(page)).toContainText('approved by bob, dana');
});

test('a new revision voids a pending approval', async ({ page, browser }) => {
  test.setTimeout(300_000);
  await waitFor('v2 fully promoted', async () => ((await getRollout(NS, NAME)).status?.phase === 'Healthy' ? true : undefined), { timeoutMs: 120_000, intervalMs: 1000 });
  await setImage('v3');
  const v3 = await atGate();
  await page.goto(PAGE);
  await page.getByTestId('approval-gate').getByRole('button', { name: 'Request approval' }).click();
  await page.getByRole('button', { name: 'Send request' }).click();
  await expect(page.getByTestId('approval-request-outcome')).toHaveAttribute('data-outcome', 'accepted', { timeout: 30_000 });
  const bob = await person(browser, 'bob');
  await card(bob).getByRole('button', { name: 'Approve' }).click();
  await expect(bob.getByTestId('approval-outcome')).toHaveText('Approved (1 of 2)', { timeout: 30_000 });
  await bob.getByRole('button', { name: 'All' }).click();
  await setImage('v4');
  await atGate(v3.status?.currentPodHash);
  await expect(card(bob)).toHaveAttribute('data-state', 'void', { timeout: 30_000 });
  await expect(card(bob)).toContainText('a new revision was released');
});

test('two approvers at once both count, exactly once', async ({ page, browser }) => {
  test.setTimeout(300_000);
  await atGate();
  await page.goto(PAGE);
  await page.getByTestId('approval-gate').getByRole('button', { name: 'Request approval' }).click();
  await page.getByRole('button', { name: 'Send request' }).click();
  await expect(page.getByTestId('approval-request-outcome')).toHaveAttribute('data-outcome', 'accepted', { timeout: 30_000 });
  const [bob, dana] = await Promise.all([person(browser, 'bob'), person(browser, 'dana')]);
  await Promise.all([bob, dana].map((p) => expect(card(p)).toHaveAttribute('data-state', 'pending')));
  await Promise.all([card(bob).getByRole('button', { name: 'Approve' }).click(), card(dana).getByRole('button', { name: 'Approve' }).click()]);
  const outcomes = await Promise.all([bob, dana].map(async (p) => {
    await expect(p.getByTestId('approval-outcome')).toHaveAttribute('data-outcome', 'accepted', { timeout: 30_000 });
    return p.getByTestId('approval-outcome').textContent();
  }));
  expect(outcomes.filter((o) => o?.startsWith('Quorum met'))).toHaveLength(1);
  await waitFor('the rollout past step 1', async () => ((await getRollout(NS, NAME)).status?.currentStepIndex ?? 0) > 1 || undefined, { timeoutMs: 60_000 });
  await page.goto('/approvals');
  await page.getByRole('button', { name: 'Promoted' }).click();
  // Whichever write landed first is listed first: both count, once each.
  await expect(card(page)).toContainText(/approved by (bob, dana|dana, bob)/);
  await expect(card(page).getByText(/^Approved$/)).toHaveCount(2);
});
