/**
 * How a simulated pod answers requests, decided by its image tag as the sandbox documents:
 * `*-errors` ≈ 12 % 5xx, `*-slow` p99 ≈ 900 ms, anything else healthy.
 */
export interface Behaviour {
  kind: 'healthy' | 'errors' | 'slow';
  /** Share of requests answered with a 5xx. */
  errorRatio: number;
  /** Latency distribution: log-normal with this median (seconds) and p99 (seconds). */
  medianSeconds: number;
  p99Seconds: number;
}

export function behaviourForImage(image: string): Behaviour {
  const tag = image.includes(':') ? image.slice(image.lastIndexOf(':') + 1) : '';
  if (tag.endsWith('-errors')) return { kind: 'errors', errorRatio: 0.12, medianSeconds: 0.045, p99Seconds: 0.12 };
  if (tag.endsWith('-slow')) return { kind: 'slow', errorRatio: 0, medianSeconds: 0.32, p99Seconds: 0.9 };
  return { kind: 'healthy', errorRatio: 0, medianSeconds: 0.045, p99Seconds: 0.12 };
}

/** Inverse of the standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
export function inverseNormal(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

const Z99 = inverseNormal(0.99);

/** The latency (seconds) at quantile u of the behaviour's distribution. */
export function latencyAt(behaviour: Behaviour, u: number): number {
  const sigma = Math.log(behaviour.p99Seconds / behaviour.medianSeconds) / Z99;
  return behaviour.medianSeconds * Math.exp(sigma * inverseNormal(u));
}

const GOLDEN = 0.6180339887498949;

/**
 * Deterministic request generator for one (pod, service) pair: fractional carries make the long-run
 * rate and error share exact, and a low-discrepancy sequence spreads latencies over the distribution
 * without randomness — so tests see stable numbers.
 */
export class RequestStream {
  private requestCarry = 0;
  private errorCarry = 0;
  private sequence = 0;

  next(requestsPerSecond: number, seconds: number, behaviour: Behaviour): { status: number; seconds: number }[] {
    const wanted = requestsPerSecond * seconds + this.requestCarry;
    const count = Math.floor(wanted);
    this.requestCarry = wanted - count;
    const out: { status: number; seconds: number }[] = [];
    for (let i = 0; i < count; i++) {
      this.sequence += 1;
      this.errorCarry += behaviour.errorRatio;
      let status = 200;
      if (this.errorCarry >= 1) {
        this.errorCarry -= 1;
        status = this.sequence % 3 === 0 ? 503 : 500;
      }
      const u = (this.sequence * GOLDEN) % 1;
      out.push({ status, seconds: latencyAt(behaviour, Math.min(Math.max(u, 1e-6), 1 - 1e-6)) });
    }
    return out;
  }
}
