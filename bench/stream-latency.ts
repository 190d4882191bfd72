/**
 * Benchmark: how long from a change in the cluster to the event reaching every open stream, and
 * what many viewers cost. Against the running sandbox (`npm run sandbox:up` first):
 *   npm run bench:stream -- [viewers] [changes]
 * Writes bench/results/stream-latency.json and prints a summary. Bounded: `changes` label edits,
 * one per 500 ms, on one Deployment in the sandbox.
 */
import { setMaxListeners } from 'node:events';
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { paths, repoRoot } from '@/sandbox/lib/config';
import { ensureBuilt } from '@/sandbox/lib/build';
import { kubectl } from '@/sandbox/lib/kubectl';
import { ClusterCache } from '@/lib/server/cluster/cache';
import { kubeRequestCounts } from '@/lib/server/kube/http';
import { StreamHub } from '@/lib/server/stream/hub';

const viewers = Number(process.argv[2] ?? 200);
const changes = Number(process.argv[3] ?? 20);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
  const toolchain = await ensureBuilt(() => undefined);
  const kc = new KubeConfig();
  kc.loadFromFile(paths.kubeconfig);
  const cache = new ClusterCache('sandbox', kc, undefined, 100);
  cache.start();
  while (!cache.currentHealth().connected || cache.workloads.size === 0) await new Promise((r) => setTimeout(r, 100));
  const hub = new StreamHub({ workloads: () => [...cache.workloads.values()], health: () => [cache.currentHealth()] });
  cache.onChanges((c) => hub.publish(c));

  const requestsBefore = { ...kubeRequestCounts };
  const heapBefore = process.memoryUsage().heapUsed;
  const abort = new AbortController();
  // One signal stands in for many requests' signals here.
  setMaxListeners(viewers + 10, abort.signal);
  const arrivals = new Map<string, number[]>();
  const decoder = new TextDecoder();
  await Promise.all(
    Array.from({ length: viewers }, async () => {
      const reader = hub.subscribe(() => true, null, abort.signal).getReader();
      void (async () => {
        for (;;) {
          const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
          if (done || !value) return;
          const text = decoder.decode(value);
          const at = performance.now();
          for (const match of text.matchAll(/"aviary-bench":"(b\d+)"/g)) {
            const list = arrivals.get(match[1]) ?? [];
            list.push(at);
            arrivals.set(match[1], list);
          }
        }
      })();
    }),
  );
  const heapWithViewers = process.memoryUsage().heapUsed;

  const sentAt = new Map<string, number>();
  for (let i = 0; i < changes; i++) {
    const value = `b${i}`;
    sentAt.set(value, performance.now());
    await kubectl(toolchain, ['label', 'deployment', 'suggest', '-n', 'search', '--overwrite', `aviary-bench=${value}`]);
    await new Promise((r) => setTimeout(r, 500));
  }
  await new Promise((r) => setTimeout(r, 2000));

  const latencies: number[] = [];
  let complete = 0;
  for (const [value, start] of sentAt) {
    const got = arrivals.get(value) ?? [];
    // Each viewer sees a label at most once per upsert; take the first arrival per viewer.
    if (got.length >= viewers) complete += 1;
    latencies.push(...got.slice(0, viewers).map((t) => t - start));
  }
  const result = {
    measuredAt: new Date().toISOString(),
    viewers,
    changes,
    changesSeenByEveryViewer: complete,
    latencyMs: {
      p50: Math.round(percentile(latencies, 50)),
      p90: Math.round(percentile(latencies, 90)),
      p99: Math.round(percentile(latencies, 99)),
      max: Math.round(Math.max(...latencies)),
    },
    note: 'latency = kubectl label issued → event read by a stream reader; includes kubectl process start (~100-200 ms) and the 100 ms derivation debounce',
    apiRequestsDuringRun: {
      list: kubeRequestCounts.list - requestsBefore.list,
      watch: kubeRequestCounts.watch - requestsBefore.watch,
    },
    heapPerViewerKb: Math.round((heapWithViewers - heapBefore) / viewers / 1024),
    workloads: cache.workloads.size,
  };
  abort.abort();
  hub.close();
  cache.stop();
  await kubectl(toolchain, ['label', 'deployment', 'suggest', '-n', 'search', 'aviary-bench-']);
  await mkdir(join(repoRoot, 'bench', 'results'), { recursive: true });
  await writeFile(join(repoRoot, 'bench', 'results', 'stream-latency.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
