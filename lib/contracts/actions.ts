/**
 * What the browser and the server exchange about identity, permissions, actions and their audit
 * history. Shared by both sides; the server validates every body with these schemas.
 */
import { z } from 'zod';

export const ActionName = z.enum(['promote', 'promote-full', 'abort', 'retry', 'pause', 'resume', 'restart', 'undo']);
export type ActionName = z.infer<typeof ActionName>;

/** POST /api/actions (JSON only, same origin, with the X-Aviary-CSRF header from /api/me). */
export const ActionRequest = z.object({
  cluster: z.string().min(1).max(253),
  kind: z.enum(['Rollout', 'Deployment']),
  namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/).max(63),
  name: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/).max(253),
  action: ActionName,
  /** The resourceVersion the user saw: a changed object answers 409 instead of acting on something else. */
  resourceVersion: z.string().min(1).max(64),
  /**
   * The workload's actionState the user saw. With it, an object whose resourceVersion moved on only
   * through changes that do not alter the decision (ready counts, timestamps) is still acted on, with
   * the fresh resourceVersion as the precondition; without it, any change is a 409.
   */
  actionState: z.string().min(1).max(1000).optional(),
  /** undo only: the revision to go back to. */
  toRevision: z.number().int().positive().optional(),
  reason: z.string().max(500).optional(),
});
export type ActionRequest = z.infer<typeof ActionRequest>;

/** 202: accepted by the API server; the new state arrives through the stream, not this response. */
export const ActionAccepted = z.object({ accepted: z.literal(true), description: z.string() });

/** GET /api/me: who is signed in, when the session ends, and the CSRF token for actions. */
export const Me = z.object({ user: z.string(), groups: z.array(z.string()), expiresAt: z.string(), csrfToken: z.string() });
export type Me = z.infer<typeof Me>;

/** GET /api/permissions?cluster&kind&namespace&name: which actions the cluster's RBAC lets this user take. */
export const Permissions = z.object({ actions: z.record(ActionName, z.boolean()) });
export type Permissions = z.infer<typeof Permissions>;

/** One audited action (accepted or refused) a person asked for, as the rollout page's history shows it. */
export const PersonAuditSummary = z.object({
  actor: z.literal('person'),
  name: z.string(),
  user: z.string(),
  groups: z.array(z.string()),
  action: ActionName,
  result: z.enum(['accepted', 'refused-rbac', 'conflict', 'invalid']),
  revision: z.number().int().nullable(),
  step: z.number().int().nullable(),
  reason: z.string().nullable(),
  description: z.string(),
  at: z.string(),
});
export type PersonAuditSummary = z.infer<typeof PersonAuditSummary>;

/** What Aviary's on-call sender did by itself on an abort: a runbook hook and its outcome. */
export const RunbookAuditSummary = z.object({
  actor: z.literal('aviary'),
  name: z.string(),
  /** "aviary (runbook hook)": who acted, never a person. */
  user: z.string(),
  groups: z.array(z.string()),
  action: z.literal('runbook-hook'),
  result: z.enum(['delivered', 'failed', 'not-configured']),
  revision: z.number().int().nullable(),
  step: z.null(),
  /** Why it ran: the incident's summary. */
  reason: z.string().nullable(),
  /** What was sent, in words ("Turn feature flag new-checkout off in production"). */
  description: z.string(),
  /** What the endpoint answered, or why nothing was sent. */
  message: z.string().nullable(),
  hook: z.string(),
  /** The request, without secrets: method and host only. */
  request: z.string().nullable(),
  status: z.number().int().nullable(),
  attempts: z.number().int().min(0),
  at: z.string(),
});
export type RunbookAuditSummary = z.infer<typeof RunbookAuditSummary>;

/** One entry of a workload's audit history: a person's action or Aviary's runbook hook. */
export const AuditSummary = z.discriminatedUnion('actor', [PersonAuditSummary, RunbookAuditSummary]);
export type AuditSummary = z.infer<typeof AuditSummary>;
