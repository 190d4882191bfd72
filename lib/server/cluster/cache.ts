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
import { Reflector, type ChangeType, type ReflectorStatus } from '@/lib/server/kube/reflector';
import { RESOURCES, type ResourceName, type ResourceType } from '@/lib/server/kube/resources';
import { httpTransport, type ReflectorTransport } from '@/lib/server/kube/transport';
import { LIVENESS_DEFAULTS, Liveness, readyzProbe, type LivenessOptions, type Probe } from './liveness';

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
  /** Per namespace, the workloads to derive again ("Rollout/name"), or all of them. */
  private readonly dirty = new Map<string, Set<string> | 'all'>();
  /** Every watched object by kind, namespace and name: kept as events arrive, never rebuilt per flush. */
  private readonly index = new Map<ResourceName, Map<string, Map<string, KubeObject>>>();
  private flushTimer: NodeJS.Timeout | undefined;
  /** When the last flush ran (ms): flushes are at least `debounceMs` apart. */
  private lastFlush = 0;
  private readonly changeListeners = new Set<(changes: WorkloadChange[]) => void>();
  private readonly healthListeners = new Set<(health: ClusterHealth) => void>();
  private health: ClusterHealth;
  /** The API server's own answer to a cheap probe: catches a frozen server the watches cannot see yet. */
  private readonly liveness: Liveness | null;

  constructor(
    readonly cluster: string,
    api: KubeConfig | TransportFactory,
    namespaces: string[] | undefined,
    private readonly debounceMs = 100,
    probe: { probe?: Probe; options?: LivenessOptions } = {},
  ) {
    this.health = { cluster, connected: false, staleSince: new Date().toISOString(), lastError: null };
    const scopes = namespaces && namespaces.length > 0 ? namespaces : [undefined];
    const transportFor: TransportFactory = api instanceof KubeConfig ? (type, namespace) => httpTransport(api, type, namespace) : api;
    const entries = (Object.keys(RESOURCES) as ResourceName[]).map((name) => {
      const list = scopes.map((namespace) => new Reflector<KubeObject>(transportFor(RESOURCES[name], namespace), RESOURCES[name]));
      for (const reflector of list) {
        reflector.onChange((type, object) => {
          this.indexChange(name, type, object);
          this.markDirty(object.metadata.namespace ?? '', this.affected(name, object));
        });
        reflector.onStatus(() => this.updateHealth());
      }
      return [name, list] as const;
    });
    this.reflectors = Object.fromEntries(entries) as Reflectors;
    const options = probe.options ?? LIVENESS_DEFAULTS;
    const check = probe.probe ?? (api instanceof KubeConfig ? readyzProbe(api, options.timeoutMs) : null);
    this.liveness = check ? new Liveness(check, () => this.updateHealth(), options) : null;
  }

  start(): void {
    for (const list of Object.values(this.reflectors)) for (const r of list) r.start();
    this.liveness?.start();
  }

  stop(): void {
    for (const list of Object.values(this.reflectors)) for (const r of list) r.stop();
    this.liveness?.stop();
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
    const unanswered = this.liveness?.error ?? null;
    const connected = !unanswered && statuses.every((s) => s.status.synced || notAvailable(s));
    const failing = statuses.filter((s) => s.status.lastError);
    const source = failing.find((s) => !notAvailable(s)) ?? failing[0];
    // Health goes to every browser: it names the kind of failure; the API server's own words go to the log.
    const lastError = unanswered ?? publicKubeError(source?.status.lastErrorStatus ?? null, source?.status.lastError ?? null, source?.name);
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

  private indexChange(name: ResourceName, type: ChangeType, object: KubeObject): void {
    const namespace = object.metadata.namespace ?? '';
    let byNamespace = this.index.get(name);
    if (!byNamespace) this.index.set(name, (byNamespace = new Map()));
    let objects = byNamespace.get(namespace);
    if (!objects) byNamespace.set(namespace, (objects = new Map()));
    if (type === 'deleted') objects.delete(object.metadata.name);
    else objects.set(object.metadata.name, object);
  }

  private inNamespace<T extends KubeObject>(name: ResourceName, namespace: string): T[] {
    return [...(this.index.get(name)?.get(namespace)?.values() ?? [])] as T[];
  }

  /** Workloads owning a ReplicaSet; 'all' when the ReplicaSet is not (yet) known. */
  private ownersOfReplicaSet(namespace: string, name: string): string[] | 'all' {
    const rs = this.index.get('replicaSets')?.get(namespace)?.get(name);
    return rs ? this.ownersOf(namespace, rs.metadata.ownerReferences ?? []) : 'all';
  }

  private ownersOf(namespace: string, refs: { kind: string; name: string }[]): string[] | 'all' {
    const out: string[] = [];
    for (const ref of refs) {
      if (ref.kind === 'Rollout' || ref.kind === 'Deployment') out.push(`${ref.kind}/${ref.name}`);
      else if (ref.kind === 'ReplicaSet') {
        const owners = this.ownersOfReplicaSet(namespace, ref.name);
        if (owners === 'all') return 'all';
        out.push(...owners);
      } else return 'all';
    }
    return out;
  }

  /** The object of a kind/name an event or autoscaler points at, as the workloads it touches. */
  private ownersOfTarget(namespace: string, kind: string, name: string): string[] | 'all' {
    if (kind === 'Rollout' || kind === 'Deployment') return [`${kind}/${name}`];
    if (kind === 'ReplicaSet') return this.ownersOfReplicaSet(namespace, name);
    const resource: ResourceName | undefined = kind === 'Pod' ? 'pods' : kind === 'AnalysisRun' ? 'analysisRuns' : kind === 'Experiment' ? 'experiments' : undefined;
    const object = resource && this.index.get(resource)?.get(namespace)?.get(name);
    return object ? this.ownersOf(namespace, object.metadata.ownerReferences ?? []) : 'all';
  }

  /**
   * Which workloads of its namespace a change of this object can alter: by owner references (a pod
   * through its ReplicaSet), an event's involved object, an autoscaler's target, a Rollout's
   * workloadRef. Anything it cannot place re-derives the whole namespace, which is always right.
   */
  private affected(name: ResourceName, object: KubeObject): string[] | 'all' {
    const namespace = object.metadata.namespace ?? '';
    switch (name) {
      case 'rollouts': {
        const ref = (object as RolloutObject).spec?.workloadRef;
        return [`Rollout/${object.metadata.name}`, ...(ref?.kind === 'Deployment' ? [`Deployment/${ref.name}`] : [])];
      }
      case 'deployments': {
        const referencing = this.inNamespace<RolloutObject>('rollouts', namespace).filter((r) => r.spec?.workloadRef?.name === object.metadata.name);
        return [`Deployment/${object.metadata.name}`, ...referencing.map((r) => `Rollout/${r.metadata.name}`)];
      }
      case 'replicaSets':
      case 'pods':
      case 'analysisRuns':
      case 'experiments': {
        const refs = object.metadata.ownerReferences ?? [];
        return refs.length === 0 ? [] : this.ownersOf(namespace, refs);
      }
      case 'events': {
        const involved = (object as EventObject).involvedObject;
        return involved ? this.ownersOfTarget(namespace, involved.kind, involved.name) : 'all';
      }
      case 'hpas': {
        const target = (object as HpaObject).spec?.scaleTargetRef;
        return target ? this.ownersOfTarget(namespace, target.kind, target.name) : 'all';
      }
      default:
        return 'all';
    }
  }

  private markDirty(namespace: string, workloads: string[] | 'all'): void {
    const current = this.dirty.get(namespace);
    if (workloads === 'all' || current === 'all') this.dirty.set(namespace, 'all');
    else if (current) for (const w of workloads) current.add(w);
    else this.dirty.set(namespace, new Set(workloads));
    if (this.flushTimer) return;
    // At most one derivation per `debounceMs`, but not a wait before the first: a write after a quiet
    // spell is derived on the next turn of the event loop (what one watch chunk carried, together), a
    // burst is coalesced into one flush per interval.
    const wait = Math.max(0, this.lastFlush + this.debounceMs - Date.now());
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.lastFlush = Date.now();
      this.flush();
    }, wait);
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

  /**
   * Derives again only the workloads the changes since the last flush touched (all of a namespace
   * when a change could not be placed), over the namespace's objects from the index, and emits what
   * actually changed.
   */
  flush(): void {
    const changes: WorkloadChange[] = [];
    for (const [namespace, which] of this.dirty) {
      if (which !== 'all' && which.size === 0) continue;
      const wanted = (kind: WorkloadSummary['kind'], name: string) => which === 'all' || which.has(`${kind}/${name}`);
      const rollouts = this.inNamespace<RolloutObject>('rollouts', namespace).filter((r) => wanted('Rollout', r.metadata.name));
      const deployments = this.inNamespace<DeploymentObject>('deployments', namespace);
      const derived = deployments.filter((d) => wanted('Deployment', d.metadata.name));
      const related = {
        replicaSets: this.inNamespace<ReplicaSetObject>('replicaSets', namespace),
        pods: this.inNamespace<PodObject>('pods', namespace),
        hpas: this.inNamespace<HpaObject>('hpas', namespace),
        events: this.inNamespace<EventObject>('events', namespace),
        analysisRuns: this.inNamespace<AnalysisRunObject>('analysisRuns', namespace),
        experiments: this.inNamespace<KubeObject>('experiments', namespace),
        auditRecords: this.inNamespace<AuditRecordObject>('auditRecords', namespace),
        // A Rollout with a workloadRef takes its pod template from a Deployment.
        deployments,
      };
      const next = new Map<string, WorkloadSummary>();
      const keep = (summary: WorkloadSummary | undefined) => summary && next.set(summary.id, summary);
      for (const rollout of rollouts) keep(this.derive('Rollout', rollout, () => deriveRollout(this.cluster, rollout, related)));
      for (const deployment of derived) keep(this.derive('Deployment', deployment, () => deriveDeployment(this.cluster, deployment, related)));
      const gone = which === 'all' ? [...this.workloads.values()].filter((w) => w.namespace === namespace) : [...which].map((key) => this.workloads.get(`${this.cluster}/${key.replace('/', `/${namespace}/`)}`));
      for (const old of gone) {
        if (old && old.namespace === namespace && old.cluster === this.cluster && !next.has(old.id)) {
          this.workloads.delete(old.id);
          changes.push({ type: 'delete', id: old.id });
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
