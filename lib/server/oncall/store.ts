import 'server-only';
import { createHash } from 'node:crypto';
import type { KubeConfig } from '@kubernetes/client-node';
import { z } from 'zod';
import { IncidentSpec, type IncidentView } from '@/lib/contracts/incidents';
import { kubeRequest } from '@/lib/server/kube/impersonation';

/** aviary.dev/v1alpha1 Incident objects (deploy/crds/incidents.aviary.dev.yaml), written by the sender only. */
const IncidentObject = z.object({
  metadata: z.object({ name: z.string(), namespace: z.string(), resourceVersion: z.string() }),
  spec: IncidentSpec,
});
export type IncidentObject = z.infer<typeof IncidentObject>;

const IncidentList = z.object({ items: z.array(z.unknown()) });

/** A DNS-1123 name from the dedup key: the workload's name for people, a hash for uniqueness. */
export function incidentObjectName(workloadName: string, dedupKey: string): string {
  const hash = createHash('sha256').update(dedupKey).digest('hex').slice(0, 12);
  const base = workloadName.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 40).replace(/-+$/, '');
  return `${base || 'incident'}-${hash}`;
}

const collection = (namespace: string) => `/apis/aviary.dev/v1alpha1/namespaces/${encodeURIComponent(namespace)}/incidents`;

/** Every Incident in the cluster; malformed objects are skipped (and named in the log), never fatal. */
export async function listIncidents(kc: KubeConfig, log: (line: string) => void = console.log): Promise<IncidentObject[]> {
  const list = IncidentList.parse(await kubeRequest(kc, null, { method: 'GET', path: '/apis/aviary.dev/v1alpha1/incidents' }));
  const out: IncidentObject[] = [];
  for (const item of list.items) {
    const parsed = IncidentObject.safeParse(item);
    if (parsed.success) out.push(parsed.data);
    else log(JSON.stringify({ level: 'warn', msg: 'aviary.oncall.bad-incident', error: parsed.error.message.slice(0, 300) }));
  }
  return out;
}

export async function getIncident(kc: KubeConfig, namespace: string, name: string): Promise<IncidentObject> {
  return IncidentObject.parse(await kubeRequest(kc, null, { method: 'GET', path: `${collection(namespace)}/${encodeURIComponent(name)}` }));
}

/** Creates it; a 409 (ConflictError) means it exists already — the dedup guard. */
export async function createIncident(kc: KubeConfig, namespace: string, name: string, spec: IncidentSpec): Promise<IncidentObject> {
  const body = {
    apiVersion: 'aviary.dev/v1alpha1',
    kind: 'Incident',
    metadata: { name, namespace, labels: { 'app.kubernetes.io/managed-by': 'aviary', 'aviary.dev/workload': spec.name.slice(0, 63), 'aviary.dev/state': spec.state } },
    spec,
  };
  return IncidentObject.parse(await kubeRequest(kc, null, { method: 'POST', path: collection(namespace), body }));
}

/** Replaces the spec with the resourceVersion read (409 when someone wrote in between). */
export async function updateIncident(kc: KubeConfig, current: IncidentObject, spec: IncidentSpec): Promise<IncidentObject> {
  const { name, namespace, resourceVersion } = current.metadata;
  const body = {
    apiVersion: 'aviary.dev/v1alpha1',
    kind: 'Incident',
    metadata: { name, namespace, resourceVersion, labels: { 'app.kubernetes.io/managed-by': 'aviary', 'aviary.dev/workload': spec.name.slice(0, 63), 'aviary.dev/state': spec.state } },
    spec,
  };
  return IncidentObject.parse(await kubeRequest(kc, null, { method: 'PUT', path: `${collection(namespace)}/${encodeURIComponent(name)}`, body }));
}

/** Deletes it if it is still the version read (409 when someone wrote in between; 404 when gone already). */
export async function deleteIncident(kc: KubeConfig, current: IncidentObject): Promise<void> {
  const { name, namespace, resourceVersion } = current.metadata;
  await kubeRequest(kc, null, {
    method: 'DELETE',
    path: `${collection(namespace)}/${encodeURIComponent(name)}`,
    body: { apiVersion: 'v1', kind: 'DeleteOptions', preconditions: { resourceVersion } },
  });
}

export function toView(object: IncidentObject): IncidentView {
  return { ...object.spec, namespace: object.metadata.namespace, objectName: object.metadata.name };
}
