/**
 * Every sandbox fault undoes itself and the sandbox comes back Healthy: the recovery a real
 * cluster shows, including node loss (every kubelet gone) and a long API-server outage.
 * Durations: the controller-manager's node grace period is 25 s in the sandbox (default 50 s),
 * so 50 s without kwok makes the node lifecycle controller mark the demo pods NotReady.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { urls } from '@/sandbox/lib/config';
import { ensureBuilt } from '@/sandbox/lib/build';
import { runFault, startFault, type FaultSpec } from '@/sandbox/lib/faults';
import { demoNamespaces, waitForHealthy } from '@/sandbox/lib/workloads';
import { apps, core, waitFor } from '@/test/sandbox';

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
  const started = Date.now();
  let lastState = '';
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
    const state = JSON.stringify({ notReady: notReady.length, unhealthy });
    if (state !== lastState) log(`recovery +${((now - started) / 1000).toFixed(1)} s: ${notReady.length} pods not Ready; unhealthy: ${unhealthy.join('; ') || 'none'}`);
    lastState = state;
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

/** A pod whose image makes kwok crash-loop it: node recovery must not make it Ready. */
const CRASH_NS = 'faults-crash';
async function crashLoopingPod(): Promise<V1Pod> {
  await core.deleteNamespace({ name: CRASH_NS }).catch(() => undefined);
  await waitFor('a leftover crash namespace to go', async () => ((await core.listNamespace()).items.some((n) => n.metadata?.name === CRASH_NS) ? undefined : true), { timeoutMs: 60_000, intervalMs: 500 });
  await core.createNamespace({ body: { metadata: { name: CRASH_NS } } });
  await apps.createNamespacedDeployment({
    namespace: CRASH_NS,
    body: {
      metadata: { name: 'crasher' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'crasher' } },
        template: { metadata: { labels: { app: 'crasher' } }, spec: { containers: [{ name: 'app', image: 'registry.example.com/faults/crasher:v1-crash' }] } },
      },
    },
  });
  return waitFor('the crasher pod to crash-loop', async () => {
    const pods = (await core.listNamespacedPod({ namespace: CRASH_NS })).items;
    return pods.find((p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff' && (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1);
  }, { timeoutMs: 90_000, intervalMs: 1000 });
}

describe('sandbox faults', () => {
  // Both outages (50 s, 40 s) outlast the node grace period (25 s). With kwok (every node's kubelet) gone the
  // node lifecycle controller marks the nodes and their pods NotReady for sure, and kwok's
  // pod-ready-again stage must bring the running pods back. With the API server gone, kwok and the
  // controller-manager are restarted with it (as a real control plane's would be), so the nodes are
  // not lost at all — the issue's recovery test: every demo workload Healthy within a minute.
  const nodeOutages: [Exclude<FaultSpec['name'], 'simulator-errors'>, string][] = [
    ['nodes-down', 'node loss (kwok, every kubelet, away 50 s): the pods marked NotReady are Ready again, none recreated, a crash-looping pod still failing'],
    ['apiserver-down', 'the API server away 40 s, past the node grace period: every pod Ready and every workload Healthy within a minute, none recreated'],
  ];
  for (const [fault, title] of nodeOutages) {
    it(title, async () => {
      const before = await healthyWorkloads();
      expect(before.length).toBeGreaterThan(0);
      const podsBefore = await demoPods();
      const healthyPodUids = new Set(podsBefore.filter(isReady).map((p) => p.metadata?.uid));
      expect(healthyPodUids.size).toBeGreaterThan(0);
      const crasher = await crashLoopingPod();

      const outage = await startFault({ name: fault }, log);
      // Without kwok a node is lost once its lease is 25 s old (renewed every 10 s) and the controller's
      // 5 s check sees it: 50 s is past that for every node.
      await sleep(fault === 'nodes-down' ? 50_000 : 40_000);
      if (fault === 'nodes-down') {
        // The nodes are lost: the node lifecycle controller has marked the demo pods NotReady.
        const lostPods = (await demoPods()).filter((p) => healthyPodUids.has(p.metadata?.uid) && !isReady(p));
        log(`pods NotReady after 50 s without kwok: ${lostPods.length} of ${healthyPodUids.size}`);
        expect(lostPods.length).toBeGreaterThan(0);
      }
      await outage.restore();
      const liftedAt = Date.now();
      // Workload status alone can read Healthy while pods are NotReady (the ReplicaSet controller's
      // watch may lag), so pods are judged directly, and the ready state must hold: 35 s is longer
      // than grace (25 s) + monitor period (5 s), so the node lifecycle controller has seen the nodes
      // renew their leases and will not mark them lost again.
      const recovery = await podsRecover(healthyPodUids, before, { timeoutMs: 120_000, holdMs: 35_000 });
      recoverySeconds[`${fault} ${fault === 'nodes-down' ? 50 : 40} s (past the node grace period): pods Ready and holding`] = (recovery.readyAt - liftedAt) / 1000;
      log(`pods NotReady stretches after the outage: ${JSON.stringify(recovery.dips.map((d) => ({ at: (d.from - liftedAt) / 1000, seconds: d.seconds })))}`);
      expect(recovery.notReady).toEqual([]);
      expect(recovery.unhealthy).toEqual([]);
      // The issue's bound: Healthy again within a minute of the node (or the API server) coming back.
      expect(recovery.readyAt - liftedAt).toBeLessThan(60_000);

      const podsAfter = await demoPods();
      // No pod recreated: the same UIDs, and every pod Ready before is Ready again.
      expect(new Set(podsAfter.map((p) => p.metadata?.uid))).toEqual(new Set(podsBefore.map((p) => p.metadata?.uid)));
      const readyAgain = podsAfter.filter((p) => healthyPodUids.has(p.metadata?.uid));
      expect(readyAgain.filter((p) => !isReady(p)).map((p) => p.metadata?.name)).toEqual([]);
      // Pods that were marked NotReady came back through kwok's pod-ready-again stage: Ready since the outage began.
      if (fault === 'nodes-down' || recovery.dips.length > 0) expect(readyAgain.some((p) => readySince(p) >= outage.startedAt)).toBe(true);
      const events = await core.listNamespacedEvent({ namespace: 'shop', fieldSelector: 'reason=NodeNotReady' });
      const lost = events.items.filter((e) => new Date(e.lastTimestamp ?? e.eventTime ?? 0).getTime() >= outage.startedAt - 1000);
      log(`NodeNotReady events in shop since the outage: ${lost.length}`);
      if (fault === 'nodes-down') expect(lost.length).toBeGreaterThan(0);

      // The crash-looping pod is the same pod and still failing: pod-ready-again revives only pods
      // whose image can run (the healthy stretch above held 35 s, long after kwok's stages fired).
      const crasherAfter = (await core.listNamespacedPod({ namespace: CRASH_NS })).items.find((p) => p.metadata?.uid === crasher.metadata?.uid);
      expect(crasherAfter).toBeDefined();
      expect(isReady(crasherAfter!)).toBe(false);
      expect(crasherAfter?.status?.containerStatuses?.[0]?.ready).toBe(false);
      expect(crasherAfter?.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe('CrashLoopBackOff');
      await core.deleteNamespace({ name: CRASH_NS });
    });
  }

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
