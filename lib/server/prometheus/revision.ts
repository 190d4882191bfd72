import 'server-only';
import type { MetricsWindow } from '@/lib/contracts/metrics';
import type { RevisionSummary, WorkloadSummary } from '@/lib/contracts/workload';
import type { AnalysisRunObject } from '@/lib/rollouts/objects';

const HASH_LABEL = 'rollouts-pod-template-hash';
const WINDOW_SECONDS: Record<Exclude<MetricsWindow, 'rollout'>, number> = { '15m': 900, '1h': 3600, '6h': 21600 };

export function nextRevision(w: WorkloadSummary): RevisionSummary | undefined {
  return w.revisions.find((r) => r.roles.includes('canary') || r.roles.includes('preview'));
}

export function currentRevision(w: WorkloadSummary): RevisionSummary | undefined {
  return w.revisions.find((r) => r.roles.includes('stable') || r.roles.includes('active'));
}

/**
 * The revision "this rollout" is about: the canary (or preview) being released, else — when
 * nothing is in flight — the revision that was released last (stable or active).
 */
export function releaseRevision(w: WorkloadSummary): RevisionSummary | undefined {
  return nextRevision(w) ?? currentRevision(w);
}

/** The AnalysisRuns of the released revision only: runs of earlier revisions judged other code. */
export function releaseRuns(w: WorkloadSummary, runs: AnalysisRunObject[]): AnalysisRunObject[] {
  const hash = releaseRevision(w)?.podTemplateHash;
  if (!hash) return [];
  return runs
    .filter((r) => r.metadata.namespace === w.namespace && (r.metadata.ownerReferences ?? []).some((o) => o.kind === 'Rollout' && o.name === w.name))
    .filter((r) => r.metadata.labels?.[HASH_LABEL] === hash)
    .sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''));
}

/**
 * Start of the chart window. "This rollout" starts a minute before the released revision's
 * ReplicaSet was created (or its first AnalysisRun started), at least 5 minutes and at most a day ago.
 */
export function windowStart(w: WorkloadSummary, runs: AnalysisRunObject[], window: MetricsWindow, now: number): number {
  if (window !== 'rollout') return now - WINDOW_SECONDS[window];
  const hash = releaseRevision(w)?.podTemplateHash;
  const created = hash
    ? w.events.filter((e) => e.reason === 'NewReplicaSetCreated' && e.message.includes(`${w.name}-${hash} `)).map((e) => Date.parse(e.lastSeen ?? ''))
    : [];
  const started = releaseRuns(w, runs).map((r) => Date.parse(r.status?.startedAt ?? r.metadata.creationTimestamp ?? ''));
  const times = [...created, ...started].filter(Number.isFinite);
  const since = times.length ? Math.min(...times) / 1000 - 60 : now - 3600;
  return Math.max(now - 86400, Math.min(since, now - 300));
}
