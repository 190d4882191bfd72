import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { paths, repoRoot, settleTimeoutMs, stateDir, urls } from './config';
import { ensureBuilt, type Toolchain } from './build';
import { components, type Component } from './components';
import { ensureNodes } from './scale';
import { kubectl, renderTemplate } from './kubectl';
import { ensurePki, identities, writeKubeconfig } from './pki';
import { ExitedError, isFrozen, isOurs, logFile, portIsFree, readState, runningRecord, startProcess, stopProcess, waitUntil } from './processes';
import { which } from './run';
import { demoWorkloads, type WorkloadHealth } from './workloads';

export type Log = (line: string) => void;

export class SandboxError extends Error {}

/** Checks what the sandbox needs from the machine, with the fix in the message. */
export async function preflight(): Promise<void> {
  const missing: string[] = [];
  if (!(await which('go'))) missing.push('Go (https://go.dev/dl/ — the sandbox builds Kubernetes from source)');
  if (!(await which('openssl'))) missing.push('openssl (apt-get install -y openssl)');
  if (!(await which('/usr/bin/prometheus'))) missing.push("Prometheus at /usr/bin/prometheus (apt-get install -y prometheus)");
  if (missing.length > 0) throw new SandboxError(`The sandbox needs:\n  - ${missing.join('\n  - ')}`);
}

type StartOutcome = 'already running' | 'started' | 'restarted';

async function startComponent(component: Component, toolchain: Toolchain, log: Log): Promise<StartOutcome> {
  const existing = await runningRecord(component.name);
  if (existing) {
    if (isFrozen(existing)) {
      process.kill(existing.pid, 'SIGCONT');
      log(`  ${component.name.padEnd(24)} was frozen (SIGSTOP): sent SIGCONT`);
    }
    await waitUntil(component.name, component.ready, component.readyTimeoutMs);
    log(`  ${component.name.padEnd(24)} already running (pid ${existing.pid})`);
    return 'already running';
  }
  // A record without its process means it was started before and has died or been killed since.
  const previous = (await readState()).processes[component.name];
  for (const port of component.ports) {
    // A process of ours stopped a moment ago (kwok restarted after the API server) can hold its
    // port briefly after it is gone: wait a few seconds before calling the port taken.
    const deadline = Date.now() + 5000;
    while (!(await portIsFree(port)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    if (!(await portIsFree(port))) {
      throw new SandboxError(
        `Port ${port} for ${component.name} is taken by another process. Stop it, or choose another port ` +
          `with AVIARY_SANDBOX_*_PORT (see sandbox/lib/config.ts).`,
      );
    }
  }
  await component.prepare?.(toolchain);
  const started = Date.now();
  let record = await startProcess(component.name, component.command(toolchain), component.args(toolchain), component.env?.());
  try {
    await waitUntil(component.name, component.ready, component.readyTimeoutMs);
  } catch (error) {
    // Once (CI, 2026-12-07) kwok ended at once with an empty log on a sandbox that had started it
    // fine a minute earlier and started it fine again right after. A component that dies before it is
    // ready gets one more start, said out loud; a second death is an error with its exit and log.
    if (!(error instanceof ExitedError)) throw error;
    log(`  ${component.name.padEnd(24)} ${error.message.split('. Last log lines')[0]}; starting it once more`);
    record = await startProcess(component.name, component.command(toolchain), component.args(toolchain), component.env?.());
    await waitUntil(component.name, component.ready, component.readyTimeoutMs);
  }
  const verb = previous ? `restarted (pid ${previous.pid} was gone)` : 'ready';
  log(`  ${component.name.padEnd(24)} ${verb} in ${((Date.now() - started) / 1000).toFixed(1)} s (pid ${record.pid})`);
  return previous ? 'restarted' : 'started';
}

/** Restarts a running component that must not outlive an API-server restart (see restartAfterApiserver). */
async function restartAfterApiserver(component: Component, toolchain: Toolchain, log: Log): Promise<void> {
  if (!(await runningRecord(component.name))) return;
  await stopProcess(component.name);
  log(`  ${component.name.padEnd(24)} restarting: its watches were backing off while the API server was away`);
  await startComponent(component, toolchain, log);
}

/**
 * Starts one stopped component again (fault recovery); a running one is left alone. After the API
 * server, kube-controller-manager and kwok are restarted too (see `restartAfterApiserver`), so the
 * controllers and the fake kubelets see the cluster now rather than a minute late.
 */
export async function restartComponent(name: string, log: Log): Promise<StartOutcome> {
  const component = components.find((c) => c.name === name);
  if (!component) throw new SandboxError(`no sandbox component named ${name}`);
  const toolchain = await ensureBuilt(log);
  const outcome = await startComponent(component, toolchain, log);
  if (name === 'kube-apiserver' && outcome === 'restarted') {
    for (const follower of components.filter((c) => c.restartAfterApiserver)) await restartAfterApiserver(follower, toolchain, log);
  }
  return outcome;
}

async function applyCluster(toolchain: Toolchain, log: Log): Promise<void> {
  await kubectl(toolchain, ['apply', '--server-side', '--force-conflicts', '-f', join(toolchain.argo.dir, 'crds')]);
  await kubectl(toolchain, ['apply', '--server-side', '--force-conflicts', '-f', toolchain.argo.asset('rbac/clusterrole.yaml')]);
  await kubectl(toolchain, ['apply', '--server-side', '--force-conflicts', '-f', join(paths.manifests, 'system')]);
  // More fake nodes than the base three when AVIARY_SANDBOX_NODES asks for them (scale benchmarks).
  await ensureNodes(toolchain);
  // Aviary's own CRDs (the audit trail), as deploy/ ships them.
  await kubectl(toolchain, ['apply', '--server-side', '--force-conflicts', '-f', join(repoRoot, 'deploy', 'crds')]);
  await kubectl(toolchain, ['wait', '--for=condition=Established', 'crd', '--all', '--timeout=60s']);
  // The admission policy that refuses passing a gated step without a met approval quorum.
  await kubectl(toolchain, ['apply', '--server-side', '--force-conflicts', '-f', join(repoRoot, 'deploy', 'admission')]);
  // Aviary's own identity, for a sandbox whose API server was started before that identity existed.
  const aviaryKubeconfig = paths.kubeconfigFor(identities.aviary.name);
  if (!existsSync(aviaryKubeconfig)) {
    await ensurePki();
    await writeKubeconfig(identities.aviary, aviaryKubeconfig);
  }
  log('  CRDs (Argo Rollouts, Istio VirtualService, SMI TrafficSplit, Aviary AuditRecord and ReleaseApproval), the release-approval admission policy, RBAC and fake nodes applied');
}

/** Creates the demo objects that do not exist yet; never resets what a user has changed since. */
async function applyDemo(toolchain: Toolchain, log: Log): Promise<void> {
  const dir = join(paths.manifests, 'demo');
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.yaml')).sort()) {
    const text = renderTemplate(await readFile(join(dir, file), 'utf8'), { PROMETHEUS_URL: urls.prometheus });
    const result = await kubectl(toolchain, ['create', '--save-config', '-f', '-'], { input: text, allowFailure: true });
    const errors = result.stderr.split('\n').filter((line) => line.trim() !== '' && !line.includes('AlreadyExists'));
    if (result.code !== 0 && errors.length > 0) throw new SandboxError(`applying ${file} failed:\n${errors.join('\n')}`);
  }
  log('  demo content present (namespaces shop, search)');
}

/**
 * Waits until the demo has settled: every workload Healthy, or resting Paused or Degraded — after
 * a restart a Rollout keeps whatever state the last session left, and that is the truth to show,
 * not something to wait out. A workload that does not settle is reported with its conditions but
 * does not fail `up`: the control plane itself is fine by the time we get here.
 */
async function waitForDemo(toolchain: Toolchain, log: Log): Promise<void> {
  const started = Date.now();
  const deadline = started + settleTimeoutMs;
  let workloads: WorkloadHealth[] = [];
  while (Date.now() < deadline) {
    workloads = await demoWorkloads(toolchain);
    if (workloads.length > 0 && workloads.every((w) => w.settled)) break;
    await new Promise((r) => setTimeout(r, 2000));
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const unhealthy = workloads.filter((w) => !w.healthy);
  if (unhealthy.length === 0) {
    log(`  demo workloads healthy in ${seconds} s`);
    return;
  }
  const verdict = unhealthy.every((w) => w.settled) ? 'settled, but not healthy' : 'did not settle';
  log(`  demo workloads after ${seconds} s: ${workloads.length - unhealthy.length} healthy; ${unhealthy.length} ${verdict}:`);
  for (const w of unhealthy) log(`    ${w.id}${w.settled ? '' : ' (still moving)'} — ${w.reason}`);
}

export interface UpOptions {
  waitForDemo?: boolean;
}

export async function up(log: Log, options: UpOptions = { waitForDemo: true }): Promise<Toolchain> {
  await preflight();
  const started = Date.now();
  const toolchain = await ensureBuilt(log);
  await mkdir(stateDir, { recursive: true });
  await ensurePki();
  log(`starting the sandbox (logs in ${paths.logs}):`);
  const restarted: string[] = [];
  for (const component of components) {
    if (component.restartAfterApiserver && restarted.includes('kube-apiserver') && (await runningRecord(component.name))) {
      await restartAfterApiserver(component, toolchain, log);
      restarted.push(`${component.name} (after the API server)`);
      continue;
    }
    const outcome = await startComponent(component, toolchain, log);
    if (outcome === 'restarted') restarted.push(component.name);
    if (component.name === 'kube-apiserver') await applyCluster(toolchain, log);
  }
  if (restarted.length > 0) log(`  restarted what had stopped: ${restarted.join(', ')}`);
  await applyDemo(toolchain, log);
  if (options.waitForDemo) await waitForDemo(toolchain, log);
  log(`sandbox up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return toolchain;
}

export async function down(log: Log): Promise<void> {
  for (const component of [...components].reverse()) {
    const outcome = await stopProcess(component.name);
    if (outcome === 'stopped') log(`  stopped ${component.name}`);
  }
}

export async function purge(log: Log): Promise<void> {
  await down(log);
  await rm(stateDir, { recursive: true, force: true });
  log(`  removed ${stateDir}`);
}

export interface ComponentStatus {
  state: 'ready' | 'not ready' | 'stopped';
  pid: number | null;
  endpoint: string | null;
  log: string;
}

export interface SandboxStatus {
  running: boolean;
  components: Record<string, ComponentStatus>;
  kubeconfig: string;
  apiServerUrl: string;
  prometheusUrl: string;
}

export async function status(): Promise<SandboxStatus> {
  const state = await readState();
  const result: Record<string, ComponentStatus> = {};
  for (const component of components) {
    const record = state.processes[component.name];
    const alive = record !== undefined && isOurs(record);
    let ready = false;
    if (alive) ready = await component.ready().catch(() => false);
    result[component.name] = {
      state: alive ? (ready ? 'ready' : 'not ready') : 'stopped',
      pid: alive ? record.pid : null,
      endpoint: component.endpoint ?? null,
      log: logFile(component.name),
    };
  }
  return {
    running: Object.values(result).every((c) => c.state === 'ready'),
    components: result,
    kubeconfig: paths.kubeconfig,
    apiServerUrl: urls.apiserver,
    prometheusUrl: urls.prometheus,
  };
}
