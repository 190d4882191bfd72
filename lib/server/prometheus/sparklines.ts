import 'server-only';
import type { Sparklines } from '@/lib/contracts/metrics';
import type { WorkloadSummary } from '@/lib/contracts/workload';
import type { CoalescingCache } from './cache';
import type { PrometheusClient, Series } from './client';
import { duration, rateWindowSeconds } from './promql';
import { alignRange } from './range';

/**
 * Error-rate sparklines for every overview card from ONE range query (generic profile, by
 * namespace and pod-template hash): the card's canary revision if it has one, else its stable one.
 */
export async function sparklines(
  workloads: WorkloadSummary[],
  client: PrometheusClient | null,
  cache: CoalescingCache<Series[]>,
  scrapeIntervalSeconds: number,
  now = Date.now() / 1000,
): Promise<Sparklines> {
  if (!client) return { state: 'error', error: 'Prometheus is not configured', byId: {} };
  const range = alignRange(now - 900, now, 60);
  const w = duration(rateWindowSeconds(range.step, scrapeIntervalSeconds));
  const by = 'sum by (namespace, rollouts_pod_template_hash)';
  const query = `${by} (rate(http_requests_total{status=~"5.."}[${w}])) / ${by} (rate(http_requests_total[${w}]))`;
  try {
    const result = await cache.get(`${query}|${range.start}|${range.end}|${range.step}`, () => client.queryRange(query, range.start, range.end, range.step));
    const series = new Map(result.map((s) => [`${s.labels.namespace}/${s.labels.rollouts_pod_template_hash}`, s.values]));
    const byId: Sparklines['byId'] = {};
    for (const wl of workloads) {
      if (wl.kind !== 'Rollout') continue;
      const revision = wl.revisions.find((r) => r.roles.includes('canary') || r.roles.includes('preview')) ?? wl.revisions.find((r) => r.roles.includes('stable') || r.roles.includes('active'));
      const values = revision ? series.get(`${wl.namespace}/${revision.podTemplateHash}`) : undefined;
      if (values) byId[wl.id] = { role: revision?.roles.includes('canary') || revision?.roles.includes('preview') ? 'canary' : 'stable', points: values.map(([t, v]) => [t, Number.isFinite(v) ? v : null]) };
    }
    return { state: 'data', error: null, byId };
  } catch (error) {
    return { state: 'error', error: error instanceof Error ? error.message : String(error), byId: {} };
  }
}

