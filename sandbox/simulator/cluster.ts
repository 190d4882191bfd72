import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  ListWatch,
  Watch,
  type KubernetesListObject,
  type KubernetesObject,
  type ListPromise,
  type V1Pod,
  type V1Service,
} from '@kubernetes/client-node';
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

interface VirtualServiceObject extends KubernetesObject {
  spec?: {
    hosts?: string[];
    http?: { route?: { destination?: { host?: string }; weight?: number }[] }[];
  };
}

interface TrafficSplitObject extends KubernetesObject {
  spec?: { service?: string; backends?: { service: string; weight: number }[] };
}

/** How often the simulator has listed and started watches, for tests and the /sync endpoint. */
export interface SyncCounters {
  lists: number;
  watches: number;
  errors: number;
}

/** Counts every watch request the informers open. */
class CountingWatch extends Watch {
  constructor(
    config: KubeConfig,
    private readonly counters: SyncCounters,
  ) {
    super(config);
  }

  override watch(...args: Parameters<Watch['watch']>): ReturnType<Watch['watch']> {
    this.counters.watches += 1;
    return super.watch(...args);
  }
}

const MAX_BACKOFF_MS = 5000;

/**
 * Follows the cluster as a mesh control plane would: one list, then one watch per kind that
 * resumes from the last resourceVersion after any interruption, and lists again only when the
 * API server answers 410 Gone (client-node's ListWatch clears its resourceVersion on 410 alone).
 * While the API server is away the last known view keeps serving traffic, like a data plane does.
 */
export class ClusterWatcher {
  readonly counters: SyncCounters = { lists: 0, watches: 0, errors: 0 };
  lastError: string | undefined;
  private readonly informers: ListWatch<KubernetesObject>[] = [];
  private readonly listed = new Set<ListWatch<KubernetesObject>>();
  private readonly pods: ListWatch<V1Pod>;
  private readonly services: ListWatch<V1Service>;
  private readonly virtualServices: ListWatch<VirtualServiceObject>;
  private readonly trafficSplits: ListWatch<TrafficSplitObject>;
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(kubeconfig: KubeConfig) {
    const core = kubeconfig.makeApiClient(CoreV1Api);
    const custom = kubeconfig.makeApiClient(CustomObjectsApi);
    const watch = new CountingWatch(kubeconfig, this.counters);
    const counted = <T extends KubernetesObject>(list: ListPromise<T>): ListPromise<T> => () => {
      this.counters.lists += 1;
      return list();
    };
    const customList = <T extends KubernetesObject>(group: string, version: string, plural: string): ListPromise<T> =>
      counted(async () => (await custom.listClusterCustomObject({ group, version, plural })) as KubernetesListObject<T>);
    this.pods = this.follow('/api/v1/pods', watch, counted(() => core.listPodForAllNamespaces({})));
    this.services = this.follow('/api/v1/services', watch, counted(() => core.listServiceForAllNamespaces({})));
    this.virtualServices = this.follow(
      '/apis/networking.istio.io/v1alpha3/virtualservices',
      watch,
      customList<VirtualServiceObject>('networking.istio.io', 'v1alpha3', 'virtualservices'),
    );
    this.trafficSplits = this.follow(
      '/apis/split.smi-spec.io/v1alpha4/trafficsplits',
      watch,
      customList<TrafficSplitObject>('split.smi-spec.io', 'v1alpha4', 'trafficsplits'),
    );
  }

  private follow<T extends KubernetesObject>(path: string, watch: Watch, list: ListPromise<T>): ListWatch<T> {
    const informer = new ListWatch<T>(path, watch, list, false);
    const erased = informer as unknown as ListWatch<KubernetesObject>;
    let attempt = 0;
    let lastErrorAt = 0;
    informer.on('error', (error: unknown) => {
      this.counters.errors += 1;
      this.lastError = `${path}: ${error instanceof Error ? error.message : String(error)}`;
      if (Date.now() - lastErrorAt > 30_000) attempt = 0;
      lastErrorAt = Date.now();
      const delay = Math.min(MAX_BACKOFF_MS, 250 * 2 ** attempt) * (0.8 + Math.random() * 0.4);
      attempt += 1;
      if (this.stopped) return;
      // ListWatch stops on any error but 410; start() resumes from its resourceVersion.
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (!this.stopped) void informer.start();
      }, delay);
      this.timers.add(timer);
    });
    this.informers.push(erased);
    return informer;
  }

  start(): void {
    for (const informer of this.informers) void informer.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    await Promise.all(this.informers.map((informer) => informer.stop()));
  }

  /** True once every kind has been listed once (a relist after 410 clears the version only briefly). */
  get synced(): boolean {
    for (const informer of this.informers) if (informer.latestResourceVersion() !== '') this.listed.add(informer);
    return this.listed.size === this.informers.length;
  }

  view(): ClusterView {
    const rules: TrafficRule[] = [];
    for (const vs of this.virtualServices.list()) {
      const namespace = vs.metadata?.namespace ?? '';
      const route = vs.spec?.http?.[0]?.route ?? [];
      rules.push({
        namespace,
        kind: 'VirtualService',
        name: vs.metadata?.name ?? '',
        hosts: (vs.spec?.hosts ?? []).map((h) => shortHost(h, namespace)),
        destinations: route.map((r) => ({
          service: shortHost(r.destination?.host ?? '', namespace),
          weight: r.weight ?? (route.length === 1 ? 100 : 0),
        })),
      });
    }
    for (const ts of this.trafficSplits.list()) {
      rules.push({
        namespace: ts.metadata?.namespace ?? '',
        kind: 'TrafficSplit',
        name: ts.metadata?.name ?? '',
        hosts: ts.spec?.service ? [ts.spec.service] : [],
        destinations: (ts.spec?.backends ?? []).map((b) => ({ service: b.service, weight: b.weight })),
      });
    }
    return { pods: this.pods.list().map(podView), services: this.services.list().map(serviceView), rules };
  }
}
