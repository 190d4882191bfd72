/**
 * Every sandbox fault undoes itself and the sandbox comes back Healthy: the recovery a real
 * cluster shows, including node loss during a long API-server outage.
 * Durations: the controller-manager's node grace period is 25 s in the sandbox (default 50 s),
 * so an outage of 40 s makes the node lifecycle controller mark every demo pod NotReady.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { urls } from '@/sandbox/lib/config';
import { ensureBuilt } from '@/sandbox/lib/build';
import { runFault, startFault, type FaultSpec } from '@/sandbox/lib/faults';
import { demoNamespaces, waitForHealthy } from '@/sandbox/lib/workloads';
import { core } from '@/test/sandbox';

const log = (line: string) => console.log(`[fault] ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const readySince = (pod: V1Pod) =>
  new Date(pod.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime ?? 0).getTime();
const isReady = (pod: V1Pod) => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

async function demoPods(): Promise<V1Pod[]> {
  const pods: V1Pod[] = [];
  for (const namespace of demoNamespaces) pods.push(...(await core.listNamespacedPod({ namespace })).items);
  return pods.filter((p) => !p.metadata?.deletionTimestamp);
}

/** Workloads healthy now (waiting a little for a settling sandbox); recovery must bring these back. */
async function healthyWorkloads(): Promise<string[]> {
  const { workloads } = await waitForHealthy(await ensureBuilt(() => undefined), { timeoutMs: 60_000 });
  const unhealthy = workloads.filter((w) => !w.healthy);
  if (unhealthy.length > 0) log(`not judged (unhealthy before the fault, left by earlier tests): ${unhealthy.map((w) => `${w.id} — ${w.reason}`).join('; ')}`);
  return workloads.filter((w) => w.healthy).map((w) => w.id);
}

interface Dip {
  from: number;
  seconds: number;
}

/**
 * Polls until every pod in `uids` is Ready and every workload in `ids` Healthy, and both hold for
 * `holdMs`; records each stretch in which some of those pods were NotReady.
 */
async function podsRecover(uids: Set<string | undefined>, ids: string[], { timeoutMs, holdMs }: { timeoutMs: number; holdMs: number }) {
  const toolchain = await ensureBuilt(() => undefined);
  const deadline = Date.now() + timeoutMs;
  const dips: Dip[] = [];
  let dipFrom: number | undefined;
  let readySince: number | undefined;
  let notReady: string[] = [];
  let unhealthy: string[] = [];
  for (;;) {
    const now = Date.now();
    try {
      const pods = (await demoPods()).filter((p) => uids.has(p.metadata?.uid));
      notReady = [...uids].filter((uid) => !pods.some((p) => p.metadata?.uid === uid && isReady(p))).map((uid) => pods.find((p) => p.metadata?.uid === uid)?.metadata?.name ?? `gone: ${uid}`);
      const { workloads } = await waitForHealthy(toolchain, { timeoutMs: 0, ids });
      unhealthy = workloads.filter((w) => ids.includes(w.id) && !w.healthy).map((w) => `${w.id} — ${w.reason}`);
    } catch (error) {
      notReady = [`API unreachable: ${String(error)}`];
    }
    if (notReady.length > 0) dipFrom ??= now;
    else if (dipFrom !== undefined) {
      dips.push({ from: dipFrom, seconds: (now - dipFrom) / 1000 });
      dipFrom = undefined;
    }
    readySince = notReady.length === 0 && unhealthy.length === 0 ? (readySince ?? now) : undefined;
    if (readySince !== undefined && now - readySince >= holdMs) return { readyAt: readySince, dips, notReady, unhealthy };
    if (now > deadline) return { readyAt: now, dips, notReady, unhealthy };
    await sleep(500);
  }
}

interface SyncState {
  synced: boolean;
  lists: number;
  watches: number;
}
const simulatorSync = async () => (await (await fetch(`${urls.simulator}/sync`)).json()) as SyncState;

const recoverySeconds: Record<string, number> = {};

describe('sandbox faults', () => {
  it('node loss: after the API server is away longer than the node grace period, every pod is Ready again, none recreated', async () => {
    const before = await healthyWorkloads();
    expect(before.length).toBeGreaterThan(0);
    const podsBefore = await demoPods();
    const healthyPodUids = new Set(podsBefore.filter(isReady).map((p) => p.metadata?.uid));
    expect(healthyPodUids.size).toBeGreaterThan(0);

    const outage = await startFault({ name: 'apiserver-down' }, log);
    await sleep(40_000);
    await outage.restore();
    const liftedAt = Date.now();
    // Workload status alone can read Healthy while every pod is NotReady (the ReplicaSet controller's
    // watch is still backing off), so pods are judged directly, and the ready state must hold: the
    // node lifecycle controller marks pods NotReady whenever its own lease watch catches up. It does so
    // at most grace (25 s) + monitor period (5 s) after the last renewal it saw, so 35 s ready proves it sees them.
    const recovery = await podsRecover(healthyPodUids, before, { timeoutMs: 120_000, holdMs: 35_000 });
    recoverySeconds['apiserver-down 40 s (node loss): pods Ready and holding'] = (recovery.readyAt - liftedAt) / 1000;
    log(`pods NotReady stretches after the outage: ${JSON.stringify(recovery.dips.map((d) => ({ at: (d.from - liftedAt) / 1000, seconds: d.seconds })))}`);
    expect(recovery.notReady).toEqual([]);
    expect(recovery.unhealthy).toEqual([]);
    expect(recovery.readyAt - liftedAt).toBeLessThan(60_000);
    // kwok plays the kubelet: every stretch of NotReady pods ends within seconds.
    for (const dip of recovery.dips) expect(dip.seconds).toBeLessThan(15);

    const podsAfter = await demoPods();
    // No pod recreated: the same UIDs, and every pod Ready before is Ready again.
    expect(new Set(podsAfter.map((p) => p.metadata?.uid))).toEqual(new Set(podsBefore.map((p) => p.metadata?.uid)));
    const readyAgain = podsAfter.filter((p) => healthyPodUids.has(p.metadata?.uid));
    expect(readyAgain.filter((p) => !isReady(p)).map((p) => p.metadata?.name)).toEqual([]);
    // When the controller did mark the nodes lost (it depends on when its lease watch reconnects),
    // the pods it marked came back through kwok's pod-ready-again stage.
    const events = await core.listNamespacedEvent({ namespace: 'shop', fieldSelector: 'reason=NodeNotReady' });
    const lost = events.items.filter((e) => new Date(e.lastTimestamp ?? e.eventTime ?? 0).getTime() >= outage.startedAt - 1000);
    log(`NodeNotReady events in shop since the outage: ${lost.length}`);
    if (recovery.dips.length > 0) expect(readyAgain.some((p) => readySince(p) >= liftedAt)).toBe(true);
  });

  it('the traffic simulator watches: no list while idle, none while the API server hangs, one per kind at most after a restart', async () => {
    // Relists after the previous test's API-server restart (410 Gone) finish first.
    let idle = await simulatorSync();
    for (let quiet = 0; quiet < 5; quiet++) {
      await sleep(1000);
      const next = await simulatorSync();
      if (next.lists !== idle.lists) quiet = -1;
      idle = next;
    }
    expect(idle.synced).toBe(true);
    await sleep(10_000);
    expect((await simulatorSync()).lists).toBe(idle.lists);

    await runFault({ name: 'apiserver-hang' }, 10_000, log);
    const afterHang = await simulatorSync();
    expect(afterHang.lists).toBe(idle.lists);

    await runFault({ name: 'apiserver-down' }, 5_000, log);
    const afterDown = await simulatorSync();
    // A restarted API server's watch cache may answer the old resourceVersion with 410: one relist per kind.
    expect(afterDown.lists - afterHang.lists).toBeLessThanOrEqual(4);
    expect(afterDown.watches).toBeGreaterThan(afterHang.watches);
  });

  const faults: [FaultSpec, number][] = [
    [{ name: 'apiserver-down' }, 10_000],
    [{ name: 'apiserver-hang' }, 10_000],
    [{ name: 'etcd-down' }, 10_000],
    [{ name: 'argo-down' }, 10_000],
    [{ name: 'prometheus-down' }, 10_000],
  ];
  for (const [spec, durationMs] of faults) {
    it(`${spec.name} for ${durationMs / 1000} s: restored, and the sandbox is Healthy again`, async () => {
      const report = await runFault(spec, durationMs, log, { recoveryTimeoutMs: 120_000 });
      recoverySeconds[`${spec.name} ${durationMs / 1000} s`] = report.recoverySeconds;
      expect(report.unhealthy.map((w) => `${w.id} — ${w.reason}`)).toEqual([]);
      expect(report.recovered).toBe(true);
    });
  }

  it('simulator-errors: the service answers 5xx while it lasts and stops by itself', async () => {
    const errorsOf = async () => {
      const text = await (await fetch(`${urls.simulator}/metrics`)).text();
      return text
        .split('\n')
        .filter((l) => l.startsWith('http_requests_total{') && l.includes('namespace="search"') && l.includes('service="search-api') && /status="5\d\d"/.test(l))
        .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
    };
    const spec: FaultSpec = { name: 'simulator-errors', namespace: 'search', service: 'search-api', errorRatio: 0.5 };
    const running = runFault(spec, 8_000, log);
    await sleep(2_000);
    const start = await errorsOf();
    await sleep(3_000);
    expect(await errorsOf()).toBeGreaterThan(start);
    const report = await running;
    recoverySeconds['simulator-errors 8 s'] = report.recoverySeconds;
    expect(report.recovered).toBe(true);
    expect(await (await fetch(`${urls.simulator}/faults`)).json()).toEqual([]);
    console.log(`[fault] recovery seconds: ${JSON.stringify(recoverySeconds, null, 2)}`);
  });
});
