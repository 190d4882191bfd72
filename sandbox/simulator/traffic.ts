import { behaviourForImage, RequestStream } from './behaviour';
import { MetricStore } from './exposition';
import type { Flow } from './routing';

const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 1.5, 2.5, 5, 10];
const MS_BUCKETS = SECONDS_BUCKETS.map((s) => s * 1000);

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

  /** Advances simulated time by `seconds` for every flow; pods absent from `flows` lose their series. */
  tick(flows: Flow[], seconds: number, livePods: Set<string>): void {
    for (const flow of flows) {
      const { pod } = flow;
      const streamKey = `${flow.namespace}/${flow.service}/${pod.name}`;
      let stream = this.streams.get(streamKey);
      if (!stream) {
        stream = new RequestStream();
        this.streams.set(streamKey, stream);
      }
      const behaviour = behaviourForImage(pod.image);
      const base = { namespace: flow.namespace, pod: pod.name };
      for (const request of stream.next(flow.requestsPerSecond, seconds, behaviour)) {
        const status = String(request.status);
        const generic = { ...base, service: flow.service, rollouts_pod_template_hash: pod.templateHash };
        this.store.inc('http_requests_total', { ...generic, status });
        this.store.observe('http_request_duration_seconds', generic, request.seconds);
        const istio = {
          ...base,
          reporter: 'destination',
          destination_service_name: flow.service,
          destination_service_namespace: flow.namespace,
          destination_workload: pod.workload,
          destination_workload_namespace: flow.namespace,
          destination_canonical_revision: pod.templateHash,
          response_code: status,
        };
        this.store.inc('istio_requests_total', istio);
        this.store.observe('istio_request_duration_milliseconds', istio, request.seconds * 1000);
        const linkerd = {
          ...base,
          direction: 'inbound',
          deployment: pod.workload,
          pod_template_hash: pod.templateHash,
          status_code: status,
        };
        this.store.inc('response_total', { ...linkerd, classification: request.status >= 500 ? 'failure' : 'success' });
        this.store.observe('response_latency_ms', linkerd, request.seconds * 1000);
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
