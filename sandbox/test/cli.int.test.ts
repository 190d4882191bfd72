import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { paths, repoRoot } from '@/sandbox/lib/config';
import { startFault } from '@/sandbox/lib/faults';
import { runningRecord } from '@/sandbox/lib/processes';
import { core, freshTag, release, waitFor } from '@/test/sandbox';

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'sandbox', 'cli.ts'), ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('sandbox CLI', () => {
  it('status --json prints one object with every component ready and the documented keys', async () => {
    const { code, stdout } = await cli(['status', '--json']);
    expect(code).toBe(0);
    const status = JSON.parse(stdout) as {
      running: boolean;
      kubeconfig: string;
      apiServerUrl: string;
      prometheusUrl: string;
      components: Record<string, { state: string; pid: number | null }>;
    };
    expect(status.running).toBe(true);
    expect(status.kubeconfig).toBe(paths.kubeconfig);
    expect(status.apiServerUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(status.prometheusUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Object.keys(status.components)).toEqual([
      'etcd',
      'kube-apiserver',
      'kube-controller-manager',
      'kube-scheduler',
      'kwok',
      'argo-rollouts',
      'traffic-simulator',
      'prometheus',
      'identity-provider',
    ]);
    for (const [name, component] of Object.entries(status.components)) {
      expect(component.state, name).toBe('ready');
      expect(component.pid, name).toBeGreaterThan(0);
    }
  });

  it('up refuses a taken port with a clear message and a non-zero exit, starting nothing', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as AddressInfo).port;
    const dir = await mkdtemp(join(tmpdir(), 'aviary-sandbox-'));
    try {
      const { code, stderr } = await cli(['up'], { AVIARY_SANDBOX_DIR: dir, AVIARY_SANDBOX_ETCD_PORT: String(port) });
      expect(code).toBe(1);
      expect(stderr).toContain(`Port ${port} for etcd is taken`);
      const after = await cli(['status', '--json'], { AVIARY_SANDBOX_DIR: dir });
      expect(Object.values((JSON.parse(after.stdout) as { components: Record<string, { state: string }> }).components).every((c) => c.state === 'stopped')).toBe(true);
    } finally {
      blocker.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects a malformed port setting and a malformed release target', async () => {
    const badPort = await cli(['status'], { AVIARY_SANDBOX_PROMETHEUS_PORT: 'ninety' });
    expect(badPort.code).not.toBe(0);
    expect(badPort.stderr).toContain('AVIARY_SANDBOX_PROMETHEUS_PORT must be a port number');
    const badTarget = await cli(['release', 'checkout', 'v2']);
    expect(badTarget.code).toBe(1);
    expect(badTarget.stderr).toContain('expected <namespace>/<name>');
  });

  it('up on a partly running sandbox restarts what stopped, says so, and reports a workload that does not settle without failing', async () => {
    // Leave search/suggest moving for good: its new pods cannot pull their image.
    await release('search/suggest', freshTag('v0.11', '-pullfail'));
    const simulator = await runningRecord('traffic-simulator');
    expect(simulator).toBeDefined();
    process.kill(simulator?.pid ?? 0, 'SIGKILL');
    await startFault({ name: 'prometheus-down' }, () => undefined);

    const { code, stdout, stderr } = await cli(['up'], { AVIARY_SANDBOX_SETTLE_SECONDS: '15' });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/traffic-simulator\s+restarted/);
    expect(stdout).toContain('restarted what had stopped: traffic-simulator, prometheus');
    expect(stdout).toMatch(/kube-apiserver\s+already running/);
    expect(stdout).toMatch(/Deployment search\/suggest \(still moving\) — .*Progressing/);

    await release('search/suggest', freshTag('v0.12'));
    await waitFor('suggest to run only Ready pods again', async () => {
      const pods = (await core.listNamespacedPod({ namespace: 'search', labelSelector: 'app=suggest' })).items;
      const ready = pods.every((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
      return pods.length > 0 && ready ? true : undefined;
    }, { timeoutMs: 120_000, intervalMs: 1000 });
  });

  it('the laptop-sleep scenario: the API server gone for 40 s (past the node grace period), then `sandbox:up` brings every demo pod back Ready, none recreated', async () => {
    const demoPods = async () => {
      const pods = [];
      for (const namespace of ['shop', 'search']) pods.push(...(await core.listNamespacedPod({ namespace })).items);
      return pods.filter((p) => !p.metadata?.deletionTimestamp);
    };
    const ready = (p: Awaited<ReturnType<typeof demoPods>>[number]) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
    // Earlier tests leave releases moving (a Deployment rolling, an aborted canary scaled down 30 s
    // after its abort): those pods go for reasons of their own. Start once the set of pods has held
    // still for 35 s, so a pod gone afterwards was lost to the outage.
    let stable = { key: '', since: Date.now() };
    await waitFor('the demo pods to hold still', async () => {
      const key = (await demoPods()).map((p) => `${p.metadata?.uid}:${ready(p)}`).sort().join(',');
      if (key !== stable.key) stable = { key, since: Date.now() };
      return Date.now() - stable.since >= 35_000 ? true : undefined;
    }, { timeoutMs: 180_000, intervalMs: 1000 });
    const before = (await demoPods()).filter(ready);
    expect(before.length).toBeGreaterThan(0);
    const outage = await startFault({ name: 'apiserver-down' }, () => undefined);
    try {
      await new Promise((r) => setTimeout(r, 40_000));
      const { code, stdout, stderr } = await cli(['up'], { AVIARY_SANDBOX_SETTLE_SECONDS: '60' });
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(stdout).toMatch(/kube-apiserver\s+restarted/);
      expect(stdout).toContain('kwok (after the API server)');
      console.log(`[laptop-sleep] sandbox:up said:\n${stdout}`);
    } finally {
      await outage.restore(); // already running again: a no-op that clears the fault's own timer
    }
    const uids = new Set(before.map((p) => p.metadata?.uid));
    const started = Date.now();
    let last = '';
    await waitFor('every pod Ready before the outage to be Ready again', async () => {
      const now = (await demoPods()).filter((p) => uids.has(p.metadata?.uid));
      const notReady = now.filter((p) => !ready(p)).map((p) => `${p.metadata?.namespace}/${p.metadata?.name} on ${p.spec?.nodeName}`);
      const line = `${uids.size - now.length} gone, not Ready: ${notReady.join(', ') || 'none'}`;
      if (line !== last) console.log(`[laptop-sleep] +${((Date.now() - started) / 1000).toFixed(1)} s after up: ${line}`);
      last = line;
      return now.length === uids.size && notReady.length === 0 ? true : undefined;
    }, { timeoutMs: 60_000, intervalMs: 1000 });
  });
});
