import 'server-only';
import type { IncidentView } from '@/lib/contracts/incidents';
import { alertMatches } from '@/lib/contracts/alerts';
import type { WallApproval, WallData, WallScope } from '@/lib/contracts/kiosk';
import { toRow } from '@/lib/contracts/overview';
import type { WorkloadSummary } from '@/lib/contracts/workload';
import type { RolloutObject } from '@/lib/rollouts/objects';
import { needsNamespacePolicy, waitingForApproval } from '@/lib/rollouts/wall-approvals';
import { approvalsFor, cachedNamespaceAnnotations } from '@/lib/server/approvals/list';
import type { NamespaceReads } from '@/lib/server/auth/access';
import { CoalescingCache } from '@/lib/server/prometheus/cache';
import { wallSparklines } from '@/lib/server/prometheus/wall-sparklines';
import type { Runtime } from '@/lib/server/runtime';
import { listIncidents, toView } from '@/lib/server/oncall/store';

/** Whether a workload is inside a wall's scope (an empty list means "any"). */
export function inScope(scope: WallScope, w: Pick<WorkloadSummary, 'cluster' | 'namespace' | 'labels'>): boolean {
  if (scope.clusters.length > 0 && !scope.clusters.includes(w.cluster)) return false;
  if (scope.namespaces.length > 0 && !scope.namespaces.includes(w.namespace)) return false;
  return Object.entries(scope.labels).every(([k, v]) => w.labels[k] === v);
}

/** A wall's shared part: everything but the link's own title and expiry. */
export type WallBody = Omit<WallData, 'title' | 'expiresAt'>;

/** What one viewer may read in a (cluster, namespace), or null when they may read all of the scope (a kiosk link). */
export type ReadsOf = ((cluster: string, namespace: string) => Promise<NamespaceReads>) | null;

const scopeKey = (scope: WallScope) => JSON.stringify([[...scope.clusters].sort(), [...scope.namespaces].sort(), Object.entries(scope.labels).sort(([a], [b]) => a.localeCompare(b))]);

/**
 * Builds each distinct wall once per `ttlMs` and shares its JSON text with every viewer asking
 * for it: a wall is its scope plus what the viewer may read of it (the set of namespaces, per
 * kind, that they may list there), so all kiosk links of one scope share one build, and people
 * who may read the same namespaces share another. A viewer's own reads decide the key; the build
 * filters with exactly those decisions, so nobody ever gets a tile they may not read.
 */
export class SharedWalls {
  private readonly entries = new Map<string, { at: number; text: Promise<string> }>();
  private readonly candidates = new Map<string, { at: number; workloads: WorkloadSummary[] }>();
  readonly stats = { builds: 0, served: 0 };

  constructor(
    private readonly deps: { workloads: () => WorkloadSummary[]; build: (scope: WallScope, workloads: WorkloadSummary[]) => Promise<WallBody> },
    private readonly ttlMs = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  private fresh(at: number): boolean {
    return this.now() - at < this.ttlMs;
  }

  /** The workloads in scope, filtered at most once per ttl for every viewer of that scope. */
  private inScope(key: string, scope: WallScope): WorkloadSummary[] {
    const hit = this.candidates.get(key);
    if (hit && this.fresh(hit.at)) return hit.workloads;
    for (const [k, v] of this.candidates) if (!this.fresh(v.at)) this.candidates.delete(k);
    const workloads = this.deps.workloads().filter((w) => inScope(scope, w));
    this.candidates.set(key, { at: this.now(), workloads });
    return workloads;
  }

  /** The wall's JSON text for one viewer, with the link's title and expiry spliced in (the rest is shared text). */
  async text(scope: WallScope, readsOf: ReadsOf, meta: { title: string | null; expiresAt: string | null }): Promise<string> {
    const sKey = scopeKey(scope);
    const candidates = this.inScope(sKey, scope);
    let visibility = 'all';
    let allowed: (w: WorkloadSummary) => boolean = () => true;
    if (readsOf) {
      const places = [...new Map(candidates.map((w) => [`${w.cluster}/${w.namespace}`, w] as const)).values()];
      const decided = new Map<string, NamespaceReads>();
      await Promise.all(places.map(async (w) => decided.set(`${w.cluster}/${w.namespace}`, await readsOf(w.cluster, w.namespace))));
      visibility = [...decided].filter(([, r]) => r.rollouts || r.deployments).map(([place, r]) => `${place}:${r.rollouts ? 'R' : ''}${r.deployments ? 'D' : ''}`).sort().join(',');
      allowed = (w) => {
        const r = decided.get(`${w.cluster}/${w.namespace}`);
        return Boolean(r && (w.kind === 'Rollout' ? r.rollouts : r.deployments));
      };
    }
    const key = `${sKey}|${visibility}`;
    let entry = this.entries.get(key);
    if (!entry || !this.fresh(entry.at)) {
      for (const [k, v] of this.entries) if (!this.fresh(v.at)) this.entries.delete(k);
      this.stats.builds += 1;
      const text = this.deps.build(scope, candidates.filter(allowed)).then((body) => JSON.stringify(body));
      entry = { at: this.now(), text };
      this.entries.set(key, entry);
      text.catch(() => this.entries.get(key) === entry && this.entries.delete(key));
    }
    this.stats.served += 1;
    const shared = await entry.text;
    const head = `{"title":${JSON.stringify(meta.title)},"expiresAt":${JSON.stringify(meta.expiresAt)}`;
    return shared.length > 2 ? `${head},${shared.slice(1)}` : `${head}}`;
  }
}

/** Open incidents, listed at most every 3 s for every wall at once (one LIST per cluster). */
const incidentCache = new CoalescingCache<IncidentView[]>(3000, 1);
function openIncidents(rt: Runtime): Promise<IncidentView[]> {
  return incidentCache.get('open', async () => {
    const lists = await Promise.all(
      rt.caches.map(async (cache) => {
        const kc = rt.kubeConfigs.get(cache.cluster);
        if (!kc) return [];
        return (await listIncidents(kc)).filter((o) => o.spec.state === 'open').map(toView);
      }),
    );
    return lists.flat();
  });
}

/**
 * Releases waiting for approval: Rollouts paused at a gated step read from the cached objects
 * (with their open request's count, or 0 of the quorum when nobody has asked yet).
 */
async function approvalsOnWall(rt: Runtime, workloads: WorkloadSummary[]): Promise<WallApproval[]> {
  const ids = new Set(workloads.map((w) => w.id));
  const requests = await approvalsFor({ kind: 'anonymous' }, rt).catch(() => []);
  const out: WallApproval[] = [];
  for (const cache of rt.caches) {
    const rollouts = cache.objects<RolloutObject>('rollouts').filter((r) => ids.has(`${cache.cluster}/Rollout/${r.metadata.namespace}/${r.metadata.name}`));
    const namespaces = [...new Set(rollouts.filter(needsNamespacePolicy).map((r) => r.metadata.namespace ?? ''))];
    const annotations = new Map(await Promise.all(namespaces.map(async (ns) => [ns, await cachedNamespaceAnnotations(rt, cache.cluster, ns)] as const)));
    out.push(...waitingForApproval(cache.cluster, rollouts, (ns) => annotations.get(ns) ?? {}, requests));
  }
  return out.filter((a) => ids.has(a.workloadId));
}

/**
 * What one wall shows, from the shared cache and the shared Prometheus and incident reads, for
 * exactly the `workloads` given (in scope and readable): health, firing alerts, open incidents,
 * releases waiting for approval and error-rate / p99 sparklines — nothing outside them.
 */
export async function buildWall(rt: Runtime, scope: WallScope, workloads: WorkloadSummary[]): Promise<WallBody> {
  const ids = new Set(workloads.map((w) => w.id));
  const clusters = new Set(scope.clusters.length ? scope.clusters : rt.caches.map((c) => c.cluster));
  const [alerts, incidents, approvals, spark] = await Promise.all([
    rt.alerts ? rt.alerts.current() : Promise.resolve({ alerts: [], fetchedAt: null, error: null, configured: false }),
    openIncidents(rt).catch(() => []),
    approvalsOnWall(rt, workloads),
    wallSparklines(workloads, rt.prometheus, rt.chartCache, rt.config.scrapeIntervalSeconds, rt.config.metricsProfile),
  ]);
  return {
    generatedAt: new Date().toISOString(),
    scope,
    rows: workloads.map(toRow),
    health: rt.hub.snapshot().health.filter((h) => clusters.has(h.cluster)),
    alerts: { ...alerts, alerts: alerts.alerts.filter((a) => workloads.some((w) => alertMatches(a, w))) },
    incidents: incidents.filter((i) => ids.has(i.workloadId)),
    approvals,
    // Sparkline errors are about Prometheus; the wall says "Prometheus" without the upstream's words.
    sparklines: spark.state === 'error' && rt.prometheus ? { ...spark, error: 'Prometheus did not answer' } : spark,
  };
}

const walls = new WeakMap<Runtime, SharedWalls>();

/** The process's shared walls for this runtime. */
export function sharedWalls(rt: Runtime): SharedWalls {
  let shared = walls.get(rt);
  if (!shared) {
    shared = new SharedWalls({ workloads: () => rt.hub.snapshot().workloads, build: (scope, workloads) => buildWall(rt, scope, workloads) });
    walls.set(rt, shared);
  }
  return shared;
}

/** A wall answer: the shared JSON text, never cached by anyone in between. */
export function wallResponse(text: string, requestId?: string): Response {
  return new Response(text, { headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...(requestId ? { 'X-Request-Id': requestId } : {}) } });
}
