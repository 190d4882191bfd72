import 'server-only';
import type { Sparklines } from '@/lib/contracts/metrics';
import type { WorkloadSummary } from '@/lib/contracts/workload';
import type { CoalescingCache } from './cache';
import type { PrometheusClient, Series } from './client';
import { cachedRangeQuery, groupByProfile, seriesByTarget } from './by-profile';
import { errorRateByTarget, type Profile } from './profiles';
import { duration, rateWindowSeconds } from './promql';
import { alignRange } from './range';
import { sidesOf } from '@/lib/rollouts/labels';
import { currentRevision, nextRevision } from './revision';

interface Card {
  id: string;
  key: string;
  role: Sparklines['byId'][string]['role'];
}

/** Which series a card reads: its new revision (canary/preview) if one is in flight, else the current one. */
function cardFor(w: WorkloadSummary, profile: Profile): Card | null {
  const words = sidesOf(w);
  const next = nextRevision(w);
  const revision = next ?? currentRevision(w);
  if (!revision) return null;
  const target = profile.split.by === 'hash' ? revision.podTemplateHash : next ? w.services.canary : w.services.stable;
  return target ? { id: w.id, key: `${w.namespace}/${target}`, role: next ? words.next : words.current } : null;
}

/**
 * Error-rate sparklines for every overview card. Each workload is read with its own metric profile
 * (annotation, else the configured default); there is ONE range query per profile in use, shared
 * by every card and viewer through the cache.
 */
export async function sparklines(
  workloads: WorkloadSummary[],
  client: Pick<PrometheusClient, 'baseUrl' | 'queryRange'> | null,
  cache: CoalescingCache<Series[]>,
  scrapeIntervalSeconds: number,
  defaultProfile = 'generic',
  now = Date.now() / 1000,
): Promise<Sparklines> {
  if (!client) return { state: 'error', error: 'Prometheus is not configured', byId: {} };
  const range = alignRange(now - 900, now, 60);
  const rateWindow = duration(rateWindowSeconds(range.step, scrapeIntervalSeconds));
  const cardsByProfile = groupByProfile(workloads, defaultProfile, cardFor);
  const load = cachedRangeQuery(client, cache, range);
  try {
    const byId: Sparklines['byId'] = {};
    await Promise.all(
      [...cardsByProfile].map(async ([profile, cards]) => {
        const series = seriesByTarget(profile, await load(errorRateByTarget(profile, rateWindow)));
        for (const card of cards) {
          const values = series.get(card.key);
          if (values) byId[card.id] = { role: card.role, points: values.map(([t, v]) => [t, Number.isFinite(v) ? v : null]) };
        }
      }),
    );
    return { state: 'data', error: null, byId };
  } catch (error) {
    return { state: 'error', error: error instanceof Error ? error.message : String(error), byId: {} };
  }
}
