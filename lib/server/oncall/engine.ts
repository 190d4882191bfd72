import 'server-only';
import type { KubeConfig } from '@kubernetes/client-node';
import type { DeliveryRecord, IncidentSpec, OnCallStatus } from '@/lib/contracts/incidents';
import type { WorkloadSummary } from '@/lib/contracts/workload';
import { incidentOf, pagerDutyResolve, pagerDutyTrigger, shouldResolve, slackResolve, slackTrigger, type Incident, type PagerDutyEvent } from '@/lib/rollouts/incidents';
import { ChannelError, postJson, slackPayload, type RetryOptions } from '@/lib/server/notify/channel';
import { pagerDutySender } from '@/lib/server/notify/pagerduty';
import { ConflictError, NotFoundError } from '@/lib/server/kube/impersonation';
import { CoalescingCache } from '@/lib/server/prometheus/cache';
import { resolveRoutingKey, routeFor, routingKeyId, type OnCallConfig } from './config';
import { LeaseElector } from './lease';
import { RUNBOOK_ACTOR, type RunbookAuditEntry } from '@/lib/server/audit/entry';
import { recordAction } from '@/lib/server/audit/record';
import { runbookDescription } from '@/lib/rollouts/audit-history';
import { runRunbookHook } from './runbook';
import { createIncident, deleteIncident, getIncident, incidentObjectName, listIncidents, toView, updateIncident, type IncidentObject } from './store';

/** What the engine needs of a cluster cache: its name, whether it is live, its workloads. */
export interface IncidentSource {
  readonly cluster: string;
  readonly workloads: Map<string, WorkloadSummary>;
  currentHealth(): { connected: boolean };
  onChanges(listener: () => void): () => void;
}

export interface EngineOptions {
  config: OnCallConfig;
  sources: IncidentSource[];
  kubeConfigs: Map<string, KubeConfig>;
  /** The namespaces the sources watch (AVIARY_NAMESPACES); all when absent. */
  namespaces?: string[];
  /** Where the Lease lives: the first cluster unless told. */
  leaseCluster?: string;
  now?: () => Date;
  log?: (line: string) => void;
  retry?: Partial<RetryOptions>;
  /** How often to look again without a change (retries that are due, a cluster coming back). */
  tickMs?: number;
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 500);
/** Rounds of retries after the first: 30 s, 1 min, 2 min … capped at 10 min, for as long as the incident needs it. */
const roundDelayMs = (rounds: number) => Math.min(600_000, 30_000 * 2 ** Math.max(0, rounds - 1));
/** How long the status page's cluster reads (Incidents, the Lease) are shared between viewers. */
const STATUS_TTL_MS = 3000;

interface StatusRead {
  objects: { cluster: string; object: IncidentObject }[];
  lease: OnCallStatus['lease'];
  leaseError: string | null;
}

/**
 * On-call paging from the shared cluster cache, on every replica, sending from one: the holder of
 * the coordination.k8s.io Lease. Its memory lives in the cluster (Incident objects, one per dedup
 * key), loaded when it becomes the sender, so a replica that takes over knows what was sent and what
 * is still owed: no duplicate for what was recorded, no gap for what was not. Creating the Incident
 * is the second guard: a 409 means another sender opened it already.
 */
export class OnCallEngine {
  readonly elector: LeaseElector;
  private readonly records = new Map<string, { cluster: string; object: IncidentObject }>();
  private loaded = false;
  private busy = false;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly unsubscribe: (() => void)[] = [];
  private readonly counters = new Map<string, number>();
  /** Open aborted incidents whose workload has no runbook hook (checked once per term). */
  private readonly runbookChecked = new Set<string>();
  /** Workload uids seen by the hook run (for the audit Event's involvedObject). */
  private readonly uids = new Map<string, string | null>();
  /** When a failed AuditRecord write may be tried again. */
  private readonly auditRetryAt = new Map<string, number>();
  private readonly now: () => Date;
  private readonly log: (line: string) => void;
  private readonly leaseCluster: string;

  constructor(private readonly options: EngineOptions) {
    this.now = options.now ?? (() => new Date());
    this.log = options.log ?? console.log;
    this.leaseCluster = options.leaseCluster ?? options.sources[0]?.cluster ?? '';
    const kc = options.kubeConfigs.get(this.leaseCluster);
    if (!kc) throw new Error(`on-call: no kubeconfig for cluster ${this.leaseCluster}`);
    this.elector = new LeaseElector(kc, {
      namespace: options.config.leaseNamespace,
      name: options.config.leaseName,
      identity: options.config.identity,
      leaseSeconds: options.config.leaseSeconds,
      log: this.log,
    });
    const config = options.config;
    if (!config.publicUrl && (config.routingKey || Object.values(config.routes).some((r) => r.routingKey))) {
      this.log(JSON.stringify({ level: 'warn', msg: 'aviary.oncall.no-public-url', detail: 'AVIARY_PUBLIC_URL is not set: PagerDuty and Slack messages will carry no link to Aviary' }));
    }
    this.elector.onChange((leading) => {
      // A new term starts from what the cluster remembers, not from what this process thought.
      this.loaded = false;
      this.records.clear();
      this.runbookChecked.clear();
      this.auditRetryAt.clear();
      if (leading) this.schedule();
    });
  }

  get identity(): string {
    return this.options.config.identity;
  }

  get leading(): boolean {
    return this.elector.leading;
  }

  private count(key: string): void {
    this.counters.set(key, (this.counters.get(key) ?? 0) + 1);
  }

  counts(): Record<string, number> {
    return Object.fromEntries(this.counters);
  }

  start(): void {
    if (this.options.config.disabled) return;
    for (const source of this.options.sources) this.unsubscribe.push(source.onChanges(() => this.schedule()));
    this.elector.start();
    const tick = () => {
      this.schedule();
      this.timer = setTimeout(tick, this.options.tickMs ?? 2000);
      this.timer.unref?.();
    };
    tick();
  }

  /** `release`: a clean shutdown hands the Lease over at once; without it, as a crash would. */
  async stop(release = true): Promise<void> {
    clearTimeout(this.timer);
    for (const u of this.unsubscribe.splice(0)) u();
    await this.elector.stop(release);
    while (this.busy) await new Promise((r) => setTimeout(r, 50));
  }

  private schedule(): void {
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    void this.round()
      .catch((error: unknown) => this.log(JSON.stringify({ level: 'error', msg: 'aviary.oncall.round-failed', error: errorText(error) })))
      .finally(() => {
        this.busy = false;
        if (this.again) {
          this.again = false;
          setTimeout(() => this.schedule(), 100).unref?.();
        }
      });
  }

  /** One pass: open what is new, resolve what recovered, deliver what is owed. Only the sender acts. */
  async round(): Promise<void> {
    if (!this.leading) return;
    if (!this.loaded) {
      for (const source of this.options.sources) {
        const kc = this.options.kubeConfigs.get(source.cluster);
        if (!kc) continue;
        for (const object of await listIncidents(kc, this.log)) {
          // Another Aviary's incidents (another cluster name, a namespace these caches do not watch)
          // are not ours to resolve or delete: their workloads are simply not in our caches.
          if (object.spec.cluster !== source.cluster || (this.options.namespaces && !this.options.namespaces.includes(object.metadata.namespace))) continue;
          this.records.set(object.spec.dedupKey, { cluster: source.cluster, object });
        }
      }
      this.loaded = true;
    }
    for (const source of this.options.sources) {
      // A cache that is not live may be empty or old: deciding from it would resolve what is still broken.
      if (!source.currentHealth().connected) continue;
      for (const workload of source.workloads.values()) {
        const incident = incidentOf(workload);
        if (incident && !this.records.has(incident.dedupKey)) await this.open(source.cluster, incident);
      }
      for (const { cluster, object } of this.records.values()) {
        if (cluster !== source.cluster || object.spec.state !== 'open') continue;
        if (shouldResolve(source.workloads.get(object.spec.workloadId))) await this.resolve(cluster, object);
      }
    }
    for (const [key, entry] of [...this.records]) {
      await this.runbookOwed(entry.cluster, key);
      await this.deliverOwed(entry.cluster, key);
    }
    await this.cleanUp();
  }

  /**
   * Deletes resolved Incidents older than the retention (AVIARY_INCIDENT_RETENTION). Never an open
   * one: only what this sender read as resolved, deleted with that resourceVersion as precondition,
   * so an Incident changed since (by anyone) is read again instead. A resolve still owed by then is
   * given up loudly (logged and counted), not silently.
   */
  private async cleanUp(): Promise<void> {
    const cutoff = this.now().getTime() - this.options.config.incidentRetentionMs;
    for (const [key, { cluster, object }] of [...this.records]) {
      if (!this.leading) return;
      const spec = object.spec;
      if (spec.state !== 'resolved' || spec.resolvedAt === null || !(Date.parse(spec.resolvedAt) <= cutoff)) continue;
      try {
        await deleteIncident(this.kc(cluster), object);
      } catch (error) {
        if (error instanceof ConflictError) {
          this.records.set(key, { cluster, object: await getIncident(this.kc(cluster), object.metadata.namespace, object.metadata.name) });
          continue;
        }
        if (!(error instanceof NotFoundError)) {
          this.log(JSON.stringify({ level: 'error', msg: 'aviary.oncall.cleanup-failed', dedupKey: key, error: errorText(error) }));
          continue;
        }
      }
      this.records.delete(key);
      this.count('incidents.deleted');
      const owed = spec.deliveries.filter((d) => d.state === 'pending' || (d.state === 'failed' && d.nextAttemptAt !== null));
      if (owed.length > 0) {
        this.count('deliveries.dropped');
        this.log(JSON.stringify({ level: 'error', msg: 'aviary.oncall.undelivered-dropped', dedupKey: key, deliveries: owed.map((d) => `${d.channel} ${d.action}: ${d.lastError ?? d.state}`) }));
      }
      this.log(JSON.stringify({ level: 'info', msg: 'aviary.oncall.incident-deleted', dedupKey: key, object: `${object.metadata.namespace}/${object.metadata.name}`, resolvedAt: spec.resolvedAt, sender: this.identity }));
    }
  }

  private kc(cluster: string): KubeConfig {
    const kc = this.options.kubeConfigs.get(cluster);
    if (!kc) throw new Error(`on-call: no kubeconfig for cluster ${cluster}`);
    return kc;
  }

  private async open(cluster: string, incident: Incident): Promise<void> {
    if (!this.leading) return;
    const route = routeFor(this.options.config, incident.namespace);
    const pending = (channel: DeliveryRecord['channel']): DeliveryRecord => ({ channel, action: 'trigger', state: 'pending', attempts: 0, rounds: 0, lastError: null, sender: null, at: null, nextAttemptAt: null });
    const spec: IncidentSpec = {
      dedupKey: incident.dedupKey,
      workloadId: incident.workloadId,
      cluster,
      kind: incident.kind,
      name: incident.name,
      revision: incident.revision,
      cause: incident.cause,
      severity: incident.severity,
      summary: incident.summary,
      openedAt: this.now().toISOString(),
      state: 'open',
      resolvedAt: null,
      deliveries: [...(route.routingKey ? [pending('pagerduty')] : []), ...(route.slackWebhookUrl ? [pending('slack')] : [])],
      runbook: null,
    };
    const name = incidentObjectName(incident.name, incident.dedupKey);
    let object: IncidentObject;
    try {
      object = await createIncident(this.kc(cluster), incident.namespace, name, spec);
      this.count('incidents.opened');
      this.log(JSON.stringify({ level: 'warn', msg: 'aviary.oncall.incident-opened', dedupKey: incident.dedupKey, cause: incident.cause, sender: this.identity }));
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      // Opened already (by an earlier sender whose record we had not loaded): adopt it, send nothing twice.
      object = await getIncident(this.kc(cluster), incident.namespace, name);
      this.count('incidents.adopted');
    }
    this.records.set(incident.dedupKey, { cluster, object });
  }

  /**
   * The runbook hook of an open, aborted incident (once: the Incident records its outcome), and then
   * its AuditRecord (once: a name fixed by the incident, and the Incident records that it was
   * written). A sender that takes over finishes what the last one left undone.
   */
  private async runbookOwed(cluster: string, dedupKey: string): Promise<void> {
    const entry = this.records.get(dedupKey);
    if (!entry || !this.leading) return;
    const spec = entry.object.spec;
    if (spec.runbook === null) {
      if (spec.state !== 'open' || (spec.cause !== 'aborted' && spec.cause !== 'analysis-failed') || this.runbookChecked.has(dedupKey)) return;
      try {
        const ran = await runRunbookHook(this.kc(cluster), this.options.config, this.incidentFor(entry.object), { log: this.log, now: this.now });
        // No hook on this workload: nothing to record; asked again only in a new term.
        if (!ran) return void this.runbookChecked.add(dedupKey);
        await this.write(cluster, dedupKey, (s) => ({ ...s, runbook: ran.outcome }));
        this.uids.set(dedupKey, ran.uid);
        this.count(`runbook.${ran.outcome.state}`);
      } catch (error) {
        this.runbookChecked.add(dedupKey);
        this.log(JSON.stringify({ level: 'error', msg: 'aviary.oncall.runbook-failed', dedupKey, error: errorText(error) }));
        return;
      }
    }
    await this.runbookAuditOwed(cluster, dedupKey);
  }

  /** Writes the runbook outcome's AuditRecord when the Incident says it is owed (auditRecord: null). */
  private async runbookAuditOwed(cluster: string, dedupKey: string): Promise<void> {
    const entry = this.records.get(dedupKey);
    const outcome = entry?.object.spec.runbook;
    // undefined: an outcome recorded before outcomes were audited; a string: written already.
    if (!entry || !outcome || outcome.auditRecord !== null || !this.leading) return;
    if ((this.auditRetryAt.get(dedupKey) ?? 0) > this.now().getTime()) return;
    const spec = entry.object.spec;
    const auditEntry: RunbookAuditEntry = {
      actor: 'aviary',
      user: RUNBOOK_ACTOR,
      groups: [],
      action: 'runbook-hook',
      target: { cluster: spec.cluster, kind: spec.kind, namespace: entry.object.metadata.namespace, name: spec.name, uid: this.uids.get(dedupKey) ?? null },
      revision: /^\d+$/.test(spec.revision) ? Number(spec.revision) : null,
      step: null,
      reason: spec.summary.slice(0, 1000),
      result: outcome.state === 'done' ? 'delivered' : outcome.state,
      message: outcome.message.slice(0, 2000),
      description: runbookDescription(outcome).slice(0, 1000),
      time: outcome.at,
      runbook: {
        hook: outcome.hook,
        kind: outcome.kind ?? null,
        method: outcome.request?.method ?? null,
        host: outcome.request?.host ?? null,
        flag: outcome.request?.flag ?? null,
        instruction: outcome.request?.instruction ?? null,
        environmentKey: outcome.request?.environmentKey ?? null,
        status: outcome.status ?? null,
        attempts: outcome.attempts ?? 0,
        revision: spec.revision,
        dedupKey,
        incident: entry.object.metadata.name,
        sender: this.identity,
      },
    };
    const written = await recordAction(this.kc(cluster), auditEntry, this.log);
    if ('error' in written.record) {
      this.count('runbook.audit-failed');
      this.auditRetryAt.set(dedupKey, this.now().getTime() + 30_000);
      return;
    }
    const name = written.record.name;
    this.count(written.record.existed ? 'runbook.audit-existed' : 'runbook.audited');
    this.auditRetryAt.delete(dedupKey);
    await this.write(cluster, dedupKey, (s) => (s.runbook ? { ...s, runbook: { ...s.runbook, auditRecord: name } } : s));
  }

  private async resolve(cluster: string, object: IncidentObject): Promise<void> {
    if (!this.leading) return;
    const now = this.now().toISOString();
    await this.write(cluster, object.spec.dedupKey, (spec) => {
      const deliveries: DeliveryRecord[] = [];
      for (const d of spec.deliveries) {
        if (d.action !== 'trigger') {
          deliveries.push(d);
          continue;
        }
        if (d.state === 'delivered') {
          deliveries.push(d, { channel: d.channel, action: 'resolve', state: 'pending', attempts: 0, rounds: 0, lastError: null, sender: null, at: null, nextAttemptAt: null });
        } else {
          // Never reached anyone: there is nothing to resolve, and paging now for a recovered release would lie.
          deliveries.push({ ...d, state: d.state === 'pending' ? 'skipped' : d.state, nextAttemptAt: null, lastError: d.lastError ?? 'recovered before it was delivered' });
        }
      }
      return { ...spec, state: 'resolved', resolvedAt: now, deliveries };
    });
    this.count('incidents.resolved');
    this.log(JSON.stringify({ level: 'info', msg: 'aviary.oncall.incident-resolved', dedupKey: object.spec.dedupKey, sender: this.identity }));
  }

  /** Writes a change to the Incident with its resourceVersion; on a conflict reads it again and reapplies. */
  private async write(cluster: string, dedupKey: string, change: (spec: IncidentSpec) => IncidentSpec): Promise<IncidentObject> {
    const entry = this.records.get(dedupKey);
    if (!entry) throw new Error(`on-call: no record for ${dedupKey}`);
    let current = entry.object;
    for (let attempt = 0; ; attempt++) {
      try {
        const written = await updateIncident(this.kc(cluster), current, change(current.spec));
        this.records.set(dedupKey, { cluster, object: written });
        return written;
      } catch (error) {
        if (!(error instanceof ConflictError) || attempt >= 3) throw error;
        current = await getIncident(this.kc(cluster), current.metadata.namespace, current.metadata.name);
      }
    }
  }

  private due(d: DeliveryRecord, now: Date): boolean {
    if (d.state === 'pending') return true;
    return d.state === 'failed' && d.nextAttemptAt !== null && Date.parse(d.nextAttemptAt) <= now.getTime();
  }

  private async deliverOwed(cluster: string, dedupKey: string): Promise<void> {
    for (let i = 0; ; i++) {
      const entry = this.records.get(dedupKey);
      if (!entry || !this.leading) return;
      const spec = entry.object.spec;
      const index = spec.deliveries.findIndex((d) => this.due(d, this.now()));
      if (index < 0 || i > spec.deliveries.length * 2) return;
      const delivery = spec.deliveries[index];
      // A resolve goes out only after its trigger was delivered (never before, never alone).
      const outcome = await this.send(entry.object, delivery);
      if (!this.leading && outcome.ok) this.log(JSON.stringify({ level: 'warn', msg: 'aviary.oncall.sent-while-losing-lease', dedupKey }));
      const at = this.now();
      await this.write(cluster, dedupKey, (s) => ({
        ...s,
        deliveries: s.deliveries.map((d, j) => {
          if (j !== index) return d;
          const rounds = d.rounds + 1;
          return outcome.ok
            ? { ...d, state: 'delivered', attempts: d.attempts + outcome.attempts, rounds, lastError: null, sender: this.identity, at: at.toISOString(), nextAttemptAt: null, ...(outcome.routingKeyId ? { routingKeyId: outcome.routingKeyId } : {}) }
            : {
                ...d,
                state: outcome.skipped ? 'skipped' : 'failed',
                attempts: d.attempts + outcome.attempts,
                rounds,
                lastError: outcome.error,
                sender: this.identity,
                at: at.toISOString(),
                nextAttemptAt: outcome.retryable ? new Date(at.getTime() + roundDelayMs(rounds)).toISOString() : null,
              };
        }),
      }));
    }
  }

  private async send(object: IncidentObject, delivery: DeliveryRecord): Promise<{ ok: true; attempts: number; routingKeyId: string | null } | { ok: false; attempts: number; error: string; retryable: boolean; skipped?: boolean }> {
    const { config } = this.options;
    const spec = object.spec;
    const route = routeFor(config, object.metadata.namespace);
    const retry: Partial<RetryOptions> = { baseDelayMs: config.retryBaseMs, ...this.options.retry };
    const incident = this.incidentFor(object);
    const key = `${delivery.channel}.${delivery.action}`;
    let keyId: string | null = null;
    try {
      let attempts: number;
      if (delivery.channel === 'pagerduty') {
        let event: PagerDutyEvent;
        if (delivery.action === 'trigger') {
          if (!route.routingKey) return { ok: false, attempts: 0, error: 'no PagerDuty routing key configured for this namespace any more', retryable: false, skipped: true };
          event = pagerDutyTrigger(incident, route.routingKey, config.publicUrl, spec.openedAt);
          keyId = routingKeyId(route.routingKey);
        } else {
          const trigger = spec.deliveries.find((d) => d.channel === 'pagerduty' && d.action === 'trigger');
          const routing = resolveRoutingKey(config, object.metadata.namespace, trigger?.routingKeyId);
          if ('error' in routing) {
            this.count(`${key}.failed`);
            this.log(JSON.stringify({ level: 'error', msg: 'aviary.oncall.delivery-failed', channel: delivery.channel, action: delivery.action, dedupKey: spec.dedupKey, attempts: 0, retryable: false, error: routing.error }));
            return { ok: false, attempts: 0, error: routing.error, retryable: false };
          }
          event = pagerDutyResolve(spec.dedupKey, routing.key);
        }
        attempts = (await pagerDutySender(config.pagerDutyUrl, retry).send(event)).attempts;
      } else {
        if (!route.slackWebhookUrl) return { ok: false, attempts: 0, error: 'no Slack webhook configured for this namespace any more', retryable: false, skipped: true };
        const words = delivery.action === 'trigger' ? slackTrigger(incident) : slackResolve(incident);
        const link = incident && config.publicUrl ? `${config.publicUrl.replace(/\/+$/, '')}/${spec.kind === 'Rollout' ? 'rollouts' : 'deployments'}/${[spec.cluster, object.metadata.namespace, spec.name].map(encodeURIComponent).join('/')}` : null;
        const body = slackPayload({ ...words, link, severity: delivery.action === 'resolve' ? 'info' : spec.severity === 'critical' ? 'critical' : 'warning' });
        attempts = (await postJson(`slack (${new URL(route.slackWebhookUrl).host})`, route.slackWebhookUrl, JSON.stringify(body), retry)).attempts;
      }
      this.count(`${key}.delivered`);
      this.log(JSON.stringify({ level: 'info', msg: 'aviary.oncall.delivered', channel: delivery.channel, action: delivery.action, dedupKey: spec.dedupKey, attempts, sender: this.identity }));
      return { ok: true, attempts, routingKeyId: keyId };
    } catch (error) {
      const retryable = !(error instanceof ChannelError) || error.retryable;
      const attempts = error instanceof ChannelError ? error.attempts : 1;
      this.count(`${key}.failed`);
      this.log(JSON.stringify({ level: 'error', msg: 'aviary.oncall.delivery-failed', channel: delivery.channel, action: delivery.action, dedupKey: spec.dedupKey, attempts, retryable, error: errorText(error) }));
      return { ok: false, attempts, error: errorText(error), retryable };
    }
  }

  /** The incident as it is now when the workload is still in it, else as it was recorded. */
  private incidentFor(object: IncidentObject): Incident {
    const spec = object.spec;
    const source = this.options.sources.find((s) => s.cluster === spec.cluster);
    const live = source?.workloads.get(spec.workloadId);
    const now = live ? incidentOf(live) : null;
    if (now && now.dedupKey === spec.dedupKey) return now;
    return {
      dedupKey: spec.dedupKey,
      workloadId: spec.workloadId,
      cluster: spec.cluster,
      kind: spec.kind,
      namespace: object.metadata.namespace,
      name: spec.name,
      revision: spec.revision,
      cause: spec.cause,
      severity: spec.severity,
      summary: spec.summary,
      headline: null,
      failedMetrics: [],
      images: [],
      strategy: live?.strategy ?? 'canary',
      step: live?.step ?? { current: null, total: 0 },
      phase: live?.phase ?? null,
      message: live?.message ?? null,
    };
  }

  /**
   * What the status page reads from the cluster (every Incident, the Lease), fetched at most once per
   * STATUS_TTL_MS through the project's coalescing cache and shared by every viewer: open status pages
   * cost the API server nothing per viewer.
   */
  private readonly statusCache = new CoalescingCache<StatusRead>(STATUS_TTL_MS, 1);

  /** How many times the status page's cluster reads ran (tests: viewers share them). */
  get statusReads(): number {
    return this.statusCache.stats.misses;
  }

  private readStatus(): Promise<StatusRead> {
    return this.statusCache.get('status', async () => {
      const objects: StatusRead['objects'] = [];
      for (const source of this.options.sources) {
        const kc = this.options.kubeConfigs.get(source.cluster);
        if (!kc) continue;
        for (const object of await listIncidents(kc, this.log)) objects.push({ cluster: source.cluster, object });
      }
      let lease: OnCallStatus['lease'] = null;
      let leaseError: string | null = null;
      try {
        lease = await this.elector.read();
      } catch (error) {
        leaseError = errorText(error);
      }
      return { objects, lease, leaseError };
    });
  }

  /** The status page: the Lease holder, this replica, and the incidents `visible` lets the viewer see. */
  async status(visible: (incident: { cluster: string; namespace: string; kind: 'Rollout' | 'Deployment' }) => Promise<boolean>): Promise<OnCallStatus> {
    const { objects, lease, leaseError } = await this.readStatus();
    const incidents: OnCallStatus['incidents'] = [];
    for (const { cluster, object } of objects) {
      if (await visible({ cluster, namespace: object.metadata.namespace, kind: object.spec.kind })) incidents.push(toView(object));
    }
    incidents.sort((a, b) => (a.state === b.state ? b.openedAt.localeCompare(a.openedAt) : a.state === 'open' ? -1 : 1));
    const route = routeFor(this.options.config, '');
    const routes = Object.values(this.options.config.routes);
    return {
      sender: lease ? lease.holder : this.elector.state().holder,
      lease,
      leaseError,
      retentionMs: this.options.config.incidentRetentionMs,
      replica: {
        identity: this.identity,
        leading: this.leading,
        configured: { pagerduty: route.routingKey !== null || routes.some((r) => r.routingKey), slack: route.slackWebhookUrl !== null || routes.some((r) => r.slackWebhookUrl) },
        counters: this.counts(),
      },
      incidents,
    };
  }
}
