/** Helpers for integration tests against the running sandbox (real API server, controller, Prometheus). */
import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  VersionApi,
} from '@kubernetes/client-node';
import { paths, urls } from '@/sandbox/lib/config';
import { ensureBuilt } from '@/sandbox/lib/build';
import { logTail } from '@/sandbox/lib/processes';
import { release as releaseImage } from '@/sandbox/lib/release';
import { run } from '@/sandbox/lib/run';

export const kubeconfig = new KubeConfig();
kubeconfig.loadFromFile(paths.kubeconfig);
export const core = kubeconfig.makeApiClient(CoreV1Api);
export const apps = kubeconfig.makeApiClient(AppsV1Api);
export const custom = kubeconfig.makeApiClient(CustomObjectsApi);
export const version = kubeconfig.makeApiClient(VersionApi);

/** Rollout fields the tests read; the rest of the object is left opaque. */
export interface RolloutObject {
  metadata: { name: string; namespace: string; generation?: number };
  spec: { paused?: boolean; template: { spec: { containers: { image: string }[] } } };
  status?: {
    phase?: string;
    message?: string;
    abort?: boolean;
    currentPodHash?: string;
    stableRS?: string;
    currentStepIndex?: number;
    pauseConditions?: { reason: string; startTime: string }[] | null;
    canary?: { currentBackgroundAnalysisRunStatus?: { name: string; status: string } };
    blueGreen?: { activeSelector?: string; previewSelector?: string };
    observedGeneration?: string;
  };
}

export interface AnalysisRunObject {
  metadata: { name: string; labels?: Record<string, string> };
  status?: { phase?: string; message?: string; metricResults?: { name: string; phase: string; failed?: number }[] };
}

export interface VirtualServiceObject {
  spec: { http: { name?: string; route: { destination: { host: string }; weight?: number }[] }[] };
}

const ARGO = { group: 'argoproj.io', version: 'v1alpha1' } as const;

export async function getRollout(namespace: string, name: string): Promise<RolloutObject> {
  return (await custom.getNamespacedCustomObject({ ...ARGO, namespace, plural: 'rollouts', name })) as RolloutObject;
}

export async function listAnalysisRuns(namespace: string): Promise<AnalysisRunObject[]> {
  const list = (await custom.listNamespacedCustomObject({ ...ARGO, namespace, plural: 'analysisruns' })) as { items: AnalysisRunObject[] };
  return list.items;
}

/** Canary weight per destination host of the first HTTP route. */
export async function virtualServiceWeights(namespace: string, name: string): Promise<Record<string, number>> {
  const vs = (await custom.getNamespacedCustomObject({
    group: 'networking.istio.io',
    version: 'v1alpha3',
    namespace,
    plural: 'virtualservices',
    name,
  })) as VirtualServiceObject;
  return Object.fromEntries(vs.spec.http[0].route.map((r) => [r.destination.host, r.weight ?? 0]));
}

/**
 * Promotes exactly as `kubectl argo rollouts promote` does: unpause the spec if paused, and clear
 * the pause conditions through the status subresource — as a JSON merge patch (client-node would
 * otherwise send a JSON patch).
 */
export async function promote(namespace: string, name: string): Promise<void> {
  const rollout = await getRollout(namespace, name);
  const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
  if ((rollout.status?.pauseConditions ?? []).length > 0) {
    await custom.patchNamespacedCustomObjectStatus(
      { ...ARGO, namespace, plural: 'rollouts', name, body: { status: { pauseConditions: null } } },
      merge,
    );
  }
  if (rollout.spec.paused) {
    await custom.patchNamespacedCustomObject({ ...ARGO, namespace, plural: 'rollouts', name, body: { spec: { paused: false } } }, merge);
  }
}

export async function release(target: string, tag: string): Promise<void> {
  const toolchain = await ensureBuilt(() => undefined);
  await releaseImage(toolchain, target, tag);
}

/** A tag nobody has used yet in this sandbox, so every test run makes a new revision. */
export function freshTag(prefix: string, suffix = ''): string {
  return `${prefix}.${Date.now().toString(36)}${suffix}`;
}

/** Instant PromQL query against the sandbox Prometheus; `undefined` for an empty or NaN result. */
export async function promValue(query: string): Promise<number | undefined> {
  const res = await fetch(`${urls.prometheus}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = (await res.json()) as { status: string; data: { result: { value: [number, string] }[] } };
  if (body.status !== 'success') throw new Error(`Prometheus query failed: ${JSON.stringify(body)}`);
  const raw = body.data.result[0]?.value[1];
  const value = raw === undefined ? undefined : Number(raw);
  return value === undefined || Number.isNaN(value) ? undefined : value;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Thrown from a probe when waiting longer cannot help (e.g. the rollout aborted). */
export class GiveUp extends Error {}

/**
 * Polls until `probe` returns a value other than undefined; on timeout fails with what it last
 * saw and the tail of the controller's log.
 */
export async function waitFor<T>(
  description: string,
  probe: () => Promise<T | undefined>,
  { timeoutMs = 60_000, intervalMs = 500 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      if (error instanceof GiveUp) throw new Error(`gave up waiting for ${description}: ${error.message}`);
      last = error instanceof Error ? error.message : error;
    }
    await sleep(intervalMs);
  }
  throw new Error(
    `timed out after ${timeoutMs / 1000} s waiting for ${description}` +
      (last !== undefined ? `\nlast error: ${String(last)}` : '') +
      `\n--- argo-rollouts log tail ---\n${await logTail('argo-rollouts', 30)}` +
      `\n--- traffic-simulator log tail ---\n${await logTail('traffic-simulator', 10)}`,
  );
}

/**
 * Brings shop/checkout to a settled state — fully promoted, not aborted — whatever an earlier test
 * left it in (mid-release, paused, aborted), by promoting the current revision fully as
 * `kubectl argo rollouts promote --full` does. Tests that drive a release start from here.
 */
export async function settleCheckout(): Promise<void> {
  const toolchain = await ensureBuilt(() => undefined);
  const cli = toolchain.argo.bin('kubectl-argo-rollouts');
  // Only a status the controller wrote for the CURRENT spec counts: right after a release the old
  // status still reads Healthy and settled (CI: a release then settleCheckout returned at once and
  // left checkout mid-release for the next test).
  const observed = (r: RolloutObject) => Number(r.status?.observedGeneration) >= (r.metadata.generation ?? 0);
  const settled = (r: RolloutObject) => observed(r) && r.status?.phase === 'Healthy' && !r.status.abort && r.status.currentPodHash === r.status.stableRS;
  const seen = await waitFor('the controller to observe checkout\'s latest spec', async () => {
    const r = await getRollout('shop', 'checkout');
    return observed(r) ? r : undefined;
  }, { timeoutMs: 60_000, intervalMs: 250 });
  if (settled(seen)) return;
  // An aborted release is retried first (promote --full does not clear an abort), then promoted fully.
  if ((await getRollout('shop', 'checkout')).status?.abort) await run(cli, ['retry', 'rollout', 'checkout', '-n', 'shop', '--kubeconfig', paths.kubeconfig]);
  await run(cli, ['promote', 'checkout', '-n', 'shop', '--full', '--kubeconfig', paths.kubeconfig]);
  await waitFor('checkout to settle, fully promoted', async () => (settled(await getRollout('shop', 'checkout')) ? true : undefined), { timeoutMs: 180_000, intervalMs: 1000 });
}

/**
 * A sandbox started moments ago has no history yet: waits for 90 s of traffic samples (5 s scrape)
 * so rate windows and sparklines have something to show.
 */
export async function waitForTrafficHistory(): Promise<void> {
  await waitFor('90 s of traffic samples in Prometheus', async () => {
    const samples = await promValue('max(count_over_time(http_requests_total{namespace="shop",service="payments-active"}[2m]))');
    return samples !== undefined && samples >= 18 ? true : undefined;
  }, { timeoutMs: 180_000, intervalMs: 2000 });
}
