import 'server-only';
import { notFound } from 'next/navigation';
import { z } from 'zod';
import { runtime } from '@/lib/server/runtime';

const dns = z.string().regex(/^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/);
const Params = z.object({ cluster: dns, namespace: dns, name: dns });

/**
 * A detail URL answers 404 when its cluster is not watched or its workload is not in the cache.
 * Only a cache that has listed can say "not there": right after start (or with the API server away
 * before the first list) the page renders and the live stream decides.
 */
export function assertWorkloadExists(kind: 'Rollout' | 'Deployment', params: unknown): z.infer<typeof Params> {
  const parsed = Params.safeParse(params);
  if (!parsed.success) notFound();
  const { cluster, namespace, name } = parsed.data;
  const cache = runtime().caches.find((c) => c.cluster === cluster);
  if (!cache) notFound();
  const listed = cache.currentHealth().connected || cache.workloads.size > 0;
  if (listed && !cache.workloads.has(`${cluster}/${kind}/${namespace}/${name}`)) notFound();
  return parsed.data;
}
