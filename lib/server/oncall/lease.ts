import 'server-only';
import type { KubeConfig } from '@kubernetes/client-node';
import { z } from 'zod';
import { ConflictError, kubeRequest, NotFoundError } from '@/lib/server/kube/impersonation';

/**
 * One sender among Aviary's replicas: a coordination.k8s.io/v1 Lease, taken and renewed with the
 * API server's optimistic concurrency (every write carries the resourceVersion read), so two
 * replicas can never both believe they hold it after a write. Expiry is judged as client-go does:
 * by this process's own clock since it last saw the Lease record change, never by comparing
 * another machine's timestamp with ours. A holder that stops renewing (killed, partitioned) loses
 * the Lease after `leaseSeconds` of silence; a holder that cannot renew within that time stops
 * considering itself the sender before anyone else can take over.
 */
const Lease = z.object({
  metadata: z.object({ resourceVersion: z.string() }),
  spec: z
    .object({
      holderIdentity: z.string().nullish(),
      leaseDurationSeconds: z.number().nullish(),
      renewTime: z.string().nullish(),
      leaseTransitions: z.number().nullish(),
    })
    .nullish(),
});
type Lease = z.infer<typeof Lease>;
const LeaseRead = Lease.extend({ spec: Lease.shape.spec.unwrap().unwrap().extend({ acquireTime: z.string().nullish() }).nullish() });

export interface LeaseRecord {
  namespace: string;
  name: string;
  holder: string | null;
  acquireTime: string | null;
  renewTime: string | null;
  leaseSeconds: number | null;
  transitions: number;
}

export interface LeaseOptions {
  namespace: string;
  name: string;
  identity: string;
  leaseSeconds: number;
  now?: () => number;
  log?: (line: string) => void;
}

export interface LeaseState {
  holder: string | null;
  leading: boolean;
  transitions: number;
  /** When this process last saw the record change (ms, its own clock). */
  observedAt: number | null;
}

/** metav1.MicroTime: RFC 3339 with microseconds. */
const microTime = (ms: number) => new Date(ms).toISOString().replace('Z', '000Z');

export class LeaseElector {
  private observed: { key: string; at: number } | null = null;
  private leadingSince: number | null = null;
  private lastRenew = 0;
  private holder: string | null = null;
  private transitions = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly listeners = new Set<(leading: boolean) => void>();
  private readonly now: () => number;
  private readonly log: (line: string) => void;

  constructor(
    private readonly kc: KubeConfig,
    private readonly options: LeaseOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.log = options.log ?? console.log;
  }

  private get path(): string {
    return `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(this.options.namespace)}/leases`;
  }

  get leading(): boolean {
    // Renewal must have succeeded within the lease: otherwise another replica may already hold it.
    return this.leadingSince !== null && this.now() - this.lastRenew < this.options.leaseSeconds * 1000;
  }

  state(): LeaseState {
    return { holder: this.holder, leading: this.leading, transitions: this.transitions, observedAt: this.observed?.at ?? null };
  }

  /** The Lease as the API server has it now (for the status page): null when there is none yet. */
  async read(): Promise<LeaseRecord | null> {
    try {
      const lease = LeaseRead.parse(await kubeRequest(this.kc, null, { method: 'GET', path: `${this.path}/${encodeURIComponent(this.options.name)}` }));
      const spec = lease.spec ?? {};
      return {
        namespace: this.options.namespace,
        name: this.options.name,
        holder: spec.holderIdentity ?? null,
        acquireTime: spec.acquireTime ?? null,
        renewTime: spec.renewTime ?? null,
        leaseSeconds: spec.leaseDurationSeconds ?? null,
        transitions: spec.leaseTransitions ?? 0,
      };
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
  }

  onChange(listener: (leading: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private setLeading(leading: boolean): void {
    const was = this.leadingSince !== null;
    if (leading === was) return;
    this.leadingSince = leading ? this.now() : null;
    this.log(JSON.stringify({ level: 'info', msg: leading ? 'aviary.oncall.lease-acquired' : 'aviary.oncall.lease-lost', identity: this.options.identity, lease: `${this.options.namespace}/${this.options.name}` }));
    for (const listener of this.listeners) listener(leading);
  }

  private body(resourceVersion: string | null, transitions: number, acquireTime: string | null): Record<string, unknown> {
    const now = microTime(this.now());
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: this.options.name, namespace: this.options.namespace, ...(resourceVersion ? { resourceVersion } : {}), labels: { 'app.kubernetes.io/managed-by': 'aviary' } },
      spec: { holderIdentity: this.options.identity, leaseDurationSeconds: this.options.leaseSeconds, acquireTime: acquireTime ?? now, renewTime: now, leaseTransitions: transitions },
    };
  }

  /** One round: read the Lease, renew it if ours, take it if expired or free. Answers whether we lead. */
  async tryAcquireOrRenew(): Promise<boolean> {
    let lease: Lease | null = null;
    try {
      lease = Lease.parse(await kubeRequest(this.kc, null, { method: 'GET', path: `${this.path}/${encodeURIComponent(this.options.name)}` }));
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
    const now = this.now();
    if (!lease) {
      try {
        await kubeRequest(this.kc, null, { method: 'POST', path: this.path, body: this.body(null, 0, null) });
      } catch (error) {
        if (error instanceof ConflictError) return false;
        throw error;
      }
      this.holder = this.options.identity;
      this.lastRenew = now;
      this.observed = { key: 'created', at: now };
      this.setLeading(true);
      return true;
    }
    const spec = lease.spec ?? {};
    const key = `${spec.holderIdentity ?? ''}|${spec.renewTime ?? ''}`;
    if (this.observed?.key !== key) this.observed = { key, at: now };
    this.holder = spec.holderIdentity ?? null;
    this.transitions = spec.leaseTransitions ?? 0;
    const ours = spec.holderIdentity === this.options.identity;
    const duration = (spec.leaseDurationSeconds ?? this.options.leaseSeconds) * 1000;
    const expired = !spec.holderIdentity || now - this.observed.at >= duration;
    if (!ours && !expired) {
      this.setLeading(false);
      return false;
    }
    const transitions = ours ? this.transitions : this.transitions + 1;
    try {
      await kubeRequest(this.kc, null, {
        method: 'PUT',
        path: `${this.path}/${encodeURIComponent(this.options.name)}`,
        body: this.body(lease.metadata.resourceVersion, transitions, ours ? ((lease.spec as { acquireTime?: string } | null)?.acquireTime ?? null) : null),
      });
    } catch (error) {
      if (error instanceof ConflictError) {
        // Someone else wrote it first: they lead (or renewed); look again next round.
        this.setLeading(false);
        return false;
      }
      throw error;
    }
    this.holder = this.options.identity;
    this.transitions = transitions;
    this.lastRenew = now;
    this.observed = { key: `${this.options.identity}|written`, at: now };
    this.setLeading(true);
    return true;
  }

  /** Renews every third of the lease; errors are logged and leadership lapses by itself. */
  start(): void {
    this.stopped = false;
    const round = async () => {
      if (this.stopped) return;
      try {
        await this.tryAcquireOrRenew();
      } catch (error) {
        this.log(JSON.stringify({ level: 'warn', msg: 'aviary.oncall.lease-error', identity: this.options.identity, error: error instanceof Error ? error.message : String(error) }));
        if (!this.leading) this.setLeading(false);
      }
      if (!this.stopped) this.timer = setTimeout(round, Math.max(500, (this.options.leaseSeconds * 1000) / 3));
      this.timer?.unref?.();
    };
    void round();
  }

  /**
   * Stops renewing. `release`: give the Lease up now (a clean shutdown) so another replica takes
   * over at once; without it (a crash) the others wait out the lease.
   */
  async stop(release = false): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const wasLeading = this.leading;
    this.setLeading(false);
    if (!release || !wasLeading) return;
    try {
      const lease = Lease.parse(await kubeRequest(this.kc, null, { method: 'GET', path: `${this.path}/${encodeURIComponent(this.options.name)}` }));
      if (lease.spec?.holderIdentity !== this.options.identity) return;
      await kubeRequest(this.kc, null, {
        method: 'PUT',
        path: `${this.path}/${encodeURIComponent(this.options.name)}`,
        body: { ...this.body(lease.metadata.resourceVersion, this.transitions, null), spec: { holderIdentity: null, leaseDurationSeconds: 1, leaseTransitions: this.transitions } },
      });
    } catch {
      // Best effort: the Lease expires by itself.
    }
  }
}
