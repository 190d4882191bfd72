import 'server-only';
import { KubeConfig } from '@kubernetes/client-node';
import type { WorkloadSummary } from '@/lib/contracts/workload';
import { deriveDeployment } from '@/lib/rollouts/deployment';
import type {
  AnalysisRunObject,
  AuditRecordObject,
  DeploymentObject,
  EventObject,
  HpaObject,
  KubeObject,
  PodObject,
  ReplicaSetObject,
  RolloutObject,
} from '@/lib/rollouts/objects';
import { deriveRollout } from '@/lib/rollouts/rollout';
import { unreadableWorkload } from '@/lib/rollouts/unreadable';
import { publicKubeError } from '@/lib/server/http/errors';
import { Reflector, type ReflectorStatus } from '@/lib/server/kube/reflector';
import { RESOURCES, type ResourceName, type ResourceType } from '@/lib/server/kube/resources';
import { httpTransport, type ReflectorTransport } from '@/lib/server/kube/transport';

export interface ClusterHealth {
  cluster: string;
  /** Every watched kind has a current list and a live watch. */
  connected: boolean;
  /** When the cache stopped being live; null while connected. */
  staleSince: string | null;
  lastError: string | null;
}

export type WorkloadChange = { type: 'upsert'; workload: WorkloadSummary } | { type: 'delete'; id: string };

type Reflectors = { [K in ResourceName]: Reflector<KubeObject>[] };

/** Opens the API calls of one kind in one namespace (all namespaces when undefined). */
export type TransportFactory = (type: ResourceType, namespace: string | undefined) => ReflectorTransport<KubeObject>;

/**
 * HTTP statuses that, for a given kind, mean "not available here" rather than "the cluster is
 * unreachable": the Argo CRDs may not be installed (404), and the kinds that only enrich a card
 * (analysis runs, autoscalers, events, audit records) may be denied by RBAC (403). Neither makes the cluster stale.
 */
const NOT_AVAILABLE: Partial<Record<ResourceName, number[]>> = {
  rollouts: [404],
  analysisRuns: [403, 404],
  experiments: [403, 404],
  hpas: [403, 404],
  events: [403, 404],
  // The audit CRD may not be installed, or Aviary not allowed to list it: the page then shows no history.
  auditRecords: [403, 404],
  releaseApprovals: [403, 404],
};

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * One cluster's in-memory state: a list+watch per kind (and namespace, when namespaces are
 * configured) — never per viewer — and the derived workload summaries, recomputed per namespace
 * shortly after anything in it changes.
 */
export class ClusterCache {
  private readonly reflectors: Reflectors;
  readonly workloads = new Map<string, WorkloadSummary>();
  private readonly dirty = new Set<string>();
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly changeListeners = new Set<(changes: WorkloadChange[]) => void>();
  private readonly healthListeners = new Set<(health: ClusterHealth) => void>();
  private health: ClusterHealth;

  constructor(
    readonly cluster: string,
    api: KubeConfig | TransportFactory,
    namespaces: string[] | undefined,
    private readonly debounceMs = 100,
  ) {
    this.health = { cluster, connected: false, staleSince: new Date().toISOString(), lastError: null };
    const scopes = namespaces && namespaces.length > 0 ? namespaces : [undefined];
    const transportFor: TransportFactory = api instanceof KubeConfig ? (type, namespace) => httpTransport(api, type, namespace) : api;
    const entries = (Object.keys(RESOURCES) as ResourceName[]).map((name) => {
      const list = scopes.map((namespace) => new Reflector<KubeObject>(transportFor(RESOURCES[name], namespace), RESOURCES[name]));
      for (const reflector of list) {
        reflector.onChange((_, object) => this.markDirty(object.metadata.namespace ?? ''));
        reflector.onStatus(() => this.updateHealth());
      }
      return [name, list] as const;
    });
    this.reflectors = Object.fromEntries(entries) as Reflectors;
  }

  start(): void {
    for (const list of Object.values(this.reflectors)) for (const r of list) r.start();
  }

  stop(): void {
    for (const list of Object.values(this.reflectors)) for (const r of list) r.stop();
    clearTimeout(this.flushTimer);
  }

  onChanges(listener: (changes: WorkloadChange[]) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  onHealth(listener: (health: ClusterHealth) => void): () => void {
    this.healthListeners.add(listener);
    return () => this.healthListeners.delete(listener);
  }

  /** Called after any change to objects of one kind (the approvals stream listens to its own kind and rollouts). */
  onKindChange(name: ResourceName, listener: () => void): () => void {
    const offs = this.reflectors[name].map((r) => r.onChange(() => listener()));
    return () => offs.forEach((off) => off());
  }

  currentHealth(): ClusterHealth {
    return { ...this.health };
  }

  reflectorStatuses(): Record<string, ReflectorStatus[]> {
    return Object.fromEntries(Object.entries(this.reflectors).map(([name, list]) => [name, list.map((r) => ({ ...r.status }))]));
  }

  /** Raw objects of one kind (for tests and the fixture recorder). */
  objects<T extends KubeObject>(name: ResourceName): T[] {
    return this.reflectors[name].flatMap((r) => [...r.store.values()]) as T[];
  }

  private updateHealth(): void {
    const statuses = (Object.keys(this.reflectors) as ResourceName[]).flatMap((name) =>
      this.reflectors[name].map((r) => ({ name, status: r.status })),
    );
    const notAvailable = (s: (typeof statuses)[number]) =>
      !s.status.synced && (NOT_AVAILABLE[s.name] ?? []).includes(s.status.lastErrorStatus ?? 0);
    const connected = statuses.every((s) => s.status.synced || notAvailable(s));
    const failing = statuses.filter((s) => s.status.lastError);
    const source = failing.find((s) => !notAvailable(s)) ?? failing[0];
    // Health goes to every browser: it names the kind of failure; the API server's own words go to the log.
    const lastError = publicKubeError(source?.status.lastErrorStatus ?? null, source?.status.lastError ?? null, source?.name);
    if (connected === this.health.connected && lastError === this.health.lastError) return;
    if (source && lastError !== this.health.lastError) console.error(`[aviary] cluster ${this.cluster}: ${source.name}: ${source.status.lastError}`);
    this.health = {
      cluster: this.cluster,
      connected,
      staleSince: connected ? null : (this.health.staleSince ?? new Date().toISOString()),
      lastError,
    };
    for (const listener of this.healthListeners) listener({ ...this.health });
  }

  private markDirty(namespace: string): void {
    this.dirty.add(namespace);
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.flush();
    }, this.debounceMs);
  }

  /** Objects of one kind grouped by namespace, built once per flush rather than once per namespace. */
  private byNamespace<T extends KubeObject>(name: ResourceName): (namespace: string) => T[] {
    const groups = new Map<string, T[]>();
    for (const o of this.objects<T>(name)) {
      const ns = o.metadata.namespace ?? '';
      groups.set(ns, [...(groups.get(ns) ?? []), o]);
    }
    return (namespace) => groups.get(namespace) ?? [];
  }

  /**
   * Derivation is pure code over objects the API server may fill in unexpected ways; one workload it
   * cannot read must not stop its namespace. That workload keeps its last good summary, marked with
   * the error; one never derived stays off the page (no summary to show) and is logged.
   */
  private derive(kind: WorkloadSummary['kind'], object: KubeObject, run: () => WorkloadSummary): WorkloadSummary | undefined {
    try {
      return { ...run(), derivationError: null };
    } catch (error) {
      const id = `${this.cluster}/${kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`;
      const derivationError = `Aviary could not read this ${kind} (resourceVersion ${object.metadata.resourceVersion ?? '?'}): ${messageOf(error)}`;
      const previous = this.workloads.get(id);
      if (previous?.derivationError !== derivationError) console.warn(`[aviary] ${id}: ${derivationError}`);
      return previous ? { ...previous, derivationError } : unreadableWorkload(this.cluster, kind, object, derivationError);
    }
  }

  /** Recomputes every workload of the dirty namespaces and emits what actually changed. */
  flush(): void {
    const changes: WorkloadChange[] = [];
    const replicaSets = this.byNamespace<ReplicaSetObject>('replicaSets');
    const pods = this.byNamespace<PodObject>('pods');
    const hpas = this.byNamespace<HpaObject>('hpas');
    const events = this.byNamespace<EventObject>('events');
    const analysisRuns = this.byNamespace<AnalysisRunObject>('analysisRuns');
    const experiments = this.byNamespace<KubeObject>('experiments');
    const rollouts = this.byNamespace<RolloutObject>('rollouts');
    const deployments = this.byNamespace<DeploymentObject>('deployments');
    const auditRecords = this.byNamespace<AuditRecordObject>('auditRecords');
    for (const namespace of this.dirty) {
      const related = {
        replicaSets: replicaSets(namespace),
        pods: pods(namespace),
        hpas: hpas(namespace),
        events: events(namespace),
        analysisRuns: analysisRuns(namespace),
        experiments: experiments(namespace),
        auditRecords: auditRecords(namespace),
        // A Rollout with a workloadRef takes its pod template from a Deployment.
        deployments: deployments(namespace),
      };
      const next = new Map<string, WorkloadSummary>();
      const keep = (summary: WorkloadSummary | undefined) => summary && next.set(summary.id, summary);
      for (const rollout of rollouts(namespace)) keep(this.derive('Rollout', rollout, () => deriveRollout(this.cluster, rollout, related)));
      for (const deployment of deployments(namespace)) {
        keep(this.derive('Deployment', deployment, () => deriveDeployment(this.cluster, deployment, related)));
      }
      for (const [id, old] of this.workloads) {
        if (old.namespace === namespace && old.cluster === this.cluster && !next.has(id)) {
          this.workloads.delete(id);
          changes.push({ type: 'delete', id });
        }
      }
      for (const [id, summary] of next) {
        const old = this.workloads.get(id);
        if (old && JSON.stringify(old) === JSON.stringify(summary)) continue;
        this.workloads.set(id, summary);
        changes.push({ type: 'upsert', workload: summary });
      }
    }
    this.dirty.clear();
    if (changes.length > 0) for (const listener of this.changeListeners) listener(changes);
  }
}
