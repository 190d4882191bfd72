import 'server-only';
import type { WorkloadSummary } from '@/lib/contracts/workload';
import type { CoalescingCache } from './cache';
import type { PrometheusClient, Series } from './client';
import { profileByName, type Profile } from './profiles';
import type { AlignedRange } from './range';

/**
 * The Rollouts among `workloads` grouped by the metric profile each is read with (its annotation,
 * else `defaultProfile`), keeping what `pick` makes of each (null: nothing to draw). One range
 * query per profile then serves every workload of the group.
 */
export function groupByProfile<T>(workloads: WorkloadSummary[], defaultProfile: string, pick: (w: WorkloadSummary, profile: Profile) => T | null): Map<Profile, T[]> {
  const fallback = profileByName(defaultProfile).name;
  const groups = new Map<Profile, T[]>();
  for (const w of workloads) {
    if (w.kind !== 'Rollout') continue;
    const profile = profileByName(w.metricsProfile, fallback);
    const picked = pick(w, profile);
    if (picked === null) continue;
    const group = groups.get(profile);
    if (group) group.push(picked);
    else groups.set(profile, [picked]);
  }
  return groups;
}

/** A range query over `range` through the shared coalescing cache: every caller asking the same thing shares one answer. */
export function cachedRangeQuery(client: Pick<PrometheusClient, 'baseUrl' | 'queryRange'>, cache: CoalescingCache<Series[]>, range: AlignedRange): (query: string) => Promise<Series[]> {
  return (query) => cache.get(`${client.baseUrl}|${query}|${range.start}|${range.end}|${range.step}`, () => client.queryRange(query, range.start, range.end, range.step));
}

/** Series of a by-target query keyed `namespace/target`, the key each card or tile side reads. */
export function seriesByTarget(profile: Profile, result: Series[]): Map<string, Series['values']> {
  return new Map(result.map((s) => [`${s.labels[profile.namespaceLabel]}/${s.labels[profile.split.label]}`, s.values]));
}
