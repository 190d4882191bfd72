import 'server-only';
import type { KubeConfig } from '@kubernetes/client-node';
import type { WorkloadSummary } from '@/lib/contracts/workload';
import { deriveDeployment } from '@/lib/rollouts/deployment';
import type {
  AnalysisRunObject,
  DeploymentObject,
  EventObject,
  HpaObject,
  KubeObject,
  PodObject,
  ReplicaSetObject,
  RolloutObject,
} from '@/lib/rollouts/objects';
import { deriveRollout } from '@/lib/rollouts/rollout';
import { Reflector, type ReflectorStatus } from '@/lib/server/kube/reflector';
import { RESOURCES, type ResourceName } from '@/lib/server/kube/resources';

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

/** Kinds whose absence (CRD not installed) must not stop the rest of the dashboard. */
const OPTIONAL: ResourceName[] = ['rollouts', 'analysisRuns'];

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
    kc: KubeConfig,
    namespaces: string[] | undefined,
    private readonly debounceMs = 100,
  ) {
    this.health = { cluster, connected: false, staleSince: new Date().toISOString(), lastError: null };
    const scopes = namespaces && namespaces.length > 0 ? namespaces : [undefined];
    const entries = (Object.keys(RESOURCES) as ResourceName[]).map((name) => {
      const list = scopes.map((namespace) => new Reflector<KubeObject>(kc, RESOURCES[name], { namespace }));
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
    const required = statuses.filter((s) => !OPTIONAL.includes(s.name) || s.status.synced || !/404/.test(s.status.lastError ?? ''));
    const connected = required.every((s) => s.status.synced);
    const lastError = statuses.find((s) => s.status.lastError)?.status.lastError ?? null;
    if (connected === this.health.connected && lastError === this.health.lastError) return;
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

  /** Recomputes every workload of the dirty namespaces and emits what actually changed. */
  flush(): void {
    const changes: WorkloadChange[] = [];
    const replicaSets = this.byNamespace<ReplicaSetObject>('replicaSets');
    const pods = this.byNamespace<PodObject>('pods');
    const hpas = this.byNamespace<HpaObject>('hpas');
    const events = this.byNamespace<EventObject>('events');
    const analysisRuns = this.byNamespace<AnalysisRunObject>('analysisRuns');
    const rollouts = this.byNamespace<RolloutObject>('rollouts');
    const deployments = this.byNamespace<DeploymentObject>('deployments');
    for (const namespace of this.dirty) {
      const related = {
        replicaSets: replicaSets(namespace),
        pods: pods(namespace),
        hpas: hpas(namespace),
        events: events(namespace),
        analysisRuns: analysisRuns(namespace),
      };
      const next = new Map<string, WorkloadSummary>();
      for (const rollout of rollouts(namespace)) {
        const summary = deriveRollout(this.cluster, rollout, related);
        next.set(summary.id, summary);
      }
      for (const deployment of deployments(namespace)) {
        const summary = deriveDeployment(this.cluster, deployment, related);
        next.set(summary.id, summary);
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
