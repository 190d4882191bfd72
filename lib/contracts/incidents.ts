/**
 * On-call incidents as Aviary stores them (the aviary.dev/v1alpha1 Incident, one per release in
 * trouble, in the workload's namespace) and shows them (status page, banner, wall).
 */
import { z } from 'zod';

export const DeliveryState = z.enum(['pending', 'delivered', 'failed', 'skipped']);
export type DeliveryState = z.infer<typeof DeliveryState>;

export const DeliveryRecord = z.object({
  /** pagerduty | slack */
  channel: z.enum(['pagerduty', 'slack']),
  action: z.enum(['trigger', 'resolve']),
  state: DeliveryState,
  attempts: z.number().int().min(0),
  /** Rounds of retries so far (each round is several attempts with backoff). */
  rounds: z.number().int().min(0),
  lastError: z.string().nullable(),
  /** Who sent it (the Lease holder at the time). */
  sender: z.string().nullable(),
  at: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
});
export type DeliveryRecord = z.infer<typeof DeliveryRecord>;

export const RunbookOutcome = z.object({
  hook: z.string(),
  state: z.enum(['done', 'failed', 'not-configured']),
  message: z.string(),
  at: z.string(),
});
export type RunbookOutcome = z.infer<typeof RunbookOutcome>;

export const IncidentSpec = z.object({
  dedupKey: z.string().min(1),
  workloadId: z.string().min(1),
  cluster: z.string(),
  kind: z.enum(['Rollout', 'Deployment']),
  name: z.string(),
  revision: z.string(),
  cause: z.enum(['degraded', 'aborted', 'analysis-failed']),
  severity: z.enum(['critical', 'error', 'warning', 'info']),
  summary: z.string(),
  openedAt: z.string(),
  state: z.enum(['open', 'resolved']),
  resolvedAt: z.string().nullable(),
  deliveries: z.array(DeliveryRecord),
  runbook: RunbookOutcome.nullable(),
});
export type IncidentSpec = z.infer<typeof IncidentSpec>;

/** An Incident as the status page and the banner see it. */
export const IncidentView = IncidentSpec.extend({ namespace: z.string(), objectName: z.string() });
export type IncidentView = z.infer<typeof IncidentView>;

export const OnCallStatus = z.object({
  /** The replica sending now (the Lease holder), null when none holds it. */
  sender: z.string().nullable(),
  /** This replica: whether it sends, and what it has counted since it started. */
  replica: z.object({
    identity: z.string(),
    leading: z.boolean(),
    configured: z.object({ pagerduty: z.boolean(), slack: z.boolean() }),
    counters: z.record(z.string(), z.number()),
  }),
  incidents: z.array(IncidentView),
});
export type OnCallStatus = z.infer<typeof OnCallStatus>;
