/**
 * Records Kubernetes objects from the running sandbox as unit-test fixtures
 * (lib/rollouts/__fixtures__/*.json): it drives the demo rollouts into each state the derivation
 * must explain, and saves the workload with its ReplicaSets, pods, AnalysisRuns, HPAs and events
 * exactly as the API server returned them. Run with `npm run fixtures:record` (sandbox up first).
 */
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from '@/sandbox/lib/config';
import { ensureBuilt } from '@/sandbox/lib/build';
import { kubectl } from '@/sandbox/lib/kubectl';
import { core, freshTag, getRollout, promote, release, waitFor } from '@/test/sandbox';
import type { KubeObject } from '@/lib/rollouts/objects';

const dir = join(repoRoot, 'lib', 'rollouts', '__fixtures__');

async function list(kind: string, namespace: string): Promise<KubeObject[]> {
  const toolchain = await ensureBuilt(() => undefined);
  const res = await kubectl(toolchain, ['get', kind, '-n', namespace, '-o', 'json']);
  return (JSON.parse(res.stdout) as { items: KubeObject[] }).items;
}

async function record(file: string, kind: 'Rollout' | 'Deployment', namespace: string, name: string): Promise<void> {
  const [workloads, replicaSets, pods, analysisRuns, hpas, events] = await Promise.all([
    list(kind === 'Rollout' ? 'rollouts.argoproj.io' : 'deployments.apps', namespace),
    list('replicasets.apps', namespace),
    list('pods', namespace),
    kind === 'Rollout' ? list('analysisruns.argoproj.io', namespace) : Promise.resolve([]),
    list('horizontalpodautoscalers.autoscaling', namespace),
    list('events', namespace),
  ]);
  const workload = workloads.find((w) => w.metadata.name === name);
  if (!workload) throw new Error(`${kind} ${namespace}/${name} not found`);
  const mine = (o: KubeObject) => o.metadata.name.startsWith(`${name}-`);
  const fixture = {
    recordedAt: new Date().toISOString(),
    kind,
    workload,
    replicaSets: replicaSets.filter(mine),
    pods: pods.filter(mine),
    analysisRuns: analysisRuns.filter(mine),
    hpas,
    events: (events as (KubeObject & { involvedObject: { name: string } })[]).filter((e) => e.involvedObject.name === name || e.involvedObject.name.startsWith(`${name}-`)).slice(-40),
  };
  await writeFile(join(dir, `${file}.json`), `${JSON.stringify(fixture, null, 1)}\n`);
  console.log(`recorded ${file}`);
}

async function rolloutState(ns: string, name: string, predicate: (r: Awaited<ReturnType<typeof getRollout>>) => boolean, what: string) {
  return waitFor(what, async () => {
    const r = await getRollout(ns, name);
    return predicate(r) ? r : undefined;
  }, { timeoutMs: 180_000, intervalMs: 250 });
}

async function main(): Promise<void> {
  await mkdir(dir, { recursive: true });

  // Canary with Istio: timed pause, manual pause, healthy, aborted.
  const before = await getRollout('shop', 'checkout');
  await release('shop/checkout', freshTag('v1.1'));
  const isNew = (r: Awaited<ReturnType<typeof getRollout>>) => r.status?.currentPodHash !== before.status?.currentPodHash;
  await rolloutState('shop', 'checkout', (r) => isNew(r) && r.status?.currentStepIndex === 1 && (r.status.pauseConditions ?? []).length > 0, 'checkout at the first timed pause');
  await record('canary-timed-pause', 'Rollout', 'shop', 'checkout');
  await rolloutState('shop', 'checkout', (r) => isNew(r) && r.status?.currentStepIndex === 5 && r.status.phase === 'Paused', 'checkout at the manual pause');
  await record('canary-manual-pause', 'Rollout', 'shop', 'checkout');
  await promote('shop', 'checkout');
  await rolloutState('shop', 'checkout', (r) => isNew(r) && r.status?.phase === 'Healthy' && r.status.stableRS === r.status.currentPodHash, 'checkout Healthy');
  await record('canary-healthy', 'Rollout', 'shop', 'checkout');
  await release('shop/checkout', freshTag('v1.2', '-errors'));
  await rolloutState('shop', 'checkout', (r) => Boolean(r.status?.abort) && r.status?.phase === 'Degraded', 'checkout aborted');
  await record('canary-aborted', 'Rollout', 'shop', 'checkout');

  // Blue-green waiting for promotion.
  const payments = await getRollout('shop', 'payments');
  await release('shop/payments', freshTag('v3.2'));
  await rolloutState('shop', 'payments', (r) => r.status?.currentPodHash !== payments.status?.currentPodHash && (r.status?.pauseConditions ?? []).some((p) => p.reason === 'BlueGreenPause'), 'payments waiting');
  await record('bluegreen-waiting', 'Rollout', 'shop', 'payments');
  await promote('shop', 'payments');

  // Basic canary with crash-looping pods.
  await release('search/search-api', freshTag('v5.5', '-crash'));
  await waitFor('a crash-looping search-api pod', async () => {
    const pods = await core.listNamespacedPod({ namespace: 'search', labelSelector: 'app=search-api' });
    return pods.items.some((p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff') ? true : undefined;
  }, { timeoutMs: 90_000 });
  await record('canary-crashloop', 'Rollout', 'search', 'search-api');
  await release('search/search-api', freshTag('v5.6'));

  // Deployment stuck mid-update on an image that cannot be pulled.
  await release('shop/catalog', freshTag('v2.5', '-pullfail'));
  await waitFor('a catalog pod in ImagePullBackOff', async () => {
    const pods = await core.listNamespacedPod({ namespace: 'shop', labelSelector: 'app=catalog' });
    return pods.items.some((p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'ImagePullBackOff') ? true : undefined;
  }, { timeoutMs: 60_000 });
  await record('deployment-mid-update', 'Deployment', 'shop', 'catalog');
  await release('shop/catalog', freshTag('v2.6'));
  await record('deployment-healthy-hpa', 'Deployment', 'search', 'suggest');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
