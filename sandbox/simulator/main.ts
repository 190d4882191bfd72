/**
 * The sandbox's stand-in for a service mesh: it follows pods, services and routing rules on the
 * API server (list once, then watch), splits each service's steady request rate between stable
 * and canary as the mesh would, and exposes per-pod Prometheus metrics.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { KubeConfig } from '@kubernetes/client-node';
import { ClusterWatcher } from './cluster';
import { ErrorInjections, parseInjection } from './injections';
import { computeFlows, type Flow } from './routing';
import { TrafficRecorder } from './traffic';

const port = Number(process.env.SIMULATOR_PORT ?? 29100);
const tickMs = 500;

const kubeconfig = new KubeConfig();
kubeconfig.loadFromDefault();
const cluster = new ClusterWatcher(kubeconfig);
const recorder = new TrafficRecorder();
const injections = new ErrorInjections();

let flows: Flow[] = [];
let lastTick = Date.now();

/** Routing follows the watched objects every tick: no polling of the API server. */
function tick(): void {
  const now = Date.now();
  const seconds = (now - lastTick) / 1000;
  lastTick = now;
  if (!cluster.synced) return;
  const view = cluster.view();
  flows = computeFlows(view.services, view.pods, view.rules);
  const livePods = new Set(view.pods.map((p) => `${p.namespace}/${p.name}`));
  recorder.tick(flows, seconds, livePods, (flow) => injections.ratioFor(flow, now));
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** /faults: GET lists, POST sets, DELETE ends an error injection (sandbox:fault simulator-errors). */
async function faults(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method === 'GET') return json(res, 200, injections.list());
  const body = await readJson(req);
  if (req.method === 'POST') {
    const injection = parseInjection(body);
    if (typeof injection === 'string') return json(res, 400, { error: injection });
    injections.set(injection);
    console.log(`fault: ${injection.namespace}/${injection.service} answers ${injection.errorRatio} of requests with 5xx until ${new Date(injection.until).toISOString()}`);
    return json(res, 200, injection);
  }
  if (req.method === 'DELETE') {
    const { namespace, service } = (body ?? {}) as { namespace?: unknown; service?: unknown };
    if (typeof namespace !== 'string' || typeof service !== 'string') return json(res, 400, { error: 'namespace and service required' });
    const cleared = injections.clear(namespace, service);
    if (cleared) console.log(`fault lifted: ${namespace}/${service}`);
    return json(res, 200, { cleared });
  }
  json(res, 405, { error: 'GET, POST or DELETE' });
}

const server = createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/metrics') {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(recorder.store.render());
    return;
  }
  if (path === '/healthz') {
    const ok = cluster.synced;
    res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' });
    res.end(ok ? 'ok' : `not synced${cluster.lastError ? `: ${cluster.lastError}` : ''}`);
    return;
  }
  if (path === '/sync') {
    json(res, 200, { synced: cluster.synced, ...cluster.counters, lastError: cluster.lastError ?? null });
    return;
  }
  if (path === '/faults') {
    faults(req, res).catch((error: unknown) => json(res, 500, { error: String(error) }));
    return;
  }
  if (path === '/flows') {
    json(res, 200, {
      synced: cluster.synced,
      error: cluster.lastError ?? null,
      flows: flows.map((f) => ({
        namespace: f.namespace,
        service: f.service,
        pod: f.pod.name,
        image: f.pod.image,
        rolloutsPodTemplateHash: f.pod.templateHash,
        requestsPerSecond: f.requestsPerSecond,
      })),
    });
    return;
  }
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not found: try /metrics, /flows, /sync, /faults or /healthz\n');
});

const tickTimer = setInterval(tick, tickMs);
cluster.start();
server.listen(port, '127.0.0.1', () => console.log(`traffic simulator on http://127.0.0.1:${port}/metrics`));

function shutdown(): void {
  clearInterval(tickTimer);
  void cluster.stop();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
