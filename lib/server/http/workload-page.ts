import 'server-only';
import { notFound } from 'next/navigation';
import { z } from 'zod';
import type { LinkTemplate } from '@/lib/rollouts/links';
import type { Viewer } from '@/lib/server/auth/viewer';
import { mayRead } from '@/lib/server/auth/visibility';
import { runtime } from '@/lib/server/runtime';

const dns = z.string().regex(/^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/);
const Params = z.object({ cluster: dns, namespace: dns, name: dns });

/**
 * What a detail page needs from the server: the workload's id (the live snapshot itself is hydrated
 * by the root layout) and the configured external links. Answers 404 when the cluster is not
 * watched or the workload is not in its cache. Only a cache that has listed can say "not there":
 * right after start (or with the API server away before the first list) the page renders and the
 * live stream decides. A workload the viewer may not read is not there either.
 */
export async function workloadPage(kind: 'Rollout' | 'Deployment', params: unknown, viewer: Viewer): Promise<{ id: string; links: LinkTemplate[] }> {
  const parsed = Params.safeParse(params);
  if (!parsed.success) notFound();
  const { cluster, namespace, name } = parsed.data;
  const rt = runtime();
  const cache = rt.caches.find((c) => c.cluster === cluster);
  if (!cache) notFound();
  const id = `${cluster}/${kind}/${namespace}/${name}`;
  // A namespace the viewer may not read is "not there" for them.
  if (!(await mayRead(viewer, rt.access, { cluster, namespace, kind }))) notFound();
  const listed = cache.currentHealth().connected || cache.workloads.size > 0;
  if (listed && !cache.workloads.has(id)) notFound();
  return { id, links: rt.config.links };
}
