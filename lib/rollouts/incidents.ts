/**
 * On-call incidents, decided from a derived workload alone (pure: no clock, no network).
 *
 * A release needs a person when its Rollout turns Degraded, is aborted, or an analysis of the
 * release fails; it stops needing one when the workload is Healthy again. One release is one
 * incident: the dedup key names the cluster, namespace, workload and the revision being released,
 * so a second bad release of the same Rollout is a new page while the same one never pages twice.
 * The PagerDuty Events API v2 and Slack bodies follow seed 002's webhook (summary, severity,
 * source, component, group, class, custom_details, links), with Aviary's page as the link.
 */
import type { WorkloadSummary } from '@/lib/contracts/workload';

export type IncidentCause = 'degraded' | 'aborted' | 'analysis-failed';
export type IncidentSeverity = 'critical' | 'error' | 'warning' | 'info';

export interface Incident {
  /** PagerDuty's dedup_key: stable for one release of one workload. */
  dedupKey: string;
  workloadId: string;
  cluster: string;
  kind: WorkloadSummary['kind'];
  namespace: string;
  name: string;
  /** The release in trouble: the newest revision's number, or its pod-template hash when unnumbered. */
  revision: string;
  cause: IncidentCause;
  severity: IncidentSeverity;
  summary: string;
  /** The diagnosis in Aviary's words, and the failed analysis metrics, for custom_details. */
  headline: string | null;
  failedMetrics: string[];
  images: string[];
  strategy: WorkloadSummary['strategy'];
  step: WorkloadSummary['step'];
  /** Aviary's phase and the controller's message when the incident was seen (seed 002's custom_details.phase / message); null when only the record is left. */
  phase: WorkloadSummary['phase'] | null;
  message: string | null;
}

/** The release a workload is rolling out (or rolled back from): its newest revision. */
export function releaseOf(w: Pick<WorkloadSummary, 'revisions'>): { revision: string; podTemplateHash: string | null } {
  let best: WorkloadSummary['revisions'][number] | null = null;
  for (const r of w.revisions) {
    if (!best || (r.revision ?? -1) > (best.revision ?? -1)) best = r;
  }
  if (!best) return { revision: 'unknown', podTemplateHash: null };
  return { revision: best.revision !== null ? String(best.revision) : best.podTemplateHash, podTemplateHash: best.podTemplateHash };
}

export function dedupKeyOf(w: Pick<WorkloadSummary, 'cluster' | 'namespace' | 'name' | 'kind'>, revision: string): string {
  return `aviary/${w.cluster}/${w.namespace}/${w.kind === 'Rollout' ? 'rollout' : 'deployment'}/${w.name}/${revision}`;
}

const FAILED_ANALYSIS = new Set(['Failed', 'Error']);

/** The incident this workload is in now, or null when it needs nobody. */
export function incidentOf(w: WorkloadSummary): Incident | null {
  if (w.derivationError !== null && w.phase === 'Healthy') return null;
  const release = releaseOf(w);
  const failedRuns = w.analysisRuns.filter(
    (a) => FAILED_ANALYSIS.has(a.phase) && (release.podTemplateHash === null || a.podTemplateHash === null || a.podTemplateHash === release.podTemplateHash),
  );
  const failedMetrics = [...new Set(failedRuns.flatMap((a) => a.metrics.filter((m) => FAILED_ANALYSIS.has(m.phase) && !m.dryRun).map((m) => m.name)))];
  let cause: IncidentCause | null = null;
  if (failedRuns.length > 0 && w.phase !== 'Healthy') cause = 'analysis-failed';
  else if (w.phase === 'Aborted') cause = 'aborted';
  else if (w.phase === 'Degraded') cause = 'degraded';
  if (cause === null) return null;
  const where = `${w.namespace}/${w.name}`;
  const what: Record<IncidentCause, string> = {
    'analysis-failed': `analysis failed${failedMetrics.length ? ` (${failedMetrics.join(', ')})` : ''}`,
    aborted: 'release aborted',
    degraded: 'degraded',
  };
  const headline = w.diagnosis?.headline ?? w.message ?? null;
  const summary = `${w.kind} ${where} revision ${release.revision}: ${what[cause]}${headline ? ` — ${headline}` : ''}`;
  return {
    dedupKey: dedupKeyOf(w, release.revision),
    workloadId: w.id,
    cluster: w.cluster,
    kind: w.kind,
    namespace: w.namespace,
    name: w.name,
    revision: release.revision,
    cause,
    severity: cause === 'aborted' ? 'error' : 'critical',
    // PagerDuty's limit for payload.summary is 1024 characters.
    summary: summary.length > 1024 ? `${summary.slice(0, 1021)}...` : summary,
    headline,
    failedMetrics,
    images: w.images,
    strategy: w.strategy,
    step: w.step,
    phase: w.phase,
    message: w.message ?? null,
  };
}

/** An incident that is open ends when its workload is Healthy again (any revision) or is gone. */
export function shouldResolve(workload: Pick<WorkloadSummary, 'phase'> | undefined): boolean {
  return workload === undefined || workload.phase === 'Healthy';
}

export interface PagerDutyLink {
  href: string;
  text: string;
}

export interface PagerDutyTrigger {
  routing_key: string;
  event_action: 'trigger';
  dedup_key: string;
  payload: {
    summary: string;
    severity: IncidentSeverity;
    source: string;
    component: string;
    group: string;
    class: string;
    custom_details: Record<string, unknown>;
  };
  links: PagerDutyLink[];
  client: string;
  client_url?: string;
}

export interface PagerDutyResolve {
  routing_key: string;
  event_action: 'resolve';
  dedup_key: string;
}

export type PagerDutyEvent = PagerDutyTrigger | PagerDutyResolve;

/** Aviary's page of a workload, when Aviary knows its public URL. */
export function workloadUrl(publicUrl: string | null, incident: Pick<Incident, 'cluster' | 'kind' | 'namespace' | 'name'>): string | null {
  if (!publicUrl) return null;
  const section = incident.kind === 'Rollout' ? 'rollouts' : 'deployments';
  const path = [section, incident.cluster, incident.namespace, incident.name].map(encodeURIComponent).join('/');
  return `${publicUrl.replace(/\/+$/, '')}/${path}`;
}

/**
 * The Events API v2 trigger, field by field against seed 002's webhook:
 *   summary        seed "Canary Rollout Failed: <name> — <message>"; here what failed, where and which
 *                  revision, then Aviary's diagnosis (≤ 1024 characters, PagerDuty's limit).
 *   severity       seed always critical; here critical for Degraded / failed analysis, error for an abort
 *                  (a person or Argo already stopped the release).
 *   source         seed "argo-rollouts"; here <cluster>/<namespace>, the affected place, as PagerDuty asks.
 *   component      the workload's name, as the seed.          group  progressive-delivery, as the seed.
 *   class          seed "deployment"; here canary-deployment / blue-green-deployment / deployment, so
 *                  PagerDuty can route by kind of release (the seed's own advice: one service per kind).
 *   custom_details the seed's rollout, phase, message and a dashboard link, with Aviary's cluster,
 *                  namespace, revision, cause, diagnosis, failed metrics, images, step and first_seen
 *                  (the seed's timestamp).
 *   links          Aviary's page of the workload (the seed links its dashboard); needs AVIARY_PUBLIC_URL.
 *   dedup_key      per cluster/namespace/workload/revision (the seed's rollout-<name>-<phase> would page
 *                  a second bad release of one Rollout into the first's incident, and its resolve key
 *                  differed from a "Failed" trigger's); the resolve carries the same key.
 */
export function pagerDutyTrigger(incident: Incident, routingKey: string, publicUrl: string | null, firstSeen: string): PagerDutyTrigger {
  const url = workloadUrl(publicUrl, incident);
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: incident.dedupKey,
    payload: {
      summary: incident.summary,
      severity: incident.severity,
      source: `${incident.cluster}/${incident.namespace}`,
      component: incident.name,
      group: 'progressive-delivery',
      class: incident.strategy === 'blueGreen' ? 'blue-green-deployment' : incident.strategy === 'canary' ? 'canary-deployment' : 'deployment',
      custom_details: {
        cluster: incident.cluster,
        namespace: incident.namespace,
        kind: incident.kind,
        rollout: incident.name,
        phase: incident.phase,
        message: incident.message,
        dashboard: url,
        revision: incident.revision,
        cause: incident.cause,
        diagnosis: incident.headline,
        failed_metrics: incident.failedMetrics,
        images: incident.images,
        step: incident.step.current === null ? null : `${incident.step.current}/${incident.step.total}`,
        first_seen: firstSeen,
      },
    },
    links: url ? [{ href: url, text: 'Open in Aviary' }] : [],
    client: 'Aviary',
    ...(url ? { client_url: url } : {}),
  };
}

export function pagerDutyResolve(dedupKey: string, routingKey: string): PagerDutyResolve {
  return { routing_key: routingKey, event_action: 'resolve', dedup_key: dedupKey };
}

const CAUSE_TITLE: Record<IncidentCause, string> = {
  'analysis-failed': 'Canary analysis failed',
  aborted: 'Release aborted',
  degraded: 'Rollout degraded',
};

/** Title and text for a Slack-compatible message (lib/server/notify turns it into the webhook body). */
export function slackTrigger(incident: Incident): { title: string; text: string } {
  const lines = [
    `*Rollout:* ${incident.namespace}/${incident.name} (${incident.cluster}), revision ${incident.revision}`,
    incident.headline ? `*Diagnosis:* ${incident.headline}` : null,
    incident.failedMetrics.length ? `*Failed metrics:* ${incident.failedMetrics.join(', ')}` : null,
    incident.step.current !== null ? `*Step:* ${incident.step.current}/${incident.step.total}` : null,
  ].filter((l): l is string => l !== null);
  return { title: `${CAUSE_TITLE[incident.cause]}: ${incident.namespace}/${incident.name}`, text: lines.join('\n') };
}

export function slackResolve(incident: Pick<Incident, 'namespace' | 'name' | 'cluster' | 'revision'>): { title: string; text: string } {
  return {
    title: `Resolved: ${incident.namespace}/${incident.name}`,
    text: `${incident.namespace}/${incident.name} (${incident.cluster}) is Healthy again; the page for revision ${incident.revision} is resolved.`,
  };
}
