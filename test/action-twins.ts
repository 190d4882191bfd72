/**
 * Twins for action parity: two identical workloads, one acted on by Aviary and one by upstream's
 * CLI, compared by what they became — spec, status and the revision annotations — with names,
 * pod-template hashes, times and uids taken out.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { expect } from 'vitest';
import type { ReplicaSetObject } from '@/lib/rollouts/objects';
import { paths } from '@/sandbox/lib/config';
import { impersonatedRequest, type Identity } from '@/lib/server/kube/impersonation';

export const kc = new KubeConfig();
kc.loadFromFile(paths.kubeconfig);

/** Aviary acts as this person; RBAC for the second group is what lets them (see the test's Role). */
export const alice: Identity = { user: 'alice@example.com', groups: ['aviary-actions:viewers', 'aviary-actions:release-managers'] };

export interface Workload {
  metadata: { name: string; namespace?: string; resourceVersion?: string; annotations?: Record<string, string> };
  spec: Record<string, unknown>;
  status?: Record<string, unknown>;
}

export const get = <T>(path: string) => impersonatedRequest<T>(kc, alice, { method: 'GET', path });

export async function replicaSets(namespace: string, app: string): Promise<ReplicaSetObject[]> {
  const list = await get<{ items: ReplicaSetObject[] }>(`/apis/apps/v1/namespaces/${namespace}/replicasets?labelSelector=${encodeURIComponent(`app=${app}`)}`);
  return list.items;
}

const TIME = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)/g;
const DROP_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration']);

/** spec + status + annotations, with the twin's own name, hashes (→ rev<N>) and times neutralised. */
export function normalise(workload: Workload, owned: ReplicaSetObject[], revisionAnnotation: string, hashLabel: string): unknown {
  const annotations = Object.fromEntries(Object.entries(workload.metadata.annotations ?? {}).filter(([key]) => !DROP_ANNOTATIONS.has(key)));
  let text = JSON.stringify({ annotations, spec: workload.spec, status: workload.status ?? {} });
  for (const rs of owned) {
    const hash = rs.metadata.labels?.[hashLabel];
    if (hash) text = text.split(hash).join(`rev${rs.metadata.annotations?.[revisionAnnotation] ?? '?'}`);
  }
  text = text.split(workload.metadata.name).join('<name>').replace(TIME, '<time>');
  return JSON.parse(text);
}

export interface TwinKind {
  path: (name: string) => string;
  revisionAnnotation: string;
  hashLabel: string;
}

export const ROLLOUT: (ns: string) => TwinKind = (ns) => ({
  path: (name) => `/apis/argoproj.io/v1alpha1/namespaces/${ns}/rollouts/${name}`,
  revisionAnnotation: 'rollout.argoproj.io/revision',
  hashLabel: 'rollouts-pod-template-hash',
});

export const DEPLOYMENT: (ns: string) => TwinKind = (ns) => ({
  path: (name) => `/apis/apps/v1/namespaces/${ns}/deployments/${name}`,
  revisionAnnotation: 'deployment.kubernetes.io/revision',
  hashLabel: 'pod-template-hash',
});

async function view(kind: TwinKind, namespace: string, name: string): Promise<{ raw: Workload; normal: unknown }> {
  const raw = await get<Workload>(kind.path(name));
  return { raw, normal: normalise(raw, await replicaSets(namespace, name), kind.revisionAnnotation, kind.hashLabel) };
}

/**
 * Waits until both twins read the same and `until` holds for ours; on timeout fails with the
 * difference of the last reading.
 */
export async function twinsAgree(
  kind: TwinKind,
  namespace: string,
  names: { ours: string; theirs: string },
  checkpoint: string,
  until: (ours: Workload) => boolean,
  timeoutMs = 120_000,
): Promise<Workload> {
  const deadline = Date.now() + timeoutMs;
  let last: { ours: unknown; theirs: unknown } = { ours: null, theirs: null };
  while (Date.now() < deadline) {
    const [ours, theirs] = await Promise.all([view(kind, namespace, names.ours), view(kind, namespace, names.theirs)]);
    last = { ours: ours.normal, theirs: theirs.normal };
    if (until(ours.raw) && JSON.stringify(ours.normal) === JSON.stringify(theirs.normal)) return ours.raw;
    await new Promise((r) => setTimeout(r, 1000));
  }
  expect(last.ours, `${checkpoint}: Aviary's twin vs the CLI's twin`).toEqual(last.theirs);
  throw new Error(`${checkpoint}: the twins agree but the expected state never came: ${JSON.stringify(last.ours)}`);
}
