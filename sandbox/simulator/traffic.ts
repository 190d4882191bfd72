import { behaviourForImage, RequestStream } from './behaviour';
import { MetricStore } from './exposition';
import type { Flow } from './routing';

const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 1.5, 2.5, 5, 10];
const MS_BUCKETS = SECONDS_BUCKETS.map((s) => s * 1000);

interface FlowLabels {
  generic: Record<string, string>;
  istio: Record<string, string>;
  linkerd: Record<string, string>;
}

function labelsFor(flow: Flow): FlowLabels {
  const { pod } = flow;
  const base = { namespace: flow.namespace, pod: pod.name };
  return {
    generic: { ...base, service: flow.service, rollouts_pod_template_hash: pod.templateHash },
    istio: {
      ...base,
      reporter: 'destination',
      destination_service_name: flow.service,
      destination_service_namespace: flow.namespace,
      destination_workload: pod.workload,
      destination_workload_namespace: flow.namespace,
      destination_canonical_revision: pod.templateHash,
    },
    linkerd: { ...base, direction: 'inbound', deployment: pod.workload, pod_template_hash: pod.templateHash },
  };
}

/**
 * Turns flows into per-pod series in three dialects: the seed's generic `http_*` metrics,
 * Istio's `istio_*` and Linkerd's `response_*`, so every metric profile has data.
 */
export class TrafficRecorder {
  readonly store = new MetricStore();
  private readonly streams = new Map<string, RequestStream>();
  private readonly knownPods = new Set<string>();

  constructor() {
    this.store.counter('http_requests_total', 'Requests served, by Kubernetes service and pod.');
    this.store.histogram('http_request_duration_seconds', 'Request latency in seconds.', SECONDS_BUCKETS);
    this.store.counter('istio_requests_total', 'Istio-style request count (reporter=destination).');
    this.store.histogram('istio_request_duration_milliseconds', 'Istio-style request latency in milliseconds.', MS_BUCKETS);
    this.store.counter('response_total', 'Linkerd-style inbound response count.');
    this.store.histogram('response_latency_ms', 'Linkerd-style inbound response latency in milliseconds.', MS_BUCKETS);
  }

  private count(labels: FlowLabels, statusCode: number, by: number): void {
    const status = String(statusCode);
    this.store.inc('http_requests_total', { ...labels.generic, status }, by);
    this.store.inc('istio_requests_total', { ...labels.istio, response_code: status }, by);
    const classification = statusCode >= 500 ? 'failure' : 'success';
    this.store.inc('response_total', { ...labels.linkerd, status_code: status, classification }, by);
  }

  /**
   * Advances simulated time by `seconds` for every flow; pods absent from `flows` lose their series.
   * `injectedErrorRatio` raises a flow's 5xx share above what its image gives (a fault in force).
   */
  tick(flows: Flow[], seconds: number, livePods: Set<string>, injectedErrorRatio: (flow: Flow) => number = () => 0): void {
    for (const flow of flows) {
      const { pod } = flow;
      const streamKey = `${flow.namespace}/${flow.service}/${pod.name}`;
      let stream = this.streams.get(streamKey);
      const isNew = !stream;
      if (!stream) {
        stream = new RequestStream();
        this.streams.set(streamKey, stream);
      }
      const ownBehaviour = behaviourForImage(pod.image);
      const behaviour = { ...ownBehaviour, errorRatio: Math.max(ownBehaviour.errorRatio, injectedErrorRatio(flow)) };
      const labels = labelsFor(flow);
      if (isNew) {
        // Like instrumentation that pre-registers its status codes: the 5xx series exist at 0 from
        // the start, so the seed's error-rate query (5xx / all) reads 0 for a healthy version
        // instead of "no data", which Argo would count as a measurement error.
        for (const status of [200, 500, 503]) this.count(labels, status, 0);
      }
      for (const request of stream.next(flow.requestsPerSecond, seconds, behaviour)) {
        this.count(labels, request.status, 1);
        const status = String(request.status);
        this.store.observe('http_request_duration_seconds', labels.generic, request.seconds);
        this.store.observe('istio_request_duration_milliseconds', { ...labels.istio, response_code: status }, request.seconds * 1000);
        this.store.observe('response_latency_ms', { ...labels.linkerd, status_code: status }, request.seconds * 1000);
      }
      this.knownPods.add(`${flow.namespace}/${pod.name}`);
    }
    for (const key of this.knownPods) {
      if (livePods.has(key)) continue;
      const [namespace, pod] = key.split('/');
      this.store.drop({ namespace, pod });
      for (const streamKey of this.streams.keys()) {
        if (streamKey.startsWith(`${namespace}/`) && streamKey.endsWith(`/${pod}`)) this.streams.delete(streamKey);
      }
      this.knownPods.delete(key);
    }
  }
}
