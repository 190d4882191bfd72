import type { DiagnosisReason, PodSummary, RevisionSummary } from '@/lib/contracts/workload';
import type { EventObject } from './objects';

const SEVERE = new Set(['CrashLoopBackOff', 'OOMKilled', 'ImagePullBackOff', 'ErrImagePull', 'Failed']);

function evidenceFor(pods: PodSummary[]): string[] {
  return pods.slice(0, 10).map((pod) => `${pod.name}${pod.message ? `: ${pod.message}` : ''}${pod.restarts > 0 ? ` (${pod.restarts} restarts)` : ''}`);
}

/** The scheduler's latest word on a pod, e.g. "0/3 nodes are available: 3 Too many pods." */
function schedulingMessage(pods: PodSummary[], events: EventObject[]): string | null {
  const names = new Set(pods.map((p) => p.name));
  const latest = events
    .filter((e) => e.reason === 'FailedScheduling' && e.involvedObject.kind === 'Pod' && names.has(e.involvedObject.name))
    .sort((a, b) => (b.lastTimestamp ?? b.eventTime ?? '').localeCompare(a.lastTimestamp ?? a.eventTime ?? ''))[0];
  return latest?.message ?? pods.find((p) => p.message)?.message ?? null;
}

/** Pods that are not ready, grouped by why, with scheduling and init-container failures named as such. */
export function podReasons(revisions: RevisionSummary[], events: EventObject[]): DiagnosisReason[] {
  const groups = new Map<string, PodSummary[]>();
  for (const revision of revisions) {
    for (const pod of revision.pods) {
      if (pod.state === 'ready' || pod.state === 'succeeded' || pod.state === 'terminating') continue;
      const key = pod.reason ?? pod.state;
      groups.set(key, [...(groups.get(key) ?? []), pod]);
    }
  }
  const plural = (n: number) => `${n} pod${n === 1 ? '' : 's'}`;
  return [...groups.entries()].map(([why, pods]): DiagnosisReason => {
    if (why === 'Unschedulable') {
      const message = schedulingMessage(pods, events);
      return {
        code: 'unschedulable',
        severity: 'critical',
        summary: `${plural(pods.length)} cannot be scheduled${message ? `: ${message}` : ''}`,
        time: null,
        evidence: evidenceFor(pods),
      };
    }
    if (why.startsWith('Init:')) {
      return { code: 'init-container', severity: 'critical', summary: `${plural(pods.length)} stuck in an init container: ${why}`, time: null, evidence: evidenceFor(pods) };
    }
    return {
      code: 'pods-not-ready',
      severity: SEVERE.has(why) ? 'critical' : 'warning',
      summary: `${plural(pods.length)} not ready: ${why}`,
      time: null,
      evidence: evidenceFor(pods),
    };
  });
}
