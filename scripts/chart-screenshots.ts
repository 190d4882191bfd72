/**
 * Screenshots of every chart state — data (canary), blue-green, loading, Prometheus unreachable,
 * no data, multi-series analysis — at 1440 and 390 px, light and dark, into docs/charts/ (or
 * AVIARY_CHART_OUT), signed in as alice through the sandbox's identity provider.
 *
 *   npx tsx --conditions=react-server scripts/chart-screenshots.ts [baseUrl] [prometheusUrl]
 *
 * AVIARY_CHART_SCENES=data-canary,bluegreen shoots only those scenes (say, quickly, during a
 * release); AVIARY_CHART_SUFFIX=release names the files data-canary-release-1440-light.png etc.
 *
 * Data and blue-green are the running dashboard's own /api/metrics answer, read once. The other states are produced by the
 * server's own chart code (lib/server/prometheus/charts.ts) against a real Prometheus — a dead
 * address for "unreachable", a window before the sandbox existed for "no data", an AnalysisRun
 * whose query returns one series per pod for "multi-series" — and handed to the page in place of
 * /api/metrics, so each state is drawn by the real components from a real server answer.
 */
import { chromium, type APIRequestContext, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MetricsResponse } from '@/lib/contracts/metrics';
import { StreamSnapshot } from '@/lib/contracts/stream';
import { z } from 'zod';
import type { WorkloadRow } from '@/lib/contracts/overview';
import { WorkloadSummary } from '@/lib/contracts/workload';
import type { AnalysisRunObject } from '@/lib/rollouts/objects';
import { CoalescingCache } from '@/lib/server/prometheus/cache';
import { workloadCharts } from '@/lib/server/prometheus/charts';
import { PrometheusClient, type Series } from '@/lib/server/prometheus/client';
import { repoRoot } from '@/sandbox/lib/config';
import { signInState, type StorageState } from './signed-in';

const base = process.argv[2] ?? 'http://127.0.0.1:3300';
const prometheusUrl = process.argv[3] ?? 'http://127.0.0.1:29090';
const out = process.env.AVIARY_CHART_OUT ?? join(repoRoot, 'docs', 'charts');
const only = (process.env.AVIARY_CHART_SCENES ?? '').split(',').map((s) => s.trim()).filter(Boolean);
const suffix = process.env.AVIARY_CHART_SUFFIX ? `-${process.env.AVIARY_CHART_SUFFIX}` : '';
/**
 * The page's sticky header would sit on top of the section once it is scrolled into view, and the
 * dev server's Next.js badge on its corner: neither is part of the charts.
 */
const screenshotStyle = 'header.sticky { position: static !important; } nextjs-portal { display: none !important; }';

/** The signed-in session's API client (its cookie): every read API needs a session. */
let api: APIRequestContext;
let session: StorageState;

async function workloads(): Promise<WorkloadRow[]> {
  const res = await api.get(`${base}/api/workloads`);
  return StreamSnapshot.parse(await res.json()).workloads;
}

/** The overview carries rows; one workload's full summary comes from its detail endpoint. */
async function detailOf(row: WorkloadRow): Promise<WorkloadSummary> {
  const res = await api.get(`${base}/api/workloads/detail?id=${encodeURIComponent(row.id)}`);
  return z.object({ workload: WorkloadSummary }).parse(await res.json()).workload;
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
  const find = async (ns: string, name: string) => {
    const w = all.find((x) => x.kind === 'Rollout' && x.namespace === ns && x.name === name);
    if (!w) throw new Error(`no Rollout ${ns}/${name} at ${base}`);
    return detailOf(w);
  };
  const checkout = await find('shop', 'checkout');
  const payments = await find('shop', 'payments');
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
  // The running app's own answer, read once: the page polls /api/metrics every step, and redrawing
  // every chart each time in a dev build keeps the page too busy to photograph.
  const live = async (w: WorkloadSummary) => MetricsResponse.parse(await (await api.get(`${base}/api/metrics/${w.cluster}/${w.namespace}/${w.name}?window=rollout`)).json());
  const every: Scene[] = [
    { name: 'data-canary', path: detail(checkout), override: await live(checkout) },
    { name: 'bluegreen', path: detail(payments), override: await live(payments) },
    { name: 'loading', path: detail(checkout), override: 'hold' },
    { name: 'unreachable', path: detail(checkout), override: unreachable },
    { name: 'no-data', path: detail(checkout), override: noData },
    { name: 'multi-series', path: detail(checkout), override: multi },
  ];
  return only.length > 0 ? every.filter((s) => only.includes(s.name)) : every;
}

async function shoot(page: Page, scene: Scene, file: string): Promise<void> {
  const override = scene.override;
  if (override) await page.route('**/api/metrics/**', (route) => (override === 'hold' ? undefined : route.fulfill({ json: override })));
  await page.goto(base + scene.path);
  const section = page.locator('section').filter({ has: page.getByRole('group', { name: 'Chart window' }) });
  await section.waitFor({ timeout: 60_000 });
  if (override !== 'hold') await section.locator('[data-chart-state]:not([data-chart-state="loading"])').first().waitFor({ timeout: 60_000 });
  await page.waitForTimeout(800);
  // A clip of the whole page, not an element screenshot: the live stream keeps re-rendering the
  // page, and an element screenshot can wait for a still element until it times out.
  await page.evaluate(() => window.scrollTo(0, 0));
  const box = await section.boundingBox();
  if (!box) throw new Error(`${scene.name}: the charts section has no box`);
  await page.screenshot({ path: file, fullPage: true, clip: box, style: screenshotStyle, timeout: 90_000 });
}

async function main(): Promise<void> {
  mkdirSync(out, { recursive: true });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  session = await signInState(browser, base, 'alice');
  const apiContext = await browser.newContext({ storageState: session });
  api = apiContext.request;
  const list = await scenes();
  for (const scheme of ['light', 'dark'] as const) {
    for (const width of [1440, 390]) {
      for (const scene of list) {
        const page = await browser.newPage({ storageState: session, viewport: { width, height: 1000 }, colorScheme: scheme });
        const file = join(out, `${scene.name}${suffix}-${width}-${scheme}.png`);
        await shoot(page, scene, file);
        console.log(file);
        await page.close();
      }
      if (only.length > 0 && !only.includes('overview-sparklines')) continue;
      const page = await browser.newPage({ storageState: session, viewport: { width, height: 1000 }, colorScheme: scheme });
      await page.goto(base + '/');
      await page.getByTestId('sparkline').first().waitFor({ timeout: 60_000 }).catch(() => undefined);
      await page.waitForTimeout(800);
      await page.screenshot({ path: join(out, `overview-sparklines${suffix}-${width}-${scheme}.png`), style: screenshotStyle });
      await page.close();
    }
  }
  await apiContext.close();
  await browser.close();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
