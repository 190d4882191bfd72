/**
 * Parity with Argo's own CLI: Aviary's derived view of each Rollout must equal what
 * `kubectl argo rollouts get rollout` prints for the same object, at every checkpoint of a release
 * driven with that same CLI (set image, promote, promote --full, abort, retry, undo), for Argo's
 * own examples and for edge cases built here.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));
// The read API as the browser gets it: the route handlers, through the hub, from the caches below.
// AVIARY_AUTH=none is the read-only mode with no sign-in (what a person may see is covered elsewhere).
process.env.AVIARY_AUTH = 'none';
const served = vi.hoisted(() => ({ runtime: null as unknown }));
vi.mock('@/lib/server/runtime', () => ({ runtime: () => served.runtime }));

import { KubeConfig } from '@kubernetes/client-node';
import { GET as getWorkloads } from '@/app/api/workloads/route';
import { GET as getDetail } from '@/app/api/workloads/detail/route';
import { WorkloadRow } from '@/lib/contracts/overview';
import { StreamSnapshot } from '@/lib/contracts/stream';
import { WorkloadSummary } from '@/lib/contracts/workload';
import { NamespaceAccess } from '@/lib/server/auth/access';
import { ClusterCache } from '@/lib/server/cluster/cache';
import { reviewReads } from '@/lib/server/kube/access-review';
import { StreamHub } from '@/lib/server/stream/hub';
import { paths, urls } from '@/sandbox/lib/config';
import { ensureBuilt } from '@/sandbox/lib/build';
import { kubectl } from '@/sandbox/lib/kubectl';
import { run } from '@/sandbox/lib/run';
import { aviaryListView, aviaryView, cli, parseGetRollout, parseListRollouts, type CliListView, type CliView } from './argo-cli';
import { waitFor } from './sandbox';

const NS = 'aviary-parity';
const kc = new KubeConfig();
kc.loadFromFile(paths.kubeconfig);
const cache = new ClusterCache('sandbox', kc, [NS], 50);

// What runtime() holds in the server, over this file's caches: the hub the route handlers read.
const sources: ClusterCache[] = [];
const hub = new StreamHub({
  workloads: () => sources.flatMap((c) => [...c.workloads.values()]).sort((a, b) => a.id.localeCompare(b.id)),
  health: () => sources.map((c) => c.currentHealth()),
});
function serve(source: ClusterCache): void {
  if (!sources.includes(source)) sources.push(source);
  source.onChanges((changes) => hub.publish(changes));
  source.onHealth((health) => hub.publish([{ type: 'health', health }]));
}
serve(cache);
served.runtime = { hub, access: new NamespaceAccess((_cluster, subject, namespace) => reviewReads(kc, subject, namespace)) };
const noParams = { params: Promise.resolve({}) };

/** GET /api/workloads: the overview's rows, as JSON, checked against the contract. */
async function apiRows(): Promise<Map<string, WorkloadRow>> {
  const res = await getWorkloads(new Request('http://127.0.0.1/api/workloads'), noParams);
  expect(res.status).toBe(200);
  const body = StreamSnapshot.parse(await res.json());
  return new Map(body.workloads.map((w) => [w.id, WorkloadRow.parse(w)]));
}

/** GET /api/workloads/detail?id=…: one workload's full summary, or null on 404. */
async function apiDetail(id: string): Promise<WorkloadSummary | null> {
  const res = await getDetail(new Request(`http://127.0.0.1/api/workloads/detail?id=${encodeURIComponent(id)}`), noParams);
  if (res.status === 404) return null;
  expect(res.status).toBe(200);
  return WorkloadSummary.parse(((await res.json()) as { workload: unknown }).workload);
}

/** A file from Argo's own examples/ in the module the sandbox builds the controller from. */
async function examples(file: string): Promise<string> {
  const dir = (await run('go', ['list', '-m', '-f', '{{.Dir}}', 'github.com/argoproj/argo-rollouts'], { cwd: join(paths.tools, 'argo') })).stdout.trim();
  return readFile(join(dir, 'examples', file), 'utf8');
}

async function apply(manifest: string): Promise<void> {
  const tools = await ensureBuilt(() => undefined);
  await kubectl(tools, ['apply', '-n', NS, '-f', '-'], { input: manifest });
}

const argo = (...args: string[]) => cli([...args, '-n', NS]);

interface Agreement {
  cli: CliView;
  workload: WorkloadSummary;
}

/**
 * Polls until the CLI and Aviary print the same fields and `until` holds for them; on timeout the
 * failure shows both sides of the last comparison.
 */
async function agree(name: string, checkpoint: string, until: (view: CliView) => boolean = () => true, timeoutMs = 90_000): Promise<Agreement> {
  const deadline = Date.now() + timeoutMs;
  const id = `sandbox/Rollout/${NS}/${name}`;
  let last: { cli: CliView; aviary: CliView | null; cliList: CliListView | null; aviaryList: CliListView | null } | undefined;
  while (Date.now() < deadline) {
    // `get rollout` against the detail endpoint, `list rollouts` against the overview's rows.
    const theirs = parseGetRollout(await argo('get', 'rollout', name, '--no-color'), name);
    const workload = await apiDetail(id);
    const ours = workload ? aviaryView(workload) : null;
    const theirList = parseListRollouts(await argo('list', 'rollouts')).get(name) ?? null;
    const row = (await apiRows()).get(id);
    const ourList = row ? aviaryListView(row) : null;
    last = { cli: theirs, aviary: ours, cliList: theirList, aviaryList: ourList };
    const same = (a: unknown, b: unknown) => a !== null && JSON.stringify(a) === JSON.stringify(b);
    if (workload && same(ours, theirs) && same(ourList, theirList) && until(theirs)) return { cli: theirs, workload };
    await new Promise((r) => setTimeout(r, 1000));
  }
  expect.soft(last?.aviary, `${name} at "${checkpoint}": /api/workloads/detail vs kubectl argo rollouts get rollout`).toEqual(last?.cli);
  expect.soft(last?.aviaryList, `${name} at "${checkpoint}": /api/workloads vs kubectl argo rollouts list rollouts`).toEqual(last?.cliList);
  throw new Error(`${name} at "${checkpoint}": no agreement within ${timeoutMs / 1000} s (or the state never came): ${JSON.stringify(last)}`);
}

const statusIs = (status: string, step?: string) => (v: CliView) => v.status === status && (step === undefined || v.step === step);

beforeAll(async () => {
  const tools = await ensureBuilt(() => undefined);
  await kubectl(tools, ['delete', 'namespace', NS, '--ignore-not-found', '--wait=true', '--timeout=120s']);
  await kubectl(tools, ['create', 'namespace', NS]);
  cache.start();
  await waitFor('the cache to sync', async () => (cache.currentHealth().connected ? true : undefined), { timeoutMs: 30_000 });
}, 300_000);

afterAll(async () => {
  cache.stop();
  hub.close();
  const tools = await ensureBuilt(() => undefined);
  await kubectl(tools, ['delete', 'namespace', NS, '--ignore-not-found', '--wait=false']);
});

describe('parity with kubectl argo rollouts', () => {
  it('every demo Rollout, as it stands', async () => {
    const demo = new ClusterCache('sandbox', kc, ['shop', 'search'], 50);
    serve(demo);
    demo.start();
    try {
      // Each namespace is derived once its lists arrive (after a short debounce): wait for all four demo Rollouts.
      const demoRollouts = async () => [...(await apiRows()).values()].filter((w) => w.kind === 'Rollout' && w.namespace !== NS);
      await waitFor('/api/workloads to list the four demo Rollouts', async () => (demo.currentHealth().connected && (await demoRollouts()).length >= 4 ? true : undefined), { timeoutMs: 30_000 });
      const rollouts = await demoRollouts();
      expect(rollouts.map((w) => `${w.namespace}/${w.name}`)).toEqual(expect.arrayContaining(['shop/checkout', 'shop/payments', 'search/search-api', 'search/ranker']));
      for (const w of rollouts) {
        await waitFor(`${w.namespace}/${w.name} to agree with the CLI`, async () => {
          const theirs = parseGetRollout(await cli(['get', 'rollout', w.name, '-n', w.namespace, '--no-color']), w.name);
          const ours = await apiDetail(w.id);
          const theirList = parseListRollouts(await cli(['list', 'rollouts', '-n', w.namespace])).get(w.name);
          const row = (await apiRows()).get(w.id);
          const same = ours && row && JSON.stringify(aviaryView(ours)) === JSON.stringify(theirs) && JSON.stringify(aviaryListView(row)) === JSON.stringify(theirList);
          return same ? true : undefined;
        }, { timeoutMs: 30_000, intervalMs: 1000 });
      }
    } finally {
      demo.stop();
      sources.splice(sources.indexOf(demo), 1);
    }
  });

  it("Argo's canary example through set image, promote, abort, retry, promote --full and undo", async () => {
    await apply(await examples('rollout-canary.yaml'));
    const healthy = await agree('rollout-canary', 'created', statusIs('Healthy'));
    expect(healthy.cli).toMatchObject({ setWeight: '100', actualWeight: '100', step: '8/8' });

    await argo('set', 'image', 'rollout-canary', 'rollouts-demo=argoproj/rollouts-demo:yellow');
    const first = await agree('rollout-canary', 'set image → first pause', statusIs('Paused', '1/8'));
    expect(first.cli).toMatchObject({ setWeight: '20', actualWeight: '20' });
    expect(first.workload.steps[1]).toMatchObject({ status: 'current', label: 'Pause (until promoted)' });

    await argo('promote', 'rollout-canary');
    const timed = await agree('rollout-canary', 'promote → timed pause', statusIs('Paused', '3/8'));
    expect(timed.cli.setWeight).toBe('40');

    await argo('abort', 'rollout-canary');
    const aborted = await agree('rollout-canary', 'abort', statusIs('Degraded', '0/8'));
    expect(aborted.cli).toMatchObject({ setWeight: '0' });
    expect(aborted.workload.phase).toBe('Aborted');
    expect(aborted.workload.abortedAt).toMatchObject({ known: true, step: 3, total: 8, weight: 40 });
    expect(aborted.workload.steps[3].status).toBe('aborted');

    await argo('retry', 'rollout', 'rollout-canary');
    await agree('rollout-canary', 'retry → first pause again', statusIs('Paused', '1/8'));

    await argo('promote', 'rollout-canary', '--full');
    const full = await agree('rollout-canary', 'promote --full', statusIs('Healthy'));
    expect(full.cli.images).toEqual(['argoproj/rollouts-demo:yellow (stable)']);
    // The previous revision stays as history to roll back to, scaled down.
    expect(full.workload.revisions.some((r) => r.scaledDown && r.images[0] === 'argoproj/rollouts-demo:blue')).toBe(true);

    await argo('undo', 'rollout-canary');
    const undone = await agree('rollout-canary', 'undo → rolling back through the steps', statusIs('Paused', '1/8'));
    expect(undone.workload.revisions.find((r) => r.roles.includes('canary'))?.images).toEqual(['argoproj/rollouts-demo:blue']);
  });

  it("Argo's blue-green example: preview, promotion, active", async () => {
    await apply(await examples('rollout-bluegreen.yaml'));
    await agree('rollout-bluegreen', 'created', statusIs('Healthy'));
    await argo('set', 'image', 'rollout-bluegreen', 'rollouts-demo=argoproj/rollouts-demo:green');
    const preview = await agree('rollout-bluegreen', 'set image → preview waits', statusIs('Paused'));
    expect(preview.cli.images).toEqual(['argoproj/rollouts-demo:blue (active, stable)', 'argoproj/rollouts-demo:green (preview)']);
    expect(preview.workload.blueGreen).toMatchObject({ activeService: 'rollout-bluegreen-active', previewService: 'rollout-bluegreen-preview', scaleDownDelaySeconds: 30, autoPromotionEnabled: false });
    await argo('promote', 'rollout-bluegreen');
    const promoted = await agree('rollout-bluegreen', 'promote', statusIs('Healthy'));
    expect(promoted.workload.revisions.find((r) => r.roles.includes('active'))?.images).toEqual(['argoproj/rollouts-demo:green']);
  });

  it("Argo's workloadRef example takes its template from the Deployment", async () => {
    await apply(await examples('workload-ref/workload-ref.yaml'));
    const ref = await agree('rollout-ref-deployment', 'created', statusIs('Healthy'));
    expect(ref.workload.templateRef).toEqual({ kind: 'Deployment', name: 'rollout-ref-deployment', found: true, scaleDown: null });
    expect(ref.workload.images).toEqual(['argoproj/rollouts-demo:blue']);
  });

  it("Argo's experiment step example says what the experiment runs", async () => {
    await apply(await examples('analysis-templates.yaml'));
    await apply(await examples('rollout-experiment-step.yaml'));
    await agree('rollout-experiment-step', 'created', statusIs('Healthy'));
    await argo('set', 'image', 'rollout-experiment-step', 'rollouts-demo=argoproj/rollouts-demo:yellow');
    // While the experiment runs, the CLI lists its pods' image tagged with the template (Σ:canary).
    const during = await agree('rollout-experiment-step', 'set image → experiment running', (v) => v.step === '1/2' && v.images.some((i) => i.includes('Σ:canary')));
    const experiment = during.workload.steps.find((s) => s.kind === 'experiment');
    expect(experiment?.label).toMatch(/^Experiment: canary/);
    expect(experiment?.details.join(' ')).toContain('analysis random-fail: random-fail');
  });

  it('edge cases: InvalidSpec, spec.paused, an inconclusive analysis', async () => {
    const base = (name: string, strategy: string, extra = '') => `
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: { name: ${name} }
spec:
  replicas: 2
  ${extra}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec: { containers: [{ name: app, image: registry.example.com/${name}:v1 }] }
  strategy:
${strategy}
`;
    await apply(base('invalid-weight', '    canary: { steps: [{ setWeight: 150 }, { pause: {} }] }'));
    await apply(base('paused-spec', '    canary: { steps: [{ setWeight: 50 }, { pause: {} }] }', 'paused: true'));
    await apply(`
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: { name: never-sure }
spec:
  metrics:
    - name: undecided
      interval: 5s
      count: 1
      successCondition: result[0] > 10
      failureCondition: result[0] < 0
      provider: { prometheus: { address: "${urls.prometheus}", query: "vector(5)" } }
`);
    await apply(base('inconclusive', '    canary: { steps: [{ setWeight: 50 }, { analysis: { templates: [{ templateName: never-sure }] } }, { setWeight: 100 }] }'));

    const invalid = await agree('invalid-weight', 'InvalidSpec', statusIs('Degraded'));
    expect(invalid.cli.message).toMatch(/^InvalidSpec: .*SetWeight needs to be between 0 and 100/);
    expect(invalid.workload.diagnosis?.reasons[0]).toMatchObject({ code: 'invalid-spec', severity: 'critical' });

    const paused = await agree('paused-spec', 'spec.paused', statusIs('Paused'));
    expect(paused.workload.diagnosis?.reasons.map((r) => r.code)).toContain('paused');

    await agree('inconclusive', 'created', statusIs('Healthy'));
    await argo('set', 'image', 'inconclusive', 'app=registry.example.com/inconclusive:v2');
    const undecided = await agree('inconclusive', 'analysis inconclusive', statusIs('Paused', '1/3'));
    expect(undecided.workload.diagnosis?.reasons[0]).toMatchObject({ code: 'analysis-inconclusive', severity: 'warning' });
  });

  it('setCanaryScale and dynamicStableScale with Istio routing', async () => {
    await apply(`
apiVersion: v1
kind: Service
metadata: { name: scaled-stable }
spec: { selector: { app: scaled }, ports: [{ port: 80, targetPort: 8080 }] }
---
apiVersion: v1
kind: Service
metadata: { name: scaled-canary }
spec: { selector: { app: scaled }, ports: [{ port: 80, targetPort: 8080 }] }
---
apiVersion: networking.istio.io/v1alpha3
kind: VirtualService
metadata: { name: scaled }
spec:
  hosts: [scaled]
  http:
    - name: primary
      route:
        - { destination: { host: scaled-stable }, weight: 100 }
        - { destination: { host: scaled-canary }, weight: 0 }
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: { name: scaled }
spec:
  replicas: 4
  selector: { matchLabels: { app: scaled } }
  template:
    metadata: { labels: { app: scaled } }
    spec: { containers: [{ name: app, image: registry.example.com/scaled:v1 }] }
  strategy:
    canary:
      canaryService: scaled-canary
      stableService: scaled-stable
      dynamicStableScale: true
      trafficRouting: { istio: { virtualService: { name: scaled, routes: [primary] } } }
      steps:
        - setCanaryScale: { replicas: 1 }
        - setWeight: 25
        - pause: {}
        - setCanaryScale: { matchTrafficWeight: true }
        - setWeight: 75
        - pause: {}
`);
    await agree('scaled', 'created', statusIs('Healthy'));
    await argo('set', 'image', 'scaled', 'app=registry.example.com/scaled:v2');
    const first = await agree('scaled', 'set image → pause with one canary pod', statusIs('Paused', '2/6'));
    expect(first.cli).toMatchObject({ setWeight: '25', actualWeight: '25' });
    expect(first.workload.steps[0]).toMatchObject({ kind: 'setCanaryScale', label: 'Set canary scale: 1 replica' });
    await argo('promote', 'scaled');
    await agree('scaled', 'promote → 75 % with matched scale', statusIs('Paused', '5/6'));
    await argo('promote', 'scaled', '--full');
    await agree('scaled', 'promote --full', statusIs('Healthy'));
  });
});
