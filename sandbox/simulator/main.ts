/**
 * The sandbox's stand-in for a service mesh: it reads pods, services and routing rules from the
 * API server, splits each service's steady request rate between stable and canary as the mesh
 * would, and exposes per-pod Prometheus metrics.
 */
import { createServer } from 'node:http';
import { KubeConfig } from '@kubernetes/client-node';
import { ClusterReader, type ClusterView } from './cluster';
import { computeFlows, type Flow } from './routing';
import { TrafficRecorder } from './traffic';

const port = Number(process.env.SIMULATOR_PORT ?? 29100);
const refreshMs = Number(process.env.SIMULATOR_REFRESH_MS ?? 1000);
const tickMs = 500;

const kubeconfig = new KubeConfig();
kubeconfig.loadFromDefault();
const reader = new ClusterReader(kubeconfig);
const recorder = new TrafficRecorder();

let view: ClusterView | undefined;
let flows: Flow[] = [];
let lastRefresh = 0;
let lastError: string | undefined;

async function refresh(): Promise<void> {
  try {
    view = await reader.read();
    flows = computeFlows(view.services, view.pods, view.rules);
    lastRefresh = Date.now();
    lastError = undefined;
  } catch (error) {
    lastError = error instanceof Error ? error.message : String(error);
    console.error(`refresh failed: ${lastError}`);
  }
}

let lastTick = Date.now();
function tick(): void {
  const now = Date.now();
  const seconds = (now - lastTick) / 1000;
  lastTick = now;
  if (!view) return;
  const livePods = new Set(view.pods.map((p) => `${p.namespace}/${p.name}`));
  recorder.tick(flows, seconds, livePods);
}

const server = createServer((req, res) => {
  if (req.url === '/metrics') {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(recorder.store.render());
    return;
  }
  if (req.url === '/healthz') {
    const ok = view !== undefined;
    res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' });
    res.end(ok ? 'ok' : `not synced${lastError ? `: ${lastError}` : ''}`);
    return;
  }
  if (req.url === '/flows') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        refreshedAt: new Date(lastRefresh).toISOString(),
        error: lastError ?? null,
        flows: flows.map((f) => ({
          namespace: f.namespace,
          service: f.service,
          pod: f.pod.name,
          image: f.pod.image,
          rolloutsPodTemplateHash: f.pod.templateHash,
          requestsPerSecond: f.requestsPerSecond,
        })),
      }),
    );
    return;
  }
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not found: try /metrics, /flows or /healthz\n');
});

let refreshing = false;
const refreshTimer = setInterval(() => {
  if (refreshing) return;
  refreshing = true;
  void refresh().finally(() => (refreshing = false));
}, refreshMs);
const tickTimer = setInterval(tick, tickMs);

void refresh();
server.listen(port, '127.0.0.1', () => console.log(`traffic simulator on http://127.0.0.1:${port}/metrics`));

function shutdown(): void {
  clearInterval(refreshTimer);
  clearInterval(tickTimer);
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
