/**
 * `npm run bench` (sandbox up, scale content applied: `npm run sandbox:scale -- 1000`, a production
 * build in AVIARY_DIST_DIR): Aviary's production server and Argo's dashboard server
 * (`kubectl-argo-rollouts dashboard`) side by side against the same cluster, loopback only, every
 * scenario bounded in count and time. Writes bench/results/bench-<date>.json and .md.
 *   npm run bench -- [viewers=500] [changes=10] [cycles=10000]
 * See bench/README.md for the method.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { get as httpGet } from 'node:http';
import { constants as zlibConstants, gunzipSync, gzipSync } from 'node:zlib';
import { apiRequestCounts } from '@/sandbox/lib/apiserver-metrics';
import { ensureBuilt } from '@/sandbox/lib/build';
import { paths, repoRoot, urls } from '@/sandbox/lib/config';
import { kubectl } from '@/sandbox/lib/kubectl';
import { identities } from '@/sandbox/lib/pki';
import { measureBrowser } from './browser';

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
  const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
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

/** GET with the raw (gzipped) bytes, as a browser receives them before inflating in its own process. */
function getRaw(url: string): Promise<{ status: number; body: Buffer; encoding: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = httpGet(url, { headers: { 'Accept-Encoding': 'gzip', Accept: 'application/json' }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), encoding: res.headers['content-encoding'] }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/** The snapshot's lastEventId, from the start of the (gzipped) JSON: no need to inflate a thousand rows for it. */
function lastEventIdOf(body: Buffer, encoding: string | undefined): string | null {
  const head = encoding === 'gzip' || body[0] === 0x1f ? gunzipSync(body.subarray(0, Math.min(body.length, 2048)), { finishFlush: zlibConstants.Z_SYNC_FLUSH }) : body.subarray(0, 2048);
  return /"lastEventId":"([^"]+)"/.exec(head.toString('utf8'))?.[1] ?? null;
}

/**
 * A viewer as the browser's live stream is one: GET /api/workloads (gzipped, shared bytes), then the
 * stream from that snapshot's lastEventId. "First data" = the whole snapshot body received. Then it
 * records when each marker arrives on the stream.
 */
function streamClient(signal: AbortSignal, markers: Map<string, number[]>, onSnapshot: (ms: number) => void, counted: { bytes: number; inlineSnapshots: number; live: number }): Promise<void> {
  const started = performance.now();
  return getRaw(`${base}/api/workloads?as=gzip`)
    .then(async (snap) => {
      counted.bytes += snap.body.byteLength;
      onSnapshot(performance.now() - started);
      const lastEventId = lastEventIdOf(snap.body, snap.encoding);
      const res = await fetch(`${base}/api/stream`, { signal, headers: { Accept: 'text/event-stream', ...(lastEventId ? { 'Last-Event-ID': lastEventId } : {}) } });
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let pending = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done || !value) return;
        counted.bytes += value.byteLength;
        const at = performance.now();
        const fresh = decoder.decode(value, { stream: true });
        const text = pending + fresh;
        if (fresh.includes('event: snapshot')) counted.inlineSnapshots += 1;
        if (fresh.includes('event: ready')) counted.live += 1;
        pending = text.slice(-64);
        for (const m of text.matchAll(/"aviary-bench":"(b\d+)"/g)) markers.set(m[1], [...(markers.get(m[1]) ?? []), at]);
      }
    })
    .catch(() => undefined);
}

async function labelTarget(toolchain: Awaited<ReturnType<typeof ensureBuilt>>, value: string | null): Promise<void> {
  await kubectl(toolchain, ['label', 'rollout', target.name, '-n', target.namespace, '--overwrite', value === null ? 'aviary-bench-' : `aviary-bench=${value}`]);
}

async function main(): Promise<void> {
  const toolchain = await ensureBuilt(() => undefined);
  const distDir = process.env.AVIARY_DIST_DIR ?? '.next';
  const result: Record<string, unknown> = {
    measuredAt: new Date().toISOString(),
    machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${mib(totalmem())} MiB RAM, Node ${process.version}`,
    parameters: { viewers, changes, cycles },
  };
  const rollouts = (await kubectl(toolchain, ['get', 'rollouts', '-A', '--no-headers'])).stdout.trim().split('\n').filter(Boolean).length;
  const pods = (await kubectl(toolchain, ['get', 'pods', '-A', '--no-headers', '--field-selector=status.phase=Running'])).stdout.trim().split('\n').filter(Boolean).length;
  result.cluster = { rollouts, runningPods: pods };
  console.log(`cluster: ${rollouts} Rollouts, ${pods} running pods`);

  // ---------- Aviary (production build, anonymous read-only so no sign-in is needed) ----------
  const aviary = start(process.execPath, [join(repoRoot, 'node_modules', 'next', 'dist', 'bin', 'next'), 'start', '--hostname', '127.0.0.1', '--port', String(aviaryPort)], {
    ...process.env,
    KUBECONFIG: paths.kubeconfigFor(identities.aviary.name),
    AVIARY_PROMETHEUS_URL: urls.prometheus,
    AVIARY_PROMETHEUS_SCRAPE_INTERVAL: '5',
    AVIARY_AUTH: 'none',
    AVIARY_DIST_DIR: distDir,
    NODE_ENV: 'production',
  });
  const stopAviary = () => aviary.pid && process.kill(aviary.pid);
  process.on('exit', () => {
    try {
      stopAviary();
    } catch {
      // already gone
    }
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
    (result.aviary as Record<string, unknown>).chromium = await measureBrowser(base).catch((error: unknown) => ({ error: String(error) }));
    console.log(JSON.stringify(result.aviary));

    // A new viewer: API-server LIST/WATCH requests it causes (the whole API server's counters).
    const oneViewer = await apiDelta(async () => {
      const abort = new AbortController();
      let first = 0;
      const client = streamClient(abort.signal, new Map(), (ms) => (first = ms), { bytes: 0, inlineSnapshots: 0, live: 0 });
      await waitFor('first snapshot', async () => (first > 0 ? true : undefined), 30_000);
      abort.abort();
      await client;
      return first;
    });

    // Many viewers at once (a replica restart): time to each one's first snapshot; then writes → every client.
    const abort = new AbortController();
    const markers = new Map<string, number[]>();
    const firsts: number[] = [];
    const sent = { bytes: 0, inlineSnapshots: 0, live: 0 };
    const connectStart = performance.now();
    let liveAfterMs = 0;
    const connected = await apiDelta(async () => {
      const clients = Array.from({ length: viewers }, () => streamClient(abort.signal, markers, (ms) => firsts.push(ms), sent));
      await waitFor(`${viewers} first snapshots`, async () => (firsts.length >= viewers ? true : undefined), 120_000).catch(() => undefined);
      liveAfterMs = Math.round(performance.now() - connectStart);
      // Every stream open (its `ready` read) before anything is written: the writes measure delivery, not connecting.
      await waitFor(`${viewers} live streams`, async () => (sent.live >= viewers ? true : undefined), 120_000).catch(() => undefined);
      liveAfterMs = Math.round(performance.now() - connectStart);
      return clients;
    });
    const connectWallMs = Math.round(performance.now() - connectStart);
    const bytesAtConnect = sent.bytes;
    await sleep(2000);
    const rssWithViewers = treeRss(aviary.pid!);
    const sentAt = new Map<string, number>();
    for (let i = 0; i < changes; i++) {
      const value = `b${i}`;
      sentAt.set(value, performance.now());
      await labelTarget(toolchain, value);
      await sleep(700);
    }
    await sleep(3000);
    const latencies: number[] = [];
    let everyClient = 0;
    for (const [value, at] of sentAt) {
      const got = markers.get(value) ?? [];
      if (got.length >= viewers) everyClient += 1;
      latencies.push(...got.map((t) => t - at));
    }
    abort.abort();
    await Promise.all(connected.result);
    await labelTarget(toolchain, null);
    await sleep(3000);

    // Connect/disconnect cycles: each opens the stream, reads its first bytes, goes away.
    const rssBeforeCycles = treeRss(aviary.pid!);
    const cycleStart = performance.now();
    let done = 0;
    const worker = async () => {
      while (done < cycles && performance.now() - cycleStart < 120_000) {
        done += 1;
        const c = new AbortController();
        const res = await fetch(`${base}/api/stream`, { signal: c.signal }).catch(() => null);
        if (res?.body) await res.body.getReader().read().catch(() => undefined);
        c.abort();
      }
    };
    await Promise.all(Array.from({ length: 20 }, worker));
    await sleep(10_000);
    const health = (await (await fetch(`${base}/api/health`)).json()) as { clients: number };
    const rssAfterCycles = treeRss(aviary.pid!);

    result.aviaryStream = {
      oneNewViewer: { firstSnapshotMs: Math.round(oneViewer.result), apiServerList: oneViewer.list, apiServerWatch: oneViewer.watch },
      connectAtOnce: {
        viewers,
        gotSnapshot: firsts.length,
        firstSnapshotMs: { p50: pct(firsts, 50), p99: pct(firsts, 99), max: Math.round(Math.max(...firsts)) },
        wallMs: connectWallMs,
        bytesSentMiB: mib(bytesAtConnect),
        snapshotFramesOnTheStream: sent.inlineSnapshots,
        streamsLive: sent.live,
        allStreamsLiveMs: liveAfterMs,
        apiServerList: connected.list,
        apiServerWatch: connected.watch,
      },
      writeToEveryClient: { changes, seenByEveryClient: everyClient, ms: { p50: pct(latencies, 50), p99: pct(latencies, 99), max: Math.round(Math.max(...latencies)) }, note: 'kubectl label issued → marker read by each SSE client over HTTP; includes kubectl start-up and the 100 ms derivation debounce' },
      rssMiB: { idle: mib(idleRss), withViewers: mib(rssWithViewers), beforeCycles: mib(rssBeforeCycles), afterCycles: mib(rssAfterCycles) },
      cycles: { done, seconds: Math.round((performance.now() - cycleStart) / 1000), subscribersAfter: health.clients },
    };
    console.log(JSON.stringify(result.aviaryStream));
  } finally {
    stopAviary();
  }

  // ---------- Argo Rollouts dashboard (its API server; the web UI assets are not needed) ----------
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
              const at = performance.now();
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
      sentAt.set(value, performance.now());
      await labelTarget(toolchain, value);
      await sleep(1500);
    }
    await sleep(3000);
    const rssWithWatchers = treeRss(argo.pid!);
    const lat: number[] = [];
    for (const [value, at] of sentAt) lat.push(...(arrivals.get(value) ?? []).slice(0, watchers * 4).map((t) => t - at));
    abort.abort();
    await labelTarget(toolchain, null);
    result.argo = {
      listAllMs: { first: first.result.ms, again },
      rolloutsListed: first.result.rollouts,
      perNewViewer: { apiServerList: first.list, apiServerWatch: first.watch, note: 'one viewer listing the 10 scale namespaces once' },
      watchers: { count: watchers, apiServerList: watching.list, apiServerWatch: watching.watch },
      watchLatencyMs: { p50: pct(lat, 50), p99: pct(lat, 99), max: Math.round(Math.max(...lat)), samples: lat.length },
      rssMiB: { idle: mib(idle), afterList: mib(rssAfterList), withWatchers: mib(rssWithWatchers) },
    };
    console.log(JSON.stringify(result.argo));
  } catch (error) {
    result.argo = { error: error instanceof Error ? error.message : String(error) };
  } finally {
    if (argo.pid) process.kill(argo.pid);
  }

  const dir = join(repoRoot, 'bench', 'results');
  await mkdir(dir, { recursive: true });
  const stamp = String(result.measuredAt).slice(0, 10);
  await writeFile(join(dir, `bench-${stamp}.json`), `${JSON.stringify(result, null, 2)}\n`);
  await writeFile(join(dir, `bench-${stamp}.md`), markdown(result));
  console.log(markdown(result));
}

function markdown(r: Record<string, unknown>): string {
  const a = r.aviary as Record<string, Record<string, unknown>> | undefined;
  const s = r.aviaryStream as Record<string, Record<string, unknown>> | undefined;
  const g = r.argo as Record<string, Record<string, unknown>> | undefined;
  const j = (v: unknown) => (v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  const lines = [
    `Measured ${j(r.measuredAt)} on ${j(r.machine)}; cluster ${j(r.cluster)}; parameters ${j(r.parameters)}.`,
    '',
    '| figure | Aviary | Argo dashboard |',
    '| --- | --- | --- |',
    `| list every rollout (ms) | /api/workloads ${j(a?.apiWorkloads?.listMs)} | /info of 10 namespaces: first ${j(g?.listAllMs?.first)}, again ${j(g?.listAllMs?.again)} |`,
    `| bytes | /api/workloads ${j(a?.apiWorkloads?.bytes)} (${j(a?.apiWorkloads?.bytesPerWorkload)} per workload); one detail ${j(a?.detailEndpointBytes)} | — |`,
    `| API-server LIST / WATCH per new viewer | ${j(s?.oneNewViewer?.apiServerList)} / ${j(s?.oneNewViewer?.apiServerWatch)} (whole API server, any client) | ${j(g?.perNewViewer?.apiServerList)} / ${j(g?.perNewViewer?.apiServerWatch)} |`,
    `| watch streams: API-server LIST / WATCH | ${j(s?.connectAtOnce?.viewers)} viewers: ${j(s?.connectAtOnce?.apiServerList)} / ${j(s?.connectAtOnce?.apiServerWatch)} | ${j(g?.watchers?.count)} viewers: ${j(g?.watchers?.apiServerList)} / ${j(g?.watchers?.apiServerWatch)} |`,
    `| write → client (ms) | ${j(s?.writeToEveryClient?.ms)} to ${j(s?.connectAtOnce?.viewers)} clients, ${j(s?.writeToEveryClient?.seenByEveryClient)}/${j(s?.writeToEveryClient?.changes)} seen by all | ${j(g?.watchLatencyMs)} |`,
    `| memory (MiB RSS) | ${j(s?.rssMiB)} | ${j(g?.rssMiB)} |`,
    `| viewers connecting at once | ${j(s?.connectAtOnce)} | — |`,
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
