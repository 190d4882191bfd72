import 'server-only';
import type { KubeConfig } from '@kubernetes/client-node';
import { kubeGet } from '@/lib/server/kube/http';

/**
 * Whether the API server still answers, independent of the watches. A watch on a half-open
 * connection (the API server frozen, a NAT entry dropped) says nothing until its idle watchdog
 * fires, up to a minute later; a screen that must be honest within 10 s cannot wait for that. One
 * cheap `/readyz` every `intervalMs` per cluster and replica — never per viewer — and the cluster
 * counts as unreachable once no probe has succeeded for `staleAfterMs`.
 */
export interface LivenessOptions {
  intervalMs: number;
  /** A probe that has not answered by then has failed. */
  timeoutMs: number;
  /** No successful probe for this long: the API server is not answering. */
  staleAfterMs: number;
  now?: () => number;
}

export const LIVENESS_DEFAULTS: LivenessOptions = { intervalMs: 2000, timeoutMs: 5000, staleAfterMs: 7000 };

/** Resolves when the API server answered in time, rejects with why it did not. */
export type Probe = (signal: AbortSignal) => Promise<void>;

export function readyzProbe(kc: KubeConfig, timeoutMs: number): Probe {
  return async (signal) => {
    const res = await kubeGet(kc, '/readyz', { signal, headersTimeoutMs: timeoutMs });
    res.resume();
    if (res.statusCode !== 200) throw new Error(`/readyz answered ${res.statusCode}`);
  };
}

export class Liveness {
  private lastSuccess: number;
  private inFlight = false;
  private failing: string | null = null;
  private timer: NodeJS.Timeout | undefined;
  private readonly abort = new AbortController();
  private readonly now: () => number;

  constructor(
    private readonly probe: Probe,
    private readonly onChange: (error: string | null) => void,
    private readonly options: LivenessOptions = LIVENESS_DEFAULTS,
  ) {
    this.now = options.now ?? Date.now;
    this.lastSuccess = this.now();
  }

  /** Why the API server counts as not answering, or null while it answers. */
  get error(): string | null {
    return this.failing;
  }

  start(): void {
    this.lastSuccess = this.now();
    this.timer = setInterval(() => this.tick(), Math.min(this.options.intervalMs, 1000));
    this.timer.unref();
    void this.probeOnce();
  }

  stop(): void {
    clearInterval(this.timer);
    this.abort.abort();
  }

  private lastProbeAt = 0;

  /** Runs each second: starts a probe when one is due, and judges how long the last success is ago. */
  tick(): void {
    const now = this.now();
    if (!this.inFlight && now - this.lastProbeAt >= this.options.intervalMs) void this.probeOnce();
    const silentMs = now - this.lastSuccess;
    if (silentMs >= this.options.staleAfterMs && !this.failing) {
      this.set(`the API server has not answered for ${Math.round(silentMs / 1000)} s`);
    }
  }

  async probeOnce(): Promise<void> {
    if (this.inFlight) return;
    this.inFlight = true;
    this.lastProbeAt = this.now();
    const controller = new AbortController();
    const stop = () => controller.abort();
    this.abort.signal.addEventListener('abort', stop, { once: true });
    const timeout = setTimeout(stop, this.options.timeoutMs);
    try {
      await this.probe(controller.signal);
      this.lastSuccess = this.now();
      if (this.failing) this.set(null);
    } catch {
      // Judged by tick(): one slow answer on a busy machine is not an outage.
    } finally {
      clearTimeout(timeout);
      this.abort.signal.removeEventListener('abort', stop);
      this.inFlight = false;
    }
  }

  private set(error: string | null): void {
    this.failing = error;
    this.onChange(error);
  }
}
