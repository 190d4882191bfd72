import { describe, expect, it } from 'vitest';
import { apps, core, custom, version, waitFor } from '@/test/sandbox';
import { urls } from '@/sandbox/lib/config';

describe('sandbox control plane', () => {
  it('runs Kubernetes v1.34 with a real version major/minor (Argo Rollouts needs them)', async () => {
    const info = await version.getCode();
    expect(info.gitVersion).toMatch(/^v1\.34\.\d+$/);
    expect(info.major).toBe('1');
    expect(info.minor).toBe('34');
  });

  it('serves the Argo Rollouts, Istio and SMI CRDs', async () => {
    for (const [group, version, plural] of [
      ['argoproj.io', 'v1alpha1', 'rollouts'],
      ['argoproj.io', 'v1alpha1', 'analysistemplates'],
      ['argoproj.io', 'v1alpha1', 'clusteranalysistemplates'],
      ['argoproj.io', 'v1alpha1', 'analysisruns'],
      ['argoproj.io', 'v1alpha1', 'experiments'],
      ['networking.istio.io', 'v1alpha3', 'virtualservices'],
      ['split.smi-spec.io', 'v1alpha4', 'trafficsplits'],
    ] as const) {
      const list = (await custom.listClusterCustomObject({ group, version, plural })) as { items: unknown[] };
      expect(Array.isArray(list.items), `${plural}.${group}`).toBe(true);
    }
  });

  it('has every demo object', async () => {
    const rollouts = (await custom.listClusterCustomObject({ group: 'argoproj.io', version: 'v1alpha1', plural: 'rollouts' })) as {
      items: { metadata: { namespace: string; name: string } }[];
    };
    const names = rollouts.items.map((r) => `${r.metadata.namespace}/${r.metadata.name}`);
    expect(names).toEqual(expect.arrayContaining(['shop/checkout', 'shop/payments', 'search/search-api', 'search/ranker']));

    const deployments = await apps.listDeploymentForAllNamespaces({});
    expect(deployments.items.map((d) => `${d.metadata?.namespace}/${d.metadata?.name}`)).toEqual(
      expect.arrayContaining(['shop/catalog', 'search/suggest']),
    );
    const catalog = deployments.items.find((d) => d.metadata?.name === 'catalog');
    expect(catalog?.spec?.strategy?.rollingUpdate).toEqual({ maxSurge: 1, maxUnavailable: 0 });

    const hpa = (await custom.getNamespacedCustomObject({
      group: 'autoscaling',
      version: 'v2',
      namespace: 'shop',
      plural: 'horizontalpodautoscalers',
      name: 'catalog',
    })) as { spec: { minReplicas: number; maxReplicas: number } };
    expect(hpa.spec).toMatchObject({ minReplicas: 3, maxReplicas: 10 });

    const templates = (await custom.listNamespacedCustomObject({
      group: 'argoproj.io',
      version: 'v1alpha1',
      namespace: 'shop',
      plural: 'analysistemplates',
    })) as { items: { metadata: { name: string }; spec: { metrics: { name: string; successCondition: string }[] } }[] };
    const canary = templates.items.find((t) => t.metadata.name === 'canary-analysis');
    expect(canary?.spec.metrics.map((m) => [m.name, m.successCondition])).toEqual([
      ['error-rate', 'result[0] < 0.05'],
      ['latency-p99', 'result[0] < 500'],
      ['success-rate', 'result[0] > 0.99'],
    ]);
  });

  it('runs pods on kwok nodes: demo pods are Running and Ready', async () => {
    const nodes = await core.listNode({});
    expect(nodes.items.filter((n) => n.metadata?.annotations?.['kwok.x-k8s.io/node'] === 'fake').length).toBeGreaterThanOrEqual(3);
    const pods = await core.listNamespacedPod({ namespace: 'shop', labelSelector: 'app=catalog' });
    expect(pods.items.length).toBeGreaterThanOrEqual(3);
    for (const pod of pods.items) {
      expect(pod.spec?.nodeName).toMatch(/^kwok-node-/);
      expect(pod.status?.phase).toBe('Running');
      expect(pod.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    }
  });

  it('scrapes the traffic simulator: the seed metric names reach Prometheus per pod', async () => {
    const rates = async () => {
      const res = await fetch(`${urls.prometheus}/api/v1/query?query=${encodeURIComponent('sum by (service) (rate(http_requests_total{namespace="shop"}[30s]))')}`);
      const body = (await res.json()) as { data: { result: { metric: { service: string }; value: [number, string] }[] } };
      return Object.fromEntries(body.data.result.map((r) => [r.metric.service, Number(r.value[1])]));
    };
    // checkout's 40 requests a second split between its stable and canary services by the current
    // weight: together they carry all of it. An earlier test may have left a release moving, and while
    // its pods come and go the series of a new or departed pod cover only part of the 30 s window (CI
    // read 29.8 once): wait for the rate to settle rather than read one moment.
    const byService = await waitFor('checkout and payments traffic in Prometheus', async () => {
      const r = await rates();
      return (r['checkout-stable'] ?? 0) + (r['checkout-canary'] ?? 0) > 30 && (r['payments-active'] ?? 0) > 20 ? r : undefined;
    }, { timeoutMs: 90_000, intervalMs: 2000 }).catch(() => rates());
    expect((byService['checkout-stable'] ?? 0) + (byService['checkout-canary'] ?? 0)).toBeGreaterThan(30);
    expect(byService['payments-active']).toBeGreaterThan(20);
    for (const series of ['istio_requests_total', 'response_total', 'http_request_duration_seconds_bucket']) {
      const r = await fetch(`${urls.prometheus}/api/v1/query?query=${encodeURIComponent(`count(${series}{namespace="shop"})`)}`);
      const b = (await r.json()) as { data: { result: { value: [number, string] }[] } };
      expect(Number(b.data.result[0]?.value[1] ?? 0), series).toBeGreaterThan(0);
    }
  });
});
