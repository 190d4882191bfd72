import 'server-only';
import type { WorkloadSummary } from '@/lib/contracts/workload';
import type { NamespaceAccess } from '@/lib/server/auth/access';
import type { Viewer } from '@/lib/server/auth/viewer';

type Filter = (workload: WorkloadSummary) => boolean;

/**
 * The stream's per-subscriber filter: synchronous, from the shared decision cache. The anonymous
 * read-only viewer (AVIARY_AUTH=none) sees what Aviary sees.
 */
export function visibleTo(viewer: Viewer, access: NamespaceAccess): Filter {
  if (viewer.kind === 'anonymous') return () => true;
  const { identity } = viewer;
  return (w) => {
    const reads = access.peek(w.cluster, identity, w.namespace);
    return w.kind === 'Rollout' ? reads.rollouts : reads.deployments;
  };
}

/** Asks (or re-uses) a decision for every namespace in `workloads`, so the filter answers from fresh ones. */
export async function primeVisibility(viewer: Viewer, access: NamespaceAccess, workloads: WorkloadSummary[]): Promise<void> {
  if (viewer.kind === 'anonymous') return;
  const places = new Map(workloads.map((w) => [`${w.cluster}\n${w.namespace}`, w] as const));
  await Promise.all([...places.values()].map((w) => access.reads(w.cluster, viewer.identity, w.namespace)));
}

/** What a read API may answer: only the workloads whose namespace and kind the viewer may list. */
export async function visibleWorkloads(viewer: Viewer, access: NamespaceAccess, workloads: WorkloadSummary[]): Promise<WorkloadSummary[]> {
  await primeVisibility(viewer, access, workloads);
  return workloads.filter(visibleTo(viewer, access));
}

/** Whether the viewer may read one workload (a detail page, its charts). */
export async function mayRead(viewer: Viewer, access: NamespaceAccess, target: Pick<WorkloadSummary, 'cluster' | 'namespace' | 'kind'>): Promise<boolean> {
  if (viewer.kind === 'anonymous') return true;
  const reads = await access.reads(target.cluster, viewer.identity, target.namespace);
  return target.kind === 'Rollout' ? reads.rollouts : reads.deployments;
}
