/** What the /oncall page lists, from GET /api/oncall: pure, so it is unit-tested without a browser. */
import type { DeliveryRecord, IncidentView, OnCallStatus } from '@/lib/contracts/incidents';

export interface DeliveryRow {
  key: string;
  incident: IncidentView;
  delivery: DeliveryRecord;
}

export interface RunbookFailure {
  key: string;
  incident: IncidentView;
  hook: string;
  state: 'failed' | 'not-configured';
  message: string;
  at: string;
}

/** The page of a workload the incident is about. */
export function incidentHref(i: Pick<IncidentView, 'kind' | 'cluster' | 'namespace' | 'name'>): string {
  return `/${i.kind === 'Rollout' ? 'rollouts' : 'deployments'}/${[i.cluster, i.namespace, i.name].map(encodeURIComponent).join('/')}`;
}

const rowsOf = (incidents: readonly IncidentView[]): DeliveryRow[] =>
  incidents.flatMap((incident) => incident.deliveries.map((delivery, n) => ({ key: `${incident.objectName}/${n}`, incident, delivery })));

/**
 * Deliveries that did not reach their receiver: failed (retried later or given up), and those
 * skipped with a reason other than "recovered before it was delivered". Newest first.
 */
export function failedDeliveries(status: Pick<OnCallStatus, 'incidents'>): DeliveryRow[] {
  return rowsOf(status.incidents)
    .filter(({ delivery: d }) => d.state === 'failed')
    .sort((a, b) => (b.delivery.at ?? '').localeCompare(a.delivery.at ?? ''));
}

/** Runbook hooks that did not do their job. */
export function runbookFailures(status: Pick<OnCallStatus, 'incidents'>): RunbookFailure[] {
  return status.incidents.flatMap((incident) =>
    incident.runbook && incident.runbook.state !== 'done'
      ? [{ key: incident.objectName, incident, hook: incident.runbook.hook, state: incident.runbook.state, message: incident.runbook.message, at: incident.runbook.at }]
      : [],
  );
}

/** The last `limit` deliveries that were attempted (any outcome), newest first. */
export function recentDeliveries(status: Pick<OnCallStatus, 'incidents'>, limit = 20): DeliveryRow[] {
  return rowsOf(status.incidents)
    .filter(({ delivery: d }) => d.at !== null)
    .sort((a, b) => (b.delivery.at ?? '').localeCompare(a.delivery.at ?? ''))
    .slice(0, limit);
}

/** This replica's failure counters ("pagerduty.trigger.failed": 3), only the non-zero ones. */
export function failureCounters(counters: Record<string, number>): [string, number][] {
  return Object.entries(counters)
    .filter(([name, n]) => n > 0 && /(failed|dropped)$/.test(name))
    .sort(([a], [b]) => a.localeCompare(b));
}

/** Whether the Lease holder has stopped renewing (by the viewer's clock: a hint, not a verdict). */
export function leaseLapsed(lease: OnCallStatus['lease'], now: number): boolean {
  if (!lease?.holder || !lease.renewTime || lease.leaseSeconds === null) return lease !== null && !lease.holder;
  return now - Date.parse(lease.renewTime) > lease.leaseSeconds * 1000;
}

/** "7 days", "36 hours", "90 minutes", "45 seconds". */
export function retentionText(ms: number): string {
  const units: [number, string][] = [[86_400_000, 'day'], [3_600_000, 'hour'], [60_000, 'minute'], [1000, 'second']];
  for (const [size, word] of units) if (ms % size === 0) return `${ms / size} ${word}${ms / size === 1 ? '' : 's'}`;
  return `${Math.round(ms / 1000)} seconds`;
}
