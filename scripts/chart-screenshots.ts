/**
 * Screenshots of every chart state — data (canary), blue-green, loading, Prometheus unreachable,
 * no data, multi-series analysis — at 1440 and 390 px, light and dark, into /tmp/aviary-charts/.
 *
 *   npx tsx --conditions=react-server scripts/chart-screenshots.ts [baseUrl] [prometheusUrl]
 *
 * Data and blue-green are the running dashboard as it is. The other states are produced by the
 * server's own chart code (lib/server/prometheus/charts.ts) against a real Prometheus — a dead
 * address for "unreachable", a window before the sandbox existed for "no data", an AnalysisRun
 * whose query returns one series per pod for "multi-series" — and handed to the page in place of
 * /api/metrics, so each state is drawn by the real components from a real server answer.
 */
import { chromium, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { MetricsResponse } from '@/lib/contracts/metrics';
import { StreamSnapshot } from '@/lib/contracts/stream';
import type { WorkloadSummary } from '@/lib/contracts/workload';
import type { AnalysisRunObject } from '@/lib/rollouts/objects';
import { CoalescingCache } from '@/lib/server/prometheus/cache';
import { workloadCharts } from '@/lib/server/prometheus/charts';
import { PrometheusClient, type Series } from '@/lib/server/prometheus/client';

const base = process.argv[2] ?? 'http://127.0.0.1:3300';
const prometheusUrl = process.argv[3] ?? 'http://127.0.0.1:29090';
const out = '/tmp/aviary-charts';

async function workloads(): Promise<WorkloadSummary[]> {
  const res = await fetch(`${base}/api/workloads`);
  return StreamSnapshot.parse(await res.json()).workloads;
}

/** An AnalysisRun of the released revision, as the controller would hold it, running `query`. */
function probeRun(w: WorkloadSummary, metrics: { name: string; query: string }[]): AnalysisRunObject {
  const hash = (w.revisions.find((r) => r.roles.includes('canary')) ?? w.revisions.find((r) => r.roles.includes('stable')))?.podTemplateHash ?? '';
  return {
    metadata: { name: `${w.name}-${hash}-screenshot`, namespace: w.namespace, labels: { 'rollouts-pod-template-hash': hash }, ownerReferences: [{ kind: 'Rollout', name: w.name, uid: 'screenshot' }] },
    spec: { metrics: metrics.map((m) => ({ name: m.name, successCondition: 'result[0] < 20', provider: { prometheus: { query: m.query, address: 'http://prometheus.monitoring.svc:9090' } } })) },
  };
}

type Override = MetricsResponse | 'hold' | null;

interface Scene {
  name: string;
  path: string;
  override: Override;
}

async function scenes(): Promise<Scene[]> {
  const all = await workloads();
  const find = (ns: string, name: string) => {
    const w = all.find((x) => x.kind === 'Rollout' && x.namespace === ns && x.name === name);
    if (!w) throw new Error(`no Rollout ${ns}/${name} at ${base}`);
    return w;
  };
  const checkout = find('shop', 'checkout');
  const payments = find('shop', 'payments');
  const ctx = (url: string) => ({ client: new PrometheusClient(url, 3000), cache: new CoalescingCache<Series[]>(1000), scrapeIntervalSeconds: 5, allowedAddresses: [] });
  const detail = (w: WorkloadSummary) => `/rollouts/${w.cluster}/${w.namespace}/${w.name}`;
  const unreachable = await workloadCharts(checkout, [], '15m', ctx('http://127.0.0.1:9'));
  // The route hands the browser a fixed sentence per error kind, never the address (lib/server/http/upstream.ts).
  for (const p of unreachable.panels) if (p.error) p.error = { kind: p.error.kind, message: 'Prometheus is unreachable (request 7f3c2a)' };
  const noData = await workloadCharts(checkout, [], '15m', { ...ctx(prometheusUrl), now: Date.now() / 1000 - 3 * 86400 });
  const multi = await workloadCharts(
    checkout,
    [probeRun(checkout, [
      { name: 'rps-per-pod', query: 'sum by (pod) (rate(http_requests_total{namespace="shop",service=~"checkout.*"}[30s]))' },
      { name: 'rps-per-series', query: 'rate(http_requests_total{namespace="shop"}[30s])' },
    ])],
    '15m',
    ctx(prometheusUrl),
  );
  return [
    { name: 'data-canary', path: detail(checkout), override: null },
    { name: 'bluegreen', path: detail(payments), override: null },
    { name: 'loading', path: detail(checkout), override: 'hold' },
    { name: 'unreachable', path: detail(checkout), override: unreachable },
    { name: 'no-data', path: detail(checkout), override: noData },
    { name: 'multi-series', path: detail(checkout), override: multi },
  ];
}

async function shoot(page: Page, scene: Scene, file: string): Promise<void> {
  const override = scene.override;
  if (override) await page.route('**/api/metrics/**', (route) => (override === 'hold' ? undefined : route.fulfill({ json: override })));
  await page.goto(base + scene.path);
  const section = page.locator('section').filter({ has: page.getByRole('group', { name: 'Chart window' }) });
  await section.waitFor({ timeout: 60_000 });
  if (override !== 'hold') await section.locator('[data-chart-state]:not([data-chart-state="loading"])').first().waitFor({ timeout: 60_000 });
  await page.waitForTimeout(800);
  await section.screenshot({ path: file });
}

async function main(): Promise<void> {
  mkdirSync(out, { recursive: true });
  const list = await scenes();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  for (const scheme of ['light', 'dark'] as const) {
    for (const width of [1440, 390]) {
      for (const scene of list) {
        const page = await browser.newPage({ viewport: { width, height: 1000 }, colorScheme: scheme });
        const file = join(out, `${scene.name}-${width}-${scheme}.png`);
        await shoot(page, scene, file);
        console.log(file);
        await page.close();
      }
      const page = await browser.newPage({ viewport: { width, height: 1000 }, colorScheme: scheme });
      await page.goto(base + '/');
      await page.getByTestId('sparkline').first().waitFor({ timeout: 60_000 }).catch(() => undefined);
      await page.waitForTimeout(800);
      await page.screenshot({ path: join(out, `overview-sparklines-${width}-${scheme}.png`) });
      await page.close();
    }
  }
  await browser.close();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
