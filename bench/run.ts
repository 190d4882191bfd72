/**
 * `npm run bench` (sandbox up, scale content applied: `npm run sandbox:scale -- 1000`, a production
 * build in AVIARY_DIST_DIR): Aviary's production server and Argo's dashboard server
 * (`kubectl-argo-rollouts dashboard`) side by side against the same cluster, loopback only, every
 * scenario bounded in count and time. Writes bench/results/bench-<date>.json and .md.
 *   npm run bench -- [viewers=500] [changes=10] [cycles=10000]
 * See bench/README.md for the method.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { request as httpsRequest } from 'node:https';
import { gzipSync } from 'node:zlib';
import { apiRequestCounts } from '@/sandbox/lib/apiserver-metrics';
import { ensureBuilt } from '@/sandbox/lib/build';
import { paths, repoRoot, urls } from '@/sandbox/lib/config';
import { kubectl } from '@/sandbox/lib/kubectl';
import { identities, pkiFiles } from '@/sandbox/lib/pki';
import { measureBrowser, openLivePages } from './browser';
import type { ParentMessage, ViewerTimes, WorkerMessage } from './viewers';

const viewers = Number(process.argv[2] ?? 500);
const changes = Number(process.argv[3] ?? 10);
const cycles = Number(process.argv[4] ?? 10_000);
const aviaryPort = Number(process.env.AVIARY_BENCH_PORT ?? 3301);
const argoPort = Number(process.env.AVIARY_BENCH_ARGO_PORT ?? 3311);
const base = `http://127.0.0.1:${aviaryPort}`;
/** The dashboard serves its API under its root path (/rollouts). */
const argoBase = `http://127.0.0.1:${argoPort}/rollouts`;
/** The Rollout whose label the latency scenarios change. */
const target = { namespace: 'scale-00', name: 'svc-0000' };
/** `AVIARY_BENCH_SKIP=argo,chromium,cycles`: leave those parts out (a quicker run while profiling). */
const skip = new Set((process.env.AVIARY_BENCH_SKIP ?? '').split(',').filter(Boolean));
const scaleNamespaces = Array.from({ length: 10 }, (_, i) => `scale-${String(i).padStart(2, '0')}`);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (values: number[], p: number) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]);
};
const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** Resident memory of a process and its descendants, from /proc. */
function treeRss(root: number): number {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  let total = 0;
  const visit = (pid: number) => {
    try {
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      total += Number(rss ?? 0) * 1024;
    } catch {
      return;
    }
    for (const child of children.get(pid) ?? []) visit(child);
  };
  visit(root);
  return total;
}

async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    await sleep(500);
  }
  throw new Error(`timed out waiting for ${what}`);
}

function start(command: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(command, args, { env, cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.on('data', (d: Buffer) => process.stderr.write(`[${command.split('/').pop()}] ${d.toString()}`));
  return child;
}

const listVerbs = (counts: Map<string, number>) => {
  let list = 0;
  let watch = 0;
  for (const [key, value] of counts) {
    if (key.startsWith('LIST ')) list += value;
    if (key.startsWith('WATCH ')) watch += value;
  }
  return { list, watch };
};

async function apiDelta<T>(run: () => Promise<T>): Promise<{ result: T; list: number; watch: number }> {
  const before = listVerbs(await apiRequestCounts());
  const result = await run();
  await sleep(1000);
  const after = listVerbs(await apiRequestCounts());
  return { result, list: after.list - before.list, watch: after.watch - before.watch };
}

const now = () => performance.timeOrigin + performance.now();

/** The bench's load generator: `count` forked processes (bench/viewers.ts), so the clients' work is not one event loop's queue. */
class ViewerPool {
  private constructor(private readonly workers: ChildProcess[]) {}

  static async start(count: number): Promise<ViewerPool> {
    const profile = process.env.AVIARY_BENCH_CPU_PROF;
    const workers = Array.from({ length: count }, () =>
      fork(join(repoRoot, 'bench', 'viewers.ts'), [], { execArgv: ['--import', 'tsx', ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${join(profile, 'viewers')}`] : [])], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
    );
    await sleep(1500); // tsx start-up, before anything is timed
    return new ViewerPool(workers);
  }

  get size(): number {
    return this.workers.length;
  }

  /** Sends each worker its message and resolves with each one's next reply of `type`. */
  ask<T extends WorkerMessage['type']>(message: (index: number) => ParentMessage, type: T): Promise<Extract<WorkerMessage, { type: T }>[]> {
    return Promise.all(
      this.workers.map(
        (worker, index) =>
          new Promise<Extract<WorkerMessage, { type: T }>>((resolve) => {
            const onMessage = (reply: WorkerMessage) => {
              if (reply.type !== type) return;
              worker.off('message', onMessage);
              resolve(reply as Extract<WorkerMessage, { type: T }>);
            };
            worker.on('message', onMessage);
            worker.send(message(index));
          }),
      ),
    );
  }

  /** `total` split as evenly as the workers allow. */
  share(total: number, index: number): number {
    return Math.floor(total / this.workers.length) + (index < total % this.workers.length ? 1 : 0);
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            w.once('exit', () => resolve());
            w.disconnect();
            setTimeout(() => {
              w.kill();
              resolve();
            }, 5000).unref();
          }),
      ),
    );
  }
}

/** A write on the API server: a merge patch of the target's label (no kubectl start-up in the timing); its send time, acknowledgement time and the new resourceVersion. */
async function patchLabel(value: string | null): Promise<{ sent: number; acked: number; resourceVersion: number }> {
  const tls = { ca: await readFile(pkiFiles.caCert), cert: await readFile(pkiFiles.clientCert(identities.admin)), key: await readFile(pkiFiles.clientKey(identities.admin)) };
  const body = JSON.stringify({ metadata: { labels: { 'aviary-bench': value } } });
  const url = new URL(`${urls.apiserver}/apis/argoproj.io/v1alpha1/namespaces/${target.namespace}/rollouts/${target.name}`);
  return new Promise((resolve, reject) => {
    const sent = now();
    const req = httpsRequest(url, { method: 'PATCH', ...tls, headers: { 'Content-Type': 'application/merge-patch+json', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        const acked = now();
        if (res.statusCode !== 200) return reject(new Error(`PATCH rollout: ${res.statusCode} ${text.slice(0, 200)}`));
        resolve({ sent, acked, resourceVersion: Number((JSON.parse(text) as { metadata: { resourceVersion: string } }).metadata.resourceVersion) });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const stats = (values: number[]) => ({ p50: pct(values, 50), p95: pct(values, 95), p99: pct(values, 99), max: values.length ? Math.round(Math.max(...values)) : NaN, n: values.length });

async function main(): Promise<void> {
  const toolchain = await ensureBuilt(() => undefined);
  const distDir = process.env.AVIARY_DIST_DIR ?? '.next';
  const result: Record<string, unknown> = {
    measuredAt: new Date().toISOString(),
    machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${mib(totalmem())} MiB RAM, Node ${process.version}`,
    parameters: { viewers, changes, cycles },
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
  };
  const rollouts = (await kubectl(toolchain, ['get', 'rollouts', '-A', '--no-headers'])).stdout.trim().split('\n').filter(Boolean).length;
  const pods = (await kubectl(toolchain, ['get', 'pods', '-A', '--no-headers', '--field-selector=status.phase=Running'])).stdout.trim().split('\n').filter(Boolean).length;
  result.cluster = { rollouts, runningPods: pods };
  console.log(`cluster: ${rollouts} Rollouts, ${pods} running pods`);

  // ---------- Aviary (production build, anonymous read-only so no sign-in is needed) ----------
  // `npm start`'s server (server.mjs: Next's handler behind a plain Node HTTP server). AVIARY_BENCH_CPU_PROF=<dir>
  // writes a V8 CPU profile of it (and of the load generator) there when it exits.
  const profileDir = process.env.AVIARY_BENCH_CPU_PROF;
  const aviary = start(process.execPath, [...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, 'server')}`] : []), join(repoRoot, 'server.mjs')], {
    ...process.env,
    PORT: String(aviaryPort),
    AVIARY_LISTEN_HOST: '127.0.0.1',
    KUBECONFIG: paths.kubeconfigFor(identities.aviary.name),
    AVIARY_PROMETHEUS_URL: urls.prometheus,
    AVIARY_PROMETHEUS_SCRAPE_INTERVAL: '5',
    AVIARY_AUTH: 'none',
    AVIARY_DIST_DIR: distDir,
    NODE_ENV: 'production',
  });
  const aviaryExited = new Promise<void>((resolve) => aviary.once('exit', () => resolve()));
  let stopping = false;
  /** One SIGTERM (server.mjs closes and exits; a profile is written then), and wait for it to be gone. */
  const stopAviary = async () => {
    if (!stopping && aviary.exitCode === null && aviary.signalCode === null) {
      stopping = true;
      aviary.kill('SIGTERM');
    }
    await Promise.race([aviaryExited, sleep(60_000)]);
  };
  process.on('exit', () => {
    if (!stopping && aviary.exitCode === null) aviary.kill('SIGTERM');
  });
  try {
    const t0 = performance.now();
    const { count, cluster } = await waitFor('Aviary to list the cluster', async () => {
      const res = await fetch(`${base}/api/workloads`);
      if (!res.ok) return undefined;
      const body = (await res.json()) as { workloads: { cluster: string; namespace: string; name: string }[] };
      const mine = body.workloads.find((w) => w.namespace === target.namespace && w.name === target.name);
      return body.workloads.length >= rollouts && mine ? { count: body.workloads.length, cluster: mine.cluster } : undefined;
    }, 180_000);
    console.log(`aviary: ${count} workloads after ${Math.round(performance.now() - t0)} ms`);
    await sleep(5000);
    const idleRss = treeRss(aviary.pid!);

    // The overview's data and pages.
    const timed = async (url: string) => {
      const s = performance.now();
      const res = await fetch(url, { headers: { 'Accept-Encoding': 'identity' } });
      const body = Buffer.from(await res.arrayBuffer());
      return { ms: Math.round(performance.now() - s), bytes: body.byteLength, gzip: gzipSync(body).byteLength, text: body.toString('utf8'), status: res.status };
    };
    const list = [] as number[];
    let snapshotBytes = 0;
    for (let i = 0; i < 5; i++) {
      const r = await timed(`${base}/api/workloads`);
      list.push(r.ms);
      snapshotBytes = r.bytes;
    }
    const detailJson = await timed(`${base}/api/workloads/detail?id=${encodeURIComponent(`${cluster}/Rollout/${target.namespace}/${target.name}`)}`);
    const overview = await timed(`${base}/`);
    const detailPage = await timed(`${base}/rollouts/${cluster}/${target.namespace}/${target.name}`);
    const scripts = async (html: string) => {
      let gz = 0;
      for (const src of new Set([...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) => m[1]))) gz += (await timed(new URL(src, base).toString())).gzip;
      return gz;
    };
    result.aviary = {
      idleRssMiB: mib(idleRss),
      workloads: count,
      apiWorkloads: { bytes: snapshotBytes, bytesPerWorkload: Math.round(snapshotBytes / count), listMs: { p50: pct(list, 50), max: Math.max(...list) } },
      detailEndpointBytes: detailJson.bytes,
      overviewHtml: { status: overview.status, bytes: overview.bytes, gzip: overview.gzip, jsGzip: await scripts(overview.text) },
      detailHtml: { status: detailPage.status, bytes: detailPage.bytes, gzip: detailPage.gzip, jsGzip: await scripts(detailPage.text) },
    };
    // A real Chromium: cold overview → first card; one keystroke in the search box → list re-rendered.
    if (!skip.has('chromium')) (result.aviary as Record<string, unknown>).chromium = await measureBrowser(base).catch((error: unknown) => ({ error: String(error) }));
    console.log(JSON.stringify(result.aviary));

    const pool = await ViewerPool.start(Number(process.env.AVIARY_BENCH_WORKERS ?? 4));
    try {
      // A new viewer: API-server LIST/WATCH requests it causes (the whole API server's counters).
      const oneViewer = await apiDelta(async () => {
        const [one] = await pool.ask((i) => ({ type: 'connect', base, count: i === 0 ? 1 : 0 }), 'connected');
        await sleep(500);
        await pool.ask(() => ({ type: 'close' }), 'closed');
        const v = one.viewers[0];
        return v?.snapshotDone ? v.snapshotDone - v.start : NaN;
      });

      // Many viewers at once (a replica restart): each one's first data, from the moment they all start.
      const connectStart = now();
      const connected = await apiDelta(async () => {
        await pool.ask((i) => ({ type: 'connect', base, count: pool.share(viewers, i) }), 'connected');
        const snapshotsMs = Math.round(now() - connectStart);
        // Every stream open (its first bytes read) before anything is written: the writes measure delivery, not connecting.
        const live = await waitFor(
          `${viewers} live streams`,
          async () => {
            const reports = await pool.ask(() => ({ type: 'report' }), 'report');
            const all = reports.flatMap((r) => r.viewers);
            return all.filter((v) => v.streamFirstByte !== null).length >= viewers ? all : undefined;
          },
          120_000,
        ).catch(async () => (await pool.ask(() => ({ type: 'report' }), 'report')).flatMap((r) => r.viewers));
        return { snapshotsMs, liveMs: Math.round(now() - connectStart), viewers: live };
      });
      const times = connected.result.viewers;
      const since = (pick: (v: ViewerTimes) => number | null) => times.map(pick).filter((t): t is number => t !== null).map((t) => t - connectStart);
      const connectAtOnce = {
        viewers,
        loadGenerator: `${pool.size} processes (bench/viewers.ts), raw node:http, nothing parsed`,
        firstByteMs: stats(since((v) => v.snapshotHeaders)),
        firstDataMs: stats(since((v) => v.snapshotDone)),
        streamOpenMs: stats(since((v) => v.streamFirstByte)),
        within2s: since((v) => v.snapshotDone).filter((t) => t <= 2000).length,
        errors: times.filter((v) => v.error).length,
        firstError: times.find((v) => v.error)?.error ?? null,
        snapshotMiB: mib(times.reduce((sum, v) => sum + v.snapshotBytes, 0)),
        allSnapshotsMs: connected.result.snapshotsMs,
        allStreamsLiveMs: connected.result.liveMs,
        apiServerList: connected.list,
        apiServerWatch: connected.watch,
      };
      console.log(JSON.stringify({ connectAtOnce }));
      await sleep(2000);
      const rssWithViewers = treeRss(aviary.pid!);

      // Writes → every client, and → the DOM of real Chromium pages (open on the same workload while the viewers are connected).
      const browserPages = Number(process.env.AVIARY_BENCH_PAGES ?? 2);
      const pages = skip.has('chromium') ? null : await openLivePages(base, browserPages, target).catch((error: unknown) => {
        console.error(`Chromium pages: ${String(error)}`);
        return null;
      });
      const writes: { value: string; sent: number; acked: number; resourceVersion: number }[] = [];
      for (let i = 0; i < changes; i++) {
        const value = `b${i}`;
        writes.push({ value, ...(await patchLabel(value)) });
        await sleep(700);
      }
      await sleep(3000);
      const reports = await pool.ask(() => ({ type: 'report' }), 'report');
      const fromSent: number[] = [];
      const fromAcked: number[] = [];
      let everyClient = 0;
      for (const w of writes) {
        const got = reports.flatMap((r) => r.markers[w.value] ?? []);
        if (got.length >= viewers) everyClient += 1;
        for (const t of got) {
          fromSent.push(t - w.sent);
          fromAcked.push(t - w.acked);
        }
      }
      let toDom: Record<string, unknown> = { error: 'no Chromium pages' };
      if (pages) {
        const seen = await pages.seen();
        const lat: number[] = [];
        let missed = 0;
        for (const w of writes) {
          for (const page of seen) {
            const hit = page.find((s) => s.rv >= w.resourceVersion);
            if (hit) lat.push(hit.at - w.sent);
            else missed += 1;
          }
        }
        toDom = { pages: seen.length, ms: stats(lat), missed, note: 'write sent → the card carries the written resourceVersion (MutationObserver, at the next animation frame)' };
        await pages.close();
      }
      const streamBytes = reports.reduce((sum, r) => sum + r.streamBytes, 0);
      await pool.ask(() => ({ type: 'close' }), 'closed');
      await patchLabel(null);
      await sleep(3000);

      // Connect/disconnect cycles: each opens the stream, reads its first bytes, goes away; spread over the pool.
      const rssBeforeCycles = treeRss(aviary.pid!);
      const cycleStart = now();
      const concurrency = Number(process.env.AVIARY_BENCH_CYCLE_CONCURRENCY ?? 32);
      const cycleReplies = skip.has('cycles') ? [] : await pool.ask((i) => ({ type: 'cycles', base, concurrency: Math.max(1, Math.round(concurrency / pool.size)), until: cycleStart + 120_000, max: pool.share(cycles, i) }), 'cycles');
      const cycleSeconds = Math.round((now() - cycleStart) / 100) / 10;
      await sleep(10_000);
      const health = (await (await fetch(`${base}/api/health`)).json()) as { clients: number };
      const rssAfterCycles = treeRss(aviary.pid!);

      result.aviaryStream = {
        oneNewViewer: { firstDataMs: Math.round(oneViewer.result), apiServerList: oneViewer.list, apiServerWatch: oneViewer.watch },
        connectAtOnce,
        writeToEveryClient: {
          changes,
          seenByEveryClient: everyClient,
          fromSentMs: stats(fromSent),
          fromAckedMs: stats(fromAcked),
          streamMiB: mib(streamBytes),
          note: 'merge PATCH of a label on the API server (no kubectl) → the change read by each SSE client over HTTP',
        },
        writeToDom: toDom,
        rssMiB: { idle: mib(idleRss), withViewers: mib(rssWithViewers), beforeCycles: mib(rssBeforeCycles), afterCycles: mib(rssAfterCycles), afterVsBefore: Math.round((rssAfterCycles / rssBeforeCycles - 1) * 1000) / 10 },
        cycles: { done: cycleReplies.reduce((n, r) => n + r.done, 0), failed: cycleReplies.reduce((n, r) => n + r.failed, 0), concurrency, seconds: cycleSeconds, subscribersAfter: health.clients },
      };
    } finally {
      await pool.stop();
    }
    console.log(JSON.stringify(result.aviaryStream));
  } finally {
    await stopAviary();
  }

  // ---------- Argo Rollouts dashboard (its API server; the web UI assets are not needed) ----------
  if (!skip.has('argo')) await measureArgo(toolchain, result);

  const dir = join(repoRoot, 'bench', 'results');
  await mkdir(dir, { recursive: true });
  const stem = process.env.AVIARY_BENCH_OUT ?? `bench-${String(result.measuredAt).slice(0, 10)}`;
  result.loadAverageAtEnd = loadavg().map((l) => Math.round(l * 100) / 100);
  await writeFile(join(dir, `${stem}.json`), `${JSON.stringify(result, null, 2)}\n`);
  await writeFile(join(dir, `${stem}.md`), markdown(result));
  console.log(markdown(result));
}

async function measureArgo(toolchain: Awaited<ReturnType<typeof ensureBuilt>>, result: Record<string, unknown>): Promise<void> {
  const argo = start(toolchain.argo.bin('kubectl-argo-rollouts'), ['dashboard', '--port', String(argoPort)], { ...process.env, KUBECONFIG: paths.kubeconfig });
  try {
    await waitFor('Argo dashboard', async () => ((await fetch(`${argoBase}/api/v1/namespace`)).status < 500 ? true : undefined), 60_000);
    await sleep(2000);
    const idle = treeRss(argo.pid!);
    const listAll = async () => {
      const s = performance.now();
      let n = 0;
      for (const ns of scaleNamespaces) {
        const body = (await (await fetch(`${argoBase}/api/v1/rollouts/${ns}/info`)).json()) as { rollouts?: unknown[] };
        n += body.rollouts?.length ?? 0;
      }
      return { ms: Math.round(performance.now() - s), rollouts: n };
    };
    const first = await apiDelta(listAll);
    const again: number[] = [];
    for (let i = 0; i < 2; i++) again.push((await listAll()).ms);
    const rssAfterList = treeRss(argo.pid!);
    // Watch latency: a few watch streams on the target's namespace, the same label change.
    const watchers = 10;
    const abort = new AbortController();
    const arrivals = new Map<string, number[]>();
    const watching = await apiDelta(async () => {
      const streams = Array.from({ length: watchers }, () =>
        fetch(`${argoBase}/api/v1/rollouts/${target.namespace}/info/watch`, { signal: abort.signal })
          .then(async (res) => {
            const reader = res.body!.getReader();
            const decoder = new TextDecoder();
            for (;;) {
              const { value, done } = await reader.read();
              if (done || !value) return;
              const at = now();
              for (const m of decoder.decode(value, { stream: true }).matchAll(/"aviary-bench":"(b\d+)"/g)) arrivals.set(m[1], [...(arrivals.get(m[1]) ?? []), at]);
            }
          })
          .catch(() => undefined),
      );
      await sleep(5000);
      return streams;
    });
    const sentAt = new Map<string, number>();
    for (let i = 0; i < changes; i++) {
      const value = `b${i}`;
      sentAt.set(value, (await patchLabel(value)).sent);
      await sleep(1500);
    }
    await sleep(3000);
    const rssWithWatchers = treeRss(argo.pid!);
    const lat: number[] = [];
    for (const [value, at] of sentAt) lat.push(...(arrivals.get(value) ?? []).slice(0, watchers * 4).map((t) => t - at));
    abort.abort();
    await patchLabel(null);
    result.argo = {
      listAllMs: { first: first.result.ms, again },
      rolloutsListed: first.result.rollouts,
      perNewViewer: { apiServerList: first.list, apiServerWatch: first.watch, note: 'one viewer listing the 10 scale namespaces once' },
      watchers: { count: watchers, apiServerList: watching.list, apiServerWatch: watching.watch },
      watchLatencyMs: { ...stats(lat), note: 'from the PATCH sent' },
      rssMiB: { idle: mib(idle), afterList: mib(rssAfterList), withWatchers: mib(rssWithWatchers) },
    };
    console.log(JSON.stringify(result.argo));
  } catch (error) {
    result.argo = { error: error instanceof Error ? error.message : String(error) };
  } finally {
    if (argo.pid) process.kill(argo.pid);
  }
}

function markdown(r: Record<string, unknown>): string {
  const a = r.aviary as Record<string, Record<string, unknown>> | undefined;
  const s = r.aviaryStream as Record<string, Record<string, unknown>> | undefined;
  const g = r.argo as Record<string, Record<string, unknown>> | undefined;
  const j = (v: unknown) => (v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  const lines = [
    `Measured ${j(r.measuredAt)} on ${j(r.machine)}, load average at start ${j(r.loadAverage)}, at end ${j(r.loadAverageAtEnd)}; cluster ${j(r.cluster)}; parameters ${j(r.parameters)}.`,
    '',
    '| figure | Aviary | Argo dashboard |',
    '| --- | --- | --- |',
    `| list every rollout (ms) | /api/workloads ${j(a?.apiWorkloads?.listMs)} | /info of 10 namespaces: first ${j(g?.listAllMs?.first)}, again ${j(g?.listAllMs?.again)} |`,
    `| bytes | /api/workloads ${j(a?.apiWorkloads?.bytes)} (${j(a?.apiWorkloads?.bytesPerWorkload)} per workload); one detail ${j(a?.detailEndpointBytes)} | — |`,
    `| API-server LIST / WATCH per new viewer | ${j(s?.oneNewViewer?.apiServerList)} / ${j(s?.oneNewViewer?.apiServerWatch)} (whole API server, any client) | ${j(g?.perNewViewer?.apiServerList)} / ${j(g?.perNewViewer?.apiServerWatch)} |`,
    `| watch streams: API-server LIST / WATCH | ${j(s?.connectAtOnce?.viewers)} viewers: ${j(s?.connectAtOnce?.apiServerList)} / ${j(s?.connectAtOnce?.apiServerWatch)} | ${j(g?.watchers?.count)} viewers: ${j(g?.watchers?.apiServerList)} / ${j(g?.watchers?.apiServerWatch)} |`,
    `| write → client (ms, from the PATCH sent) | ${j(s?.writeToEveryClient?.fromSentMs)} to ${j(s?.connectAtOnce?.viewers)} clients, ${j(s?.writeToEveryClient?.seenByEveryClient)}/${j(s?.writeToEveryClient?.changes)} seen by all; from the PATCH acknowledged ${j(s?.writeToEveryClient?.fromAckedMs)} | ${j(g?.watchLatencyMs)} |`,
    `| write → DOM of a Chromium page (ms) | ${j(s?.writeToDom)} | — |`,
    `| memory (MiB RSS) | ${j(s?.rssMiB)} | ${j(g?.rssMiB)} |`,
    `| viewers connecting at once (ms from the storm's start) | ${j(s?.connectAtOnce)} | — |`,
    `| connect/disconnect cycles | ${j(s?.cycles)} | — |`,
    `| overview HTML | ${j(a?.overviewHtml)} | — |`,
    `| detail HTML | ${j(a?.detailHtml)} | — |`,
    `| overview in Chromium (ms) | ${j(a?.chromium)} | — |`,
    '',
  ];
  return lines.join('\n');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
