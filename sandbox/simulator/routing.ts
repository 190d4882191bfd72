/** The mesh the simulator stands in for: which pods receive how many requests per second. */

export interface PodView {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  ready: boolean;
  image: string;
  /** Rollout or Deployment name, from the owning ReplicaSet. */
  workload: string;
  templateHash: string;
}

export interface ServiceView {
  namespace: string;
  name: string;
  selector: Record<string, string>;
  /** Requests per second sent to this service from outside (annotation), if any. */
  requestsPerSecond?: number;
}

export interface WeightedDestination {
  service: string;
  weight: number;
}

/** A VirtualService (first HTTP route) or TrafficSplit, reduced to what routing needs. */
export interface TrafficRule {
  namespace: string;
  kind: 'VirtualService' | 'TrafficSplit';
  name: string;
  /** Service host names the rule applies to (short names). */
  hosts: string[];
  destinations: WeightedDestination[];
}

export interface Flow {
  namespace: string;
  /** The Kubernetes service the request went through: the `service` label. */
  service: string;
  /** The service the client addressed (the mesh routed it on to `service`). */
  via: string;
  pod: PodView;
  requestsPerSecond: number;
}

export const RPS_ANNOTATION = 'sandbox.aviary.dev/requests-per-second';

export function shortHost(host: string, namespace: string): string {
  const suffixes = [`.${namespace}.svc.cluster.local`, `.${namespace}.svc`, `.${namespace}`];
  for (const suffix of suffixes) if (host.endsWith(suffix)) return host.slice(0, -suffix.length);
  return host;
}

function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([key, value]) => labels[key] === value);
}

/** Splits every annotated service's request rate across ready pods as the mesh (or kube-proxy) would. */
export function computeFlows(services: ServiceView[], pods: PodView[], rules: TrafficRule[]): Flow[] {
  const flows: Flow[] = [];
  const serviceByKey = new Map(services.map((s) => [`${s.namespace}/${s.name}`, s]));

  const deliver = (namespace: string, via: string, serviceName: string, rps: number) => {
    const service = serviceByKey.get(`${namespace}/${serviceName}`);
    if (!service || rps <= 0) return;
    const endpoints = pods.filter((p) => p.namespace === namespace && p.ready && selects(service.selector, p.labels));
    for (const pod of endpoints) {
      flows.push({ namespace, service: serviceName, via, pod, requestsPerSecond: rps / endpoints.length });
    }
  };

  for (const source of services) {
    if (!source.requestsPerSecond || source.requestsPerSecond <= 0) continue;
    const rule = rules.find((r) => r.namespace === source.namespace && r.hosts.includes(source.name));
    if (!rule) {
      deliver(source.namespace, source.name, source.name, source.requestsPerSecond);
      continue;
    }
    const total = rule.destinations.reduce((sum, d) => sum + Math.max(0, d.weight), 0);
    if (total <= 0) continue;
    for (const destination of rule.destinations) {
      deliver(source.namespace, source.name, destination.service, (source.requestsPerSecond * Math.max(0, destination.weight)) / total);
    }
  }
  return flows;
}
