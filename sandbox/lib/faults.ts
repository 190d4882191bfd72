/**
 * Outages on demand, each undone by itself: `npm run sandbox:fault -- apiserver-down 60s`.
 * The same API serves tests and benchmarks: `runFault` for a timed outage with a recovery
 * measurement, `startFault` when the caller decides when it ends.
 */
import { urls } from './config';
import { ensureBuilt } from './build';
import { isOurs, runningRecord, type ProcessRecord } from './processes';
import { restartComponent, SandboxError, status, type Log } from './sandbox';
import { waitForHealthy, type WorkloadHealth } from './workloads';

export const faultNames = ['apiserver-down', 'apiserver-hang', 'nodes-down', 'prometheus-down', 'argo-down', 'etcd-down', 'simulator-errors'] as const;
export type FaultName = (typeof faultNames)[number];

export type FaultSpec =
  | { name: Exclude<FaultName, 'simulator-errors'> }
  | { name: 'simulator-errors'; namespace: string; service: string; errorRatio: number };

/** A fault in force; `restore` undoes it (idempotent) and resolves once the component answers again. */
export interface ActiveFault {
  spec: FaultSpec;
  description: string;
  startedAt: number;
  restore: () => Promise<void>;
}

/** Which sandbox process each process fault acts on. */
const processOf = {
  'apiserver-down': 'kube-apiserver',
  'apiserver-hang': 'kube-apiserver',
  // kwok is every fake node's kubelet: without it no node renews its lease, and after the node grace
  // period (25 s) the node lifecycle controller marks the nodes and their pods NotReady — node loss.
  'nodes-down': 'kwok',
  'prometheus-down': 'prometheus',
  'argo-down': 'argo-rollouts',
  'etcd-down': 'etcd',
} as const;

export function isFaultName(value: string): value is FaultName {
  return (faultNames as readonly string[]).includes(value);
}

/** "90s", "2m", "1500ms" or a bare number of seconds → milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!match) throw new SandboxError(`duration must look like 30s, 2m or 500ms, got "${text}"`);
  const value = Number(match[1]);
  const unit = match[2] ?? 's';
  return Math.round(value * (unit === 'ms' ? 1 : unit === 's' ? 1000 : 60_000));
}

/** Signals the component's whole process group, as stopProcess does (detached: pgid = pid). */
function signal(record: ProcessRecord, sig: NodeJS.Signals): void {
  try {
    process.kill(-record.pid, sig);
  } catch {
    process.kill(record.pid, sig);
  }
}

const sleep = (ms: number, abort?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (abort?.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    abort?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

async function running(name: string): Promise<ProcessRecord> {
  const record = await runningRecord(name);
  if (!record) throw new SandboxError(`${name} is not running in this sandbox: start it with npm run sandbox:up`);
  return record;
}

function once(restore: () => Promise<void>): () => Promise<void> {
  let pending: Promise<void> | undefined;
  return () => (pending ??= restore());
}

async function simulatorFaults(method: 'POST' | 'DELETE', body: object): Promise<void> {
  const res = await fetch(`${urls.simulator}/faults`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new SandboxError(`traffic simulator refused the fault: ${res.status} ${await res.text()}`);
}

/**
 * Puts a fault in force now. `maxDurationMs` bounds faults that can lift themselves (the simulator
 * ends its error injection on its own even if this process dies).
 */
export async function startFault(spec: FaultSpec, log: Log, maxDurationMs = 10 * 60_000): Promise<ActiveFault> {
  const startedAt = Date.now();
  if (spec.name === 'simulator-errors') {
    const target = { namespace: spec.namespace, service: spec.service };
    await simulatorFaults('POST', { ...target, errorRatio: spec.errorRatio, durationMs: maxDurationMs });
    const description = `traffic simulator answers ${(spec.errorRatio * 100).toFixed(0)} % of ${spec.namespace}/${spec.service} requests with 5xx`;
    log(`fault: ${description}`);
    const restore = once(async () => {
      await simulatorFaults('DELETE', target);
      log(`restored: ${spec.namespace}/${spec.service} answers as its image says again`);
    });
    return { spec, description, startedAt, restore };
  }
  const component = processOf[spec.name];
  const record = await running(component);
  if (spec.name === 'apiserver-hang') {
    signal(record, 'SIGSTOP');
    const description = `${component} frozen with SIGSTOP (pid ${record.pid}): connections stay open but nothing answers`;
    log(`fault: ${description}`);
    const restore = once(async () => {
      if (isOurs(record)) signal(record, 'SIGCONT');
      log(`restored: SIGCONT sent to ${component} (pid ${record.pid})`);
    });
    return { spec, description, startedAt, restore };
  }
  signal(record, 'SIGKILL');
  while (isOurs(record)) await sleep(50);
  const description = `${component} killed with SIGKILL (pid ${record.pid})`;
  log(`fault: ${description}`);
  const restore = once(async () => {
    log(`restoring: starting ${component} again`);
    await restartComponent(component, log);
  });
  return { spec, description, startedAt, restore };
}

export interface FaultReport {
  fault: FaultName;
  description: string;
  /** How long the fault was in force. */
  outageSeconds: number;
  /** From lifting the fault to every component ready and every workload that was healthy before healthy again. */
  recoverySeconds: number;
  recovered: boolean;
  /** Workloads still unhealthy when the recovery bound ran out (with their reasons). */
  unhealthy: WorkloadHealth[];
}

/** Workload ids that are healthy right now: what recovery must bring back. */
async function healthyNow(): Promise<string[]> {
  const { workloads } = await waitForHealthy(await ensureBuilt(() => undefined), { timeoutMs: 0 });
  return workloads.filter((w) => w.healthy).map((w) => w.id);
}

/**
 * Waits for the sandbox to be whole again after a fault: every component ready and every workload
 * in `ids` Healthy, holding for `stableMs` — right after an API server returns from a long outage
 * the node lifecycle controller needs a few seconds to mark pods NotReady, so one good reading can
 * come before the dip. `recoveredAt` is when the final healthy stretch began.
 */
export async function waitForRecovery(
  ids: readonly string[],
  timeoutMs = 180_000,
  stableMs = 10_000,
): Promise<{ recovered: boolean; recoveredAt: number; unhealthy: WorkloadHealth[] }> {
  const deadline = Date.now() + timeoutMs;
  const toolchain = await ensureBuilt(() => undefined);
  let healthySince: number | undefined;
  let unhealthy: WorkloadHealth[] = [];
  for (;;) {
    const now = Date.now();
    let healthy = (await status()).running;
    if (healthy) {
      const reading = await waitForHealthy(toolchain, { timeoutMs: 0, ids });
      unhealthy = reading.workloads.filter((w) => ids.includes(w.id) && !w.healthy);
      healthy = reading.healthy;
    }
    healthySince = healthy ? (healthySince ?? now) : undefined;
    if (healthySince !== undefined && Date.now() - healthySince >= stableMs) return { recovered: true, recoveredAt: healthySince, unhealthy: [] };
    if (Date.now() > deadline) return { recovered: false, recoveredAt: Date.now(), unhealthy };
    await sleep(1000);
  }
}

/** A fault for `durationMs` (cut short by `abort`), then restored, then recovery measured. */
export async function runFault(
  spec: FaultSpec,
  durationMs: number,
  log: Log,
  { abort, recoveryTimeoutMs = 180_000 }: { abort?: AbortSignal; recoveryTimeoutMs?: number } = {},
): Promise<FaultReport> {
  const before = await healthyNow();
  const fault = await startFault(spec, log, durationMs + 5000);
  try {
    log(`holding it for ${(durationMs / 1000).toFixed(0)} s${abort ? ' (Ctrl-C restores now)' : ''}`);
    await sleep(durationMs, abort);
  } finally {
    await fault.restore();
  }
  const liftedAt = Date.now();
  const outageSeconds = (liftedAt - fault.startedAt) / 1000;
  const { recovered, recoveredAt, unhealthy } = await waitForRecovery(before, recoveryTimeoutMs);
  const recoverySeconds = Math.max(0, recoveredAt - liftedAt) / 1000;
  if (recovered) {
    log(`sandbox healthy again ${recoverySeconds.toFixed(1)} s after the fault was lifted, and still 10 s later (${before.length} workloads checked)`);
  } else {
    log(`sandbox NOT healthy ${recoverySeconds.toFixed(1)} s after the fault was lifted:`);
    for (const w of unhealthy) log(`  ${w.id} — ${w.reason}`);
  }
  return { fault: spec.name, description: fault.description, outageSeconds, recoverySeconds, recovered, unhealthy };
}
