import 'server-only';
import { escapeRegex, quote } from './promql';

/**
 * Metric profiles for common stacks: which series carry requests and latency, and how canary and
 * stable are told apart — by pod-template hash or by the Kubernetes service the request went to.
 */
export interface Profile {
  name: 'generic' | 'istio' | 'linkerd' | 'nginx';
  requests: string;
  /** Fixed matchers every selector carries (e.g. Istio's reporter). */
  fixed: string[];
  namespaceLabel: string;
  split: { by: 'hash' | 'service'; label: string };
  errors: string;
  success: string;
  latencyBuckets: string;
  /** Multiply the bucket unit by this to get milliseconds. */
  latencyToMs: number;
}

export const PROFILES: Record<Profile['name'], Profile> = {
  generic: {
    name: 'generic',
    requests: 'http_requests_total',
    fixed: [],
    namespaceLabel: 'namespace',
    split: { by: 'hash', label: 'rollouts_pod_template_hash' },
    errors: 'status=~"5.."',
    success: 'status=~"2.."',
    latencyBuckets: 'http_request_duration_seconds_bucket',
    latencyToMs: 1000,
  },
  istio: {
    name: 'istio',
    requests: 'istio_requests_total',
    fixed: ['reporter="destination"'],
    namespaceLabel: 'destination_service_namespace',
    split: { by: 'service', label: 'destination_service_name' },
    errors: 'response_code=~"5.."',
    success: 'response_code=~"2.."',
    latencyBuckets: 'istio_request_duration_milliseconds_bucket',
    latencyToMs: 1,
  },
  linkerd: {
    name: 'linkerd',
    requests: 'response_total',
    fixed: ['direction="inbound"'],
    namespaceLabel: 'namespace',
    split: { by: 'hash', label: 'pod_template_hash' },
    errors: 'classification="failure"',
    success: 'classification="success"',
    latencyBuckets: 'response_latency_ms_bucket',
    latencyToMs: 1,
  },
  nginx: {
    name: 'nginx',
    requests: 'nginx_ingress_controller_requests',
    fixed: [],
    namespaceLabel: 'exported_namespace',
    split: { by: 'service', label: 'exported_service' },
    errors: 'status=~"5.."',
    success: 'status=~"2.."',
    latencyBuckets: 'nginx_ingress_controller_request_duration_seconds_bucket',
    latencyToMs: 1000,
  },
};

export function profileByName(name: string | null | undefined, fallback: Profile['name'] = 'generic'): Profile {
  return PROFILES[(name ?? '') as Profile['name']] ?? PROFILES[fallback];
}

export interface SplitTargets {
  canary: string | null;
  stable: string | null;
}

export interface ProfileQueries {
  errorRate: string;
  successRate: string;
  latencyP99: string;
  requestRate: string;
  canaryShare: string | null;
  splitLabel: string;
}

/** Canary-vs-stable PromQL for one profile; every value quoted, every name fixed by the profile. */
export function profileQueries(profile: Profile, namespace: string, targets: SplitTargets, rateWindow: string): ProfileQueries | null {
  const values = [targets.canary, targets.stable].filter((v): v is string => Boolean(v));
  if (values.length === 0) return null;
  const label = profile.split.label;
  const base = [...profile.fixed, `${profile.namespaceLabel}=${quote(namespace)}`, `${label}=~${quote(values.map(escapeRegex).join('|'))}`];
  const sel = (extra: string[] = []) => `{${[...base, ...extra].join(',')}}`;
  const by = `sum by (${label})`;
  const all = `${by} (rate(${profile.requests}${sel()}[${rateWindow}]))`;
  const canaryOnly = targets.canary
    ? `100 * sum(rate(${profile.requests}{${[...profile.fixed, `${profile.namespaceLabel}=${quote(namespace)}`, `${label}=${quote(targets.canary)}`].join(',')}}[${rateWindow}])) / sum(rate(${profile.requests}${sel()}[${rateWindow}]))`
    : null;
  return {
    errorRate: `${by} (rate(${profile.requests}${sel([profile.errors])}[${rateWindow}])) / ${all}`,
    successRate: `${by} (rate(${profile.requests}${sel([profile.success])}[${rateWindow}])) / ${all}`,
    latencyP99: `histogram_quantile(0.99, sum by (${label}, le) (rate(${profile.latencyBuckets}${sel()}[${rateWindow}])))${profile.latencyToMs === 1 ? '' : ` * ${profile.latencyToMs}`}`,
    requestRate: all,
    canaryShare: canaryOnly,
    splitLabel: label,
  };
}

/**
 * Error rate of every workload the profile charts, by namespace and split label, in ONE query:
 * what the overview sparklines read, whatever the number of cards or viewers.
 */
export function errorRateByTarget(profile: Profile, rateWindow: string): string {
  const by = `sum by (${profile.namespaceLabel}, ${profile.split.label})`;
  const fixed = (extra: string[]) => `{${[...profile.fixed, ...extra].join(',')}}`;
  return `${by} (rate(${profile.requests}${fixed([profile.errors])}[${rateWindow}])) / ${by} (rate(${profile.requests}${fixed([])}[${rateWindow}]))`;
}

/**
 * p99 latency in milliseconds of every workload the profile charts, by namespace and split label,
 * in ONE query: the wall's latency sparklines, whatever the number of tiles or walls.
 */
export function latencyP99ByTarget(profile: Profile, rateWindow: string): string {
  const fixed = profile.fixed.length ? `{${profile.fixed.join(',')}}` : '';
  const ms = profile.latencyToMs === 1 ? '' : ` * ${profile.latencyToMs}`;
  return `histogram_quantile(0.99, sum by (${profile.namespaceLabel}, ${profile.split.label}, le) (rate(${profile.latencyBuckets}${fixed}[${rateWindow}])))${ms}`;
}
