import { CoreV1Api, CustomObjectsApi, KubeConfig, type V1Pod, type V1Service } from '@kubernetes/client-node';
import { RPS_ANNOTATION, shortHost, type PodView, type ServiceView, type TrafficRule } from './routing';

export interface ClusterView {
  pods: PodView[];
  services: ServiceView[];
  rules: TrafficRule[];
}

function podView(pod: V1Pod): PodView {
  const labels = pod.metadata?.labels ?? {};
  const templateHash = labels['rollouts-pod-template-hash'] ?? labels['pod-template-hash'] ?? '';
  const owner = pod.metadata?.ownerReferences?.find((ref) => ref.kind === 'ReplicaSet')?.name ?? '';
  const workload = templateHash && owner.endsWith(`-${templateHash}`) ? owner.slice(0, -templateHash.length - 1) : owner;
  const ready =
    !pod.metadata?.deletionTimestamp &&
    pod.status?.phase === 'Running' &&
    (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
  return {
    namespace: pod.metadata?.namespace ?? '',
    name: pod.metadata?.name ?? '',
    labels,
    ready,
    image: pod.spec?.containers[0]?.image ?? '',
    workload,
    templateHash,
  };
}

function serviceView(service: V1Service): ServiceView {
  const raw = service.metadata?.annotations?.[RPS_ANNOTATION];
  const rps = raw === undefined ? undefined : Number(raw);
  return {
    namespace: service.metadata?.namespace ?? '',
    name: service.metadata?.name ?? '',
    selector: service.spec?.selector ?? {},
    requestsPerSecond: rps !== undefined && Number.isFinite(rps) ? rps : undefined,
  };
}

interface VirtualServiceObject {
  metadata: { namespace: string; name: string };
  spec?: {
    hosts?: string[];
    http?: { route?: { destination?: { host?: string }; weight?: number }[] }[];
  };
}

interface TrafficSplitObject {
  metadata: { namespace: string; name: string };
  spec?: { service?: string; backends?: { service: string; weight: number }[] };
}

function isMissingKind(error: unknown): boolean {
  const code = (error as { code?: number }).code;
  return code === 404;
}

/** Reads the cluster as a mesh control plane would: pods, services and routing rules. */
export class ClusterReader {
  private readonly core: CoreV1Api;
  private readonly custom: CustomObjectsApi;

  constructor(kubeconfig: KubeConfig) {
    this.core = kubeconfig.makeApiClient(CoreV1Api);
    this.custom = kubeconfig.makeApiClient(CustomObjectsApi);
  }

  private async listCustom<T>(group: string, version: string, plural: string): Promise<T[]> {
    try {
      const list = (await this.custom.listClusterCustomObject({ group, version, plural })) as { items?: T[] };
      return list.items ?? [];
    } catch (error) {
      if (isMissingKind(error)) return [];
      throw error;
    }
  }

  async read(): Promise<ClusterView> {
    const [pods, services, virtualServices, trafficSplits] = await Promise.all([
      this.core.listPodForAllNamespaces({}),
      this.core.listServiceForAllNamespaces({}),
      this.listCustom<VirtualServiceObject>('networking.istio.io', 'v1alpha3', 'virtualservices'),
      this.listCustom<TrafficSplitObject>('split.smi-spec.io', 'v1alpha4', 'trafficsplits'),
    ]);
    const rules: TrafficRule[] = [];
    for (const vs of virtualServices) {
      const namespace = vs.metadata.namespace;
      const route = vs.spec?.http?.[0]?.route ?? [];
      rules.push({
        namespace,
        kind: 'VirtualService',
        name: vs.metadata.name,
        hosts: (vs.spec?.hosts ?? []).map((h) => shortHost(h, namespace)),
        destinations: route.map((r) => ({
          service: shortHost(r.destination?.host ?? '', namespace),
          weight: r.weight ?? (route.length === 1 ? 100 : 0),
        })),
      });
    }
    for (const ts of trafficSplits) {
      rules.push({
        namespace: ts.metadata.namespace,
        kind: 'TrafficSplit',
        name: ts.metadata.name,
        hosts: ts.spec?.service ? [ts.spec.service] : [],
        destinations: (ts.spec?.backends ?? []).map((b) => ({ service: b.service, weight: b.weight })),
      });
    }
    return { pods: pods.items.map(podView), services: services.items.map(serviceView), rules };
  }
}
