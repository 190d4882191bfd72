/**
 * Heap over time of the wall under simulated releases: `npx tsx scripts/wall-soak.ts [minutes] [out.jsonl]`
 * (default 15 minutes; samples also appended to out.jsonl when given) against a running sandbox
 * (the AVIARY_SANDBOX_* environment) and a production build (AVIARY_DIST_DIR). It starts
 * `node server.mjs` on AVIARY_SOAK_PORT (else AVIARY_E2E_PORT; the sandbox's sign-in provider must
 * know the port: start the sandbox with PORT set to it), signs alice in through
 * the sandbox's provider, opens /wall for a namespace of 30 Rollouts in Chromium at 1920×1080, and
 * releases three of them every 20 s (one of them aborted by a person and retried every minute),
 * sampling once a minute: the page's JS heap after a forced GC, its DOM nodes and event listeners,
 * and the server's RSS. Prints JSON lines and a summary; everything it started is stopped at the end.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { aviaryServerEnv } from '@/sandbox/lib/aviary-env';
import { findUser } from '@/sandbox/oidc/users';
import { cli } from '@/test/argo-cli';
import { core, custom, waitFor } from '@/test/sandbox';

const minutes = Number(process.argv[2] ?? 15);
const out = process.argv[3] ?? null;
const port = Number(process.env.AVIARY_SOAK_PORT ?? process.env.AVIARY_E2E_PORT ?? 3100);
const record = (line: object) => {
  console.log(JSON.stringify(line));
  if (out) appendFileSync(out, `${JSON.stringify(line)}\n`);
};
const NS = `soak-wall-${Date.now().toString(36)}`;
const ARGO = { group: 'argoproj.io', version: 'v1alpha1' } as const;
const NAMES = Array.from({ length: 30 }, (_, i) => `app-${String(i + 1).padStart(2, '0')}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function rssKb(pid: number): number {
  const match = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) : 0;
}

async function main(): Promise<void> {
  await core.createNamespace({ body: { metadata: { name: NS } } });
  await custom.createNamespacedCustomObject({ group: 'rbac.authorization.k8s.io', version: 'v1', namespace: NS, plural: 'rolebindings', body: {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'view' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'aviary-viewer' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'release-managers' }],
  } });
  for (const name of NAMES) {
    await custom.createNamespacedCustomObject({ ...ARGO, namespace: NS, plural: 'rollouts', body: {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name },
      spec: { replicas: 1, selector: { matchLabels: { app: name } }, strategy: { canary: { steps: [{ setWeight: 50 }, { pause: { duration: '10s' } }] } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: `registry.example.com/soak/${name}:v0` }] } } },
    } });
  }
  const server = spawn(process.execPath, ['server.mjs'], { env: { ...process.env, ...aviaryServerEnv(port), PORT: String(port), NEXT_TELEMETRY_DISABLED: '1' }, stdio: ['ignore', 'ignore', 'inherit'] });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    await waitFor('the server', async () => ((await fetch(`http://127.0.0.1:${port}/api/healthz`).then((r) => r.status, () => 0)) === 200 ? true : undefined), { timeoutMs: 120_000, intervalMs: 1000 });
    const context = await browser.newContext({ baseURL: `http://127.0.0.1:${port}`, viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    const user = findUser('alice');
    if (!user) throw new Error('no alice');
    await page.goto(`/auth/login?returnTo=${encodeURIComponent(`/wall?namespace=${NS}`)}`);
    await page.getByLabel('Username').fill(user.username);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('30 workloads').waitFor({ timeout: 60_000 });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const started = Date.now();
    let version = 0;
    let errors = 0;
    const errorTexts: string[] = [];
    page.on('console', (m) => {
      if (m.type() !== 'error') return;
      errors++;
      if (errorTexts.length < 20) errorTexts.push(`${Math.round((Date.now() - started) / 60_000)} min: ${m.text()}`);
    });
    const samples: { minute: number; heapMb: number; nodes: number; listeners: number; serverRssMb: number; stale: string | null; consoleErrors: number }[] = [];
    if (out) writeFileSync(out, '');
    const sample = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
      const metrics = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
      const metric = (n: string) => metrics.metrics.find((m) => m.name === n)?.value ?? 0;
      const s = {
        minute: Math.round((Date.now() - started) / 60_000),
        heapMb: +(heap.usedSize / 1048576).toFixed(2),
        nodes: metric('Nodes'),
        listeners: metric('JSEventListeners'),
        serverRssMb: +(rssKb(server.pid ?? 0) / 1024).toFixed(1),
        stale: await page.getByTestId('wall').getAttribute('data-stale'),
        consoleErrors: errors,
      };
      samples.push(s);
      record(s);
    };
    await sample();
    let nextSample = Date.now() + 60_000;
    while (Date.now() - started < minutes * 60_000) {
      version += 1;
      for (let i = 0; i < 3; i++) {
        const name = NAMES[(version * 3 + i) % NAMES.length];
        await custom.patchNamespacedCustomObject({ ...ARGO, namespace: NS, plural: 'rollouts', name, body: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: `registry.example.com/soak/${name}:v${version}` }] });
      }
      if (version % 3 === 0) {
        const victim = NAMES[(version * 3) % NAMES.length];
        await sleep(2000);
        await cli(['abort', victim, '-n', NS]).catch(() => undefined);
        await sleep(8000);
        await cli(['retry', 'rollout', victim, '-n', NS]).catch(() => undefined);
      }
      while (Date.now() < Math.min(nextSample, started + minutes * 60_000) && Date.now() < started + version * 20_000) await sleep(500);
      if (Date.now() >= nextSample) {
        await sample();
        nextSample += 60_000;
      }
    }
    await sample();
    const first = samples[1] ?? samples[0];
    const last = samples[samples.length - 1];
    const at = (minute: number) => samples.find((x) => x.minute >= minute) ?? last;
    record({ summary: true, minutes, releases: version * 3, aborts: Math.floor(version / 3), consoleErrors: errors, heapMbFrom: first.heapMb, heapMbTo: last.heapMb, heapMbMax: Math.max(...samples.map((s) => s.heapMb)), nodesFrom: first.nodes, nodesTo: last.nodes, listenersFrom: first.listeners, listenersTo: last.listeners, serverRssMbFrom: first.serverRssMb, serverRssMbTo: last.serverRssMb, heapMbAtHalf: at(minutes / 2).heapMb, serverRssMbMax: Math.max(...samples.map((x) => x.serverRssMb)), errorTexts });
  } finally {
    await browser.close();
    server.kill('SIGTERM');
    await core.deleteNamespace({ name: NS }).catch(() => undefined);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
