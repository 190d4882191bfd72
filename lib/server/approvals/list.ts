import 'server-only';
import type { ApprovalDto } from '@/lib/contracts/approvals';
import { readPolicy, type PolicyResult } from '@/lib/rollouts/approvals-policy';
import type { RolloutObject } from '@/lib/rollouts/objects';
import { mayRead } from '@/lib/server/auth/visibility';
import type { Viewer } from '@/lib/server/auth/viewer';
import type { Runtime } from '@/lib/server/runtime';
import { approvalsOf } from './service';
import { namespaceAnnotations, type ReleaseApprovalObject } from './store';

const NAMESPACE_TTL_MS = 30_000;
const namespaceCache = new Map<string, { at: number; annotations: Promise<Record<string, string>> }>();

/**
 * Namespace annotations (the namespace-wide policy), read as Aviary and kept 30 s per cluster and
 * namespace — one read for the approvals list, the gate and every wall.
 */
export function cachedNamespaceAnnotations(rt: Runtime, cluster: string, namespace: string): Promise<Record<string, string>> {
  const key = `${cluster}\n${namespace}`;
  const hit = namespaceCache.get(key);
  if (hit && Date.now() - hit.at < NAMESPACE_TTL_MS) return hit.annotations;
  const kc = rt.kubeConfigs.get(cluster);
  const annotations = kc ? namespaceAnnotations(kc, namespace).catch(() => ({})) : Promise.resolve({});
  namespaceCache.set(key, { at: Date.now(), annotations });
  return annotations;
}

/**
 * Every release approval the viewer may see (namespaces whose Rollouts they may list), newest first,
 * each evaluated now against the live rollout from the shared cache — no API-server request per
 * viewer beyond the shared namespace-policy and access caches.
 */
export async function approvalsFor(viewer: Viewer, rt: Runtime, now: Date = new Date()): Promise<ApprovalDto[]> {
  const all: ApprovalDto[] = [];
  for (const cache of rt.caches) {
    const rollouts = new Map(cache.objects<RolloutObject>('rollouts').map((r) => [`${r.metadata.namespace}/${r.metadata.name}`, r] as const));
    const objects = cache.objects<ReleaseApprovalObject>('releaseApprovals');
    const namespaces = [...new Set(objects.map((o) => o.metadata.namespace ?? ''))];
    const readable = new Set<string>();
    await Promise.all(
      namespaces.map(async (namespace) => {
        if (await mayRead(viewer, rt.access, { cluster: cache.cluster, namespace, kind: 'Rollout' })) readable.add(namespace);
      }),
    );
    const policies = async (rollout: RolloutObject): Promise<PolicyResult> =>
      readPolicy(rollout, await cachedNamespaceAnnotations(rt, cache.cluster, rollout.metadata.namespace ?? ''));
    all.push(...(await approvalsOf(objects.filter((o) => readable.has(o.metadata.namespace ?? '')), rollouts, policies, cache.cluster, now)));
  }
  return all.sort((a, b) => b.requestedAt.localeCompare(a.requestedAt));
}
