import 'server-only';

/**
 * Safe PromQL construction: names are validated, values escaped, so nothing a user typed (or a
 * Kubernetes label held) can change the shape of a query.
 */

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface Matcher {
  label: string;
  op: MatchOp;
  value: string;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export class PromQLError extends Error {}

export function assertMetricName(name: string): string {
  if (!NAME.test(name)) throw new PromQLError(`invalid metric name: ${JSON.stringify(name)}`);
  return name;
}

export function assertLabelName(name: string): string {
  if (!LABEL.test(name) || name.startsWith('__')) throw new PromQLError(`invalid label name: ${JSON.stringify(name)}`);
  return name;
}

/** A PromQL double-quoted string literal. */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** Escapes RE2 metacharacters, so a literal value can sit inside a regex matcher. */
export function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function selector(metric: string, matchers: Matcher[]): string {
  const parts = matchers.map((m) => `${assertLabelName(m.label)}${m.op}${quote(m.value)}`);
  return `${assertMetricName(metric)}{${parts.join(',')}}`;
}

/** Prometheus duration literal for whole seconds, e.g. 90 → "90s". */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) throw new PromQLError(`invalid duration: ${seconds}`);
  return `${Math.ceil(seconds)}s`;
}

/**
 * The rate window for a chart: at least four scrape intervals (so every window holds enough
 * samples) and at least one step (so no sample falls between windows).
 */
export function rateWindowSeconds(stepSeconds: number, scrapeIntervalSeconds: number): number {
  return Math.max(4 * scrapeIntervalSeconds, stepSeconds);
}
