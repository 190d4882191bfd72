import type { Flow } from './routing';

export interface ErrorInjection {
  namespace: string;
  /** Matches the service a request went through or the one the client addressed. */
  service: string;
  errorRatio: number;
  /** Epoch ms: the injection ends by itself then, even if whoever set it is gone. */
  until: number;
}

/** Error injections in force (the `simulator-errors` fault): extra 5xx for one service. */
export class ErrorInjections {
  private readonly active = new Map<string, ErrorInjection>();

  set(injection: ErrorInjection): void {
    this.active.set(`${injection.namespace}/${injection.service}`, injection);
  }

  clear(namespace: string, service: string): boolean {
    return this.active.delete(`${namespace}/${service}`);
  }

  list(now = Date.now()): ErrorInjection[] {
    for (const [key, injection] of this.active) if (injection.until <= now) this.active.delete(key);
    return [...this.active.values()];
  }

  /** The injected 5xx share for a flow right now; 0 when nothing applies. */
  ratioFor(flow: Flow, now = Date.now()): number {
    let ratio = 0;
    for (const injection of this.list(now)) {
      const matches = injection.namespace === flow.namespace && (injection.service === flow.service || injection.service === flow.via);
      if (matches) ratio = Math.max(ratio, injection.errorRatio);
    }
    return ratio;
  }
}

/** Validates a POST /faults body; a message for the caller when it is wrong. */
export function parseInjection(body: unknown, now = Date.now()): ErrorInjection | string {
  if (typeof body !== 'object' || body === null) return 'expected a JSON object';
  const { namespace, service, errorRatio, durationMs } = body as Record<string, unknown>;
  if (typeof namespace !== 'string' || namespace === '') return 'namespace must be a non-empty string';
  if (typeof service !== 'string' || service === '') return 'service must be a non-empty string';
  if (typeof errorRatio !== 'number' || !(errorRatio >= 0 && errorRatio <= 1)) return 'errorRatio must be a number from 0 to 1';
  if (typeof durationMs !== 'number' || !(durationMs > 0)) return 'durationMs must be a positive number';
  return { namespace, service, errorRatio, until: now + durationMs };
}
