import 'server-only';
import type { IncidentView } from '@/lib/contracts/incidents';
import { alertMatches } from '@/lib/contracts/alerts';
import type { WallData, WallScope } from '@/lib/contracts/kiosk';
import { toRow } from '@/lib/contracts/overview';
import type { WorkloadSummary } from '@/lib/contracts/workload';
import { approvalsFor } from '@/lib/server/approvals/list';
import { sparklines } from '@/lib/server/prometheus/sparklines';
import type { Runtime } from '@/lib/server/runtime';
import { listIncidents, toView } from '@/lib/server/oncall/store';

/** Whether a workload is inside a wall's scope (an empty list means "any"). */
export function inScope(scope: WallScope, w: Pick<WorkloadSummary, 'cluster' | 'namespace' | 'labels'>): boolean {
  if (scope.clusters.length > 0 && !scope.clusters.includes(w.cluster)) return false;
  if (scope.namespaces.length > 0 && !scope.namespaces.includes(w.namespace)) return false;
  return Object.entries(scope.labels).every(([k, v]) => w.labels[k] === v);
}

/** Open incidents, listed at most every 3 s for every wall at once (one LIST per cluster). */
let incidentCache: { at: number; incidents: Promise<IncidentView[]> } | null = null;
function openIncidents(rt: Runtime): Promise<IncidentView[]> {
  if (incidentCache && Date.now() - incidentCache.at < 3000) return incidentCache.incidents;
  const incidents = Promise.all(
    rt.caches.map(async (cache) => {
      const kc = rt.kubeConfigs.get(cache.cluster);
      if (!kc) return [];
      return (await listIncidents(kc)).filter((o) => o.spec.state === 'open').map(toView);
    }),
  ).then((lists) => lists.flat());
  incidentCache = { at: Date.now(), incidents };
  incidents.catch(() => (incidentCache = null));
  return incidents;
}

/**
 * What one wall shows, from the shared cache and the shared Prometheus and incident reads: the
 * workloads in scope that `visible` lets through (a kiosk link: all of its scope; a person: what the
 * cluster lets them read), with health, firing alerts, open incidents, waiting approvals and
 * error-rate sparklines for exactly those — nothing outside the scope leaves the server.
 */
export async function wallData(rt: Runtime, scope: WallScope, visible: (w: WorkloadSummary) => Promise<boolean> | boolean, meta: { title: string | null; expiresAt: string | null }): Promise<WallData> {
  const candidates = rt.hub.snapshot().workloads.filter((w) => inScope(scope, w));
  const workloads: WorkloadSummary[] = [];
  for (const w of candidates) if (await visible(w)) workloads.push(w);
  const ids = new Set(workloads.map((w) => w.id));
  const clusters = new Set(scope.clusters.length ? scope.clusters : rt.caches.map((c) => c.cluster));
  const [alerts, incidents, approvals, spark] = await Promise.all([
    rt.alerts ? rt.alerts.current() : Promise.resolve({ alerts: [], fetchedAt: null, error: null, configured: false }),
    openIncidents(rt).catch(() => []),
    approvalsFor({ kind: 'anonymous' }, rt).catch(() => []),
    sparklines(workloads, rt.prometheus, rt.chartCache, rt.config.scrapeIntervalSeconds, rt.config.metricsProfile),
  ]);
  return {
    generatedAt: new Date().toISOString(),
    title: meta.title,
    scope,
    expiresAt: meta.expiresAt,
    rows: workloads.map(toRow),
    health: rt.hub.snapshot().health.filter((h) => clusters.has(h.cluster)),
    alerts: { ...alerts, alerts: alerts.alerts.filter((a) => workloads.some((w) => alertMatches(a, w))) },
    incidents: incidents.filter((i) => ids.has(i.workloadId)),
    approvals: approvals.filter((a) => a.state === 'pending' && ids.has(a.workloadId)).map((a) => ({ workloadId: a.workloadId, approvals: a.approvedBy.length, quorum: a.quorum })),
    // Sparkline errors are about Prometheus; the wall says "Prometheus" without the upstream's words.
    sparklines: spark.state === 'error' ? { ...spark, error: 'Prometheus did not answer' } : spark,
  };
}
