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
  /** PagerDuty: the fingerprint of the routing key a delivered trigger used (the resolve goes to the same key). */
  routingKeyId: z.string().nullable().optional(),
});
export type DeliveryRecord = z.infer<typeof DeliveryRecord>;

/** The request a runbook hook sent, without secrets: no Authorization header, no URL path or query (a webhook's path may be its secret). */
export const RunbookRequest = z.object({
  method: z.string(),
  host: z.string(),
  /** launchdarkly-flag-off: the flag, the semantic-patch instruction and the environment. */
  flag: z.string().nullable(),
  instruction: z.string().nullable(),
  environmentKey: z.string().nullable(),
});
export type RunbookRequest = z.infer<typeof RunbookRequest>;

export const RunbookOutcome = z.object({
  hook: z.string(),
  state: z.enum(['done', 'failed', 'not-configured']),
  message: z.string(),
  at: z.string(),
  /** The fields below are absent on Incidents written before runbook outcomes were audited. */
  kind: z.enum(['launchdarkly-flag-off', 'webhook']).nullable().optional(),
  request: RunbookRequest.nullable().optional(),
  /** The endpoint's last HTTP status, null when none answered (or nothing was sent). */
  status: z.number().int().nullable().optional(),
  attempts: z.number().int().min(0).optional(),
  /** Name of the AuditRecord written for this outcome; null while it is still owed (the sender writes it once). */
  auditRecord: z.string().nullable().optional(),
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
  /** The coordination.k8s.io Lease as the API server has it; null when none exists yet, or it could not be read (leaseError says why). */
  lease: z
    .object({
      namespace: z.string(),
      name: z.string(),
      holder: z.string().nullable(),
      acquireTime: z.string().nullable(),
      renewTime: z.string().nullable(),
      leaseSeconds: z.number().nullable(),
      transitions: z.number(),
    })
    .nullable(),
  leaseError: z.string().nullable(),
  /** How long resolved incidents are kept (AVIARY_INCIDENT_RETENTION), in ms. */
  retentionMs: z.number(),
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
