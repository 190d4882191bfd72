import 'server-only';
import { hostname } from 'node:os';
import type { ActionName } from '@/lib/rollouts/actions';
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from '@/lib/server/kube/impersonation';

export type AuditResult = 'accepted' | 'refused-rbac' | 'conflict' | 'invalid';

/** One action a person asked for, and what became of it. */
export interface AuditEntry {
  /** Absent on records written before Aviary itself acted (runbook hooks): a person. */
  actor?: 'person';
  user: string;
  groups: string[];
  action: ActionName;
  target: { cluster: string; kind: 'Rollout' | 'Deployment'; namespace: string; name: string; uid: string | null };
  /** The revision acted on (for undo: the one rolled back to). */
  revision: number | null;
  /** Argo's currentStepIndex when the action was asked for. */
  step: number | null;
  /** Why, in the person's own words (optional in the UI). */
  reason: string | null;
  result: AuditResult;
  /** What went wrong, for refusals; never the API server's Forbidden text (that stays in the server log). */
  message: string | null;
  /** What the action did, in the words the confirmation used ("Promote shop/checkout from step 4 (25 %) to step 5 (50 %)"). */
  description?: string | null;
  time: string;
}

/** Who a runbook hook's record names: Aviary's on-call sender, never a person. */
export const RUNBOOK_ACTOR = 'aviary (runbook hook)';

export type RunbookAuditResult = 'delivered' | 'failed' | 'not-configured';

/**
 * What Aviary itself did on a release's abort: the runbook hook it called, the request (method,
 * host, flag — never credentials or the URL's path), the outcome and how many attempts it took.
 */
export interface RunbookAuditEntry {
  actor: 'aviary';
  user: typeof RUNBOOK_ACTOR;
  groups: string[];
  action: 'runbook-hook';
  target: AuditEntry['target'];
  /** The release's revision when it is a number (the incident's own revision string is in runbook.revision). */
  revision: number | null;
  step: null;
  /** Why it ran: the incident's summary. */
  reason: string | null;
  result: RunbookAuditResult;
  /** What the endpoint answered, or why nothing was sent. */
  message: string | null;
  description: string;
  time: string;
  runbook: {
    hook: string;
    kind: 'launchdarkly-flag-off' | 'webhook' | null;
    method: string | null;
    host: string | null;
    flag: string | null;
    instruction: string | null;
    environmentKey: string | null;
    /** The endpoint's last HTTP status; null when none answered or nothing was sent. */
    status: number | null;
    attempts: number;
    revision: string;
    dedupKey: string;
    /** The Incident object (same namespace) the hook ran for. */
    incident: string;
    /** The Lease holder that ran it. */
    sender: string;
  };
}

export type AnyAuditEntry = AuditEntry | RunbookAuditEntry;

export const isRunbookEntry = (entry: AnyAuditEntry): entry is RunbookAuditEntry => entry.actor === 'aviary';

/** One record per incident: a fixed name makes a second write (a takeover) a 409, not a duplicate. */
export function runbookRecordName(incidentObjectName: string): string {
  return `runbook-${incidentObjectName}`.slice(0, 253);
}

/** The audit result of an action's outcome: a thrown error of the impersonated request, or none. */
export function resultOf(error: unknown): AuditResult {
  if (error === null || error === undefined) return 'accepted';
  if (error instanceof ForbiddenError) return 'refused-rbac';
  if (error instanceof ConflictError) return 'conflict';
  if (error instanceof InvalidError || error instanceof NotFoundError) return 'invalid';
  throw error;
}

/** Words for the Event and the log: "alice@example.com (release-managers, oncall) promote: accepted — reason: looks good". */
export function auditText(entry: AnyAuditEntry): string {
  if (isRunbookEntry(entry)) return [`${entry.user} ${entry.runbook.hook}: ${entry.result}`, entry.description, entry.message].filter(Boolean).join(' — ');
  const groups = entry.groups.length > 0 ? ` (${entry.groups.join(', ')})` : '';
  const where = [entry.revision !== null ? `revision ${entry.revision}` : '', entry.step !== null ? `step ${entry.step}` : ''].filter(Boolean).join(', ');
  const parts = [`${entry.user}${groups} ${entry.action}${where ? ` at ${where}` : ''}: ${entry.result}`];
  if (entry.message) parts.push(entry.message);
  if (entry.reason) parts.push(`reason: ${entry.reason}`);
  return parts.join(' — ');
}

/** One JSON line for the server log, with a fixed `msg` so log pipelines can pick audit lines out. */
export function auditLogLine(entry: AnyAuditEntry): string {
  return JSON.stringify({ level: entry.result === 'accepted' || entry.result === 'delivered' ? 'info' : 'warn', msg: 'aviary.audit', ...entry });
}

const API_VERSION = { Rollout: 'argoproj.io/v1alpha1', Deployment: 'apps/v1' } as const;
const REASON: Record<AuditResult | RunbookAuditResult, string> = {
  accepted: 'AviaryAction',
  'refused-rbac': 'AviaryActionForbidden',
  conflict: 'AviaryActionConflict',
  invalid: 'AviaryActionInvalid',
  delivered: 'AviaryRunbookHook',
  failed: 'AviaryRunbookHookFailed',
  'not-configured': 'AviaryRunbookHookNotConfigured',
};

/** A core/v1 Event on the workload, so `kubectl describe` lists the action with the controller's own events. */
export function auditEvent(entry: AnyAuditEntry): Record<string, unknown> {
  const { namespace, name, kind, uid } = entry.target;
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { generateName: `${name}.aviary-`, namespace, labels: { 'app.kubernetes.io/managed-by': 'aviary' } },
    involvedObject: { apiVersion: API_VERSION[kind], kind, namespace, name, ...(uid ? { uid } : {}) },
    reason: REASON[entry.result],
    message: auditText(entry).slice(0, 1024),
    type: entry.result === 'accepted' || entry.result === 'delivered' ? 'Normal' : 'Warning',
    source: { component: 'aviary' },
    reportingComponent: 'aviary.dev/aviary',
    reportingInstance: hostname().slice(0, 128),
    firstTimestamp: entry.time,
    lastTimestamp: entry.time,
    count: 1,
  };
}

/** The durable aviary.dev/v1alpha1 AuditRecord (see deploy/crds/auditrecords.aviary.dev.yaml). */
export function auditRecord(entry: AnyAuditEntry): Record<string, unknown> {
  const { namespace, kind, name } = entry.target;
  return {
    apiVersion: 'aviary.dev/v1alpha1',
    kind: 'AuditRecord',
    metadata: {
      // People's actions: lower-case kind and a random suffix (many records per workload, names sort
      // by target). A runbook hook: one record per incident, under a name fixed by the incident.
      ...(isRunbookEntry(entry) ? { name: runbookRecordName(entry.runbook.incident) } : { generateName: `${kind.toLowerCase()}-${name}-`.slice(0, 200) }),
      namespace,
      labels: { 'aviary.dev/target-kind': kind, 'aviary.dev/target-name': name.slice(0, 63), 'aviary.dev/action': entry.action, 'aviary.dev/result': entry.result },
    },
    spec: { ...entry, target: { ...entry.target, uid: entry.target.uid ?? undefined } },
  };
}
