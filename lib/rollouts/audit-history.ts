/** A workload's audit history, from Aviary's AuditRecords: what the page shows under "History". */
import { ActionName, PersonAuditSummary, RunbookAuditSummary, type AuditSummary } from '@/lib/contracts/actions';
import type { RunbookOutcome } from '@/lib/contracts/incidents';
import type { AuditRecordObject } from './objects';

const HISTORY_SIZE = 20;
const RESULTS = PersonAuditSummary.shape.result;
const RUNBOOK_RESULTS = RunbookAuditSummary.shape.result;

/** What a runbook hook sent, in words: the same sentence in the AuditRecord, the Event and the page. */
export function runbookDescription(outcome: Pick<RunbookOutcome, 'hook' | 'state' | 'kind' | 'request'>): string {
  const request = outcome.request;
  if (outcome.state === 'not-configured') return `Runbook hook ${outcome.hook}: not configured, nothing sent`;
  if (!request) return `Runbook hook ${outcome.hook}: nothing sent`;
  if (request.flag) return `Runbook hook ${outcome.hook}: turn feature flag ${request.flag} off${request.environmentKey ? ` in ${request.environmentKey}` : ''} (${request.method} ${request.host}${request.instruction ? `, ${request.instruction}` : ''})`;
  return `Runbook hook ${outcome.hook}: call the webhook (${request.method} ${request.host})`;
}

type Spec = NonNullable<AuditRecordObject['spec']>;

function runbookSummary(name: string, spec: Spec): AuditSummary | null {
  const result = RUNBOOK_RESULTS.safeParse(spec.result);
  const rb = spec.runbook;
  if (!result.success || !rb?.hook || !spec.user || !spec.time) return null;
  return {
    actor: 'aviary',
    name,
    user: spec.user,
    groups: spec.groups ?? [],
    action: 'runbook-hook',
    result: result.data,
    revision: typeof spec.revision === 'number' ? spec.revision : null,
    step: null,
    reason: spec.reason ?? null,
    description: spec.description ?? `Runbook hook ${rb.hook}`,
    message: spec.message ?? null,
    hook: rb.hook,
    request: rb.method && rb.host ? `${rb.method} ${rb.host}` : null,
    status: typeof rb.status === 'number' ? rb.status : null,
    attempts: typeof rb.attempts === 'number' ? rb.attempts : 0,
    at: spec.time,
  };
}

function summary(record: AuditRecordObject): AuditSummary | null {
  const spec = record.spec;
  if (!spec) return null;
  if (spec.actor === 'aviary') return spec.action === 'runbook-hook' ? runbookSummary(record.metadata.name, spec) : null;
  const action = ActionName.safeParse(spec.action);
  const result = RESULTS.safeParse(spec.result);
  if (!action.success || !result.success || !spec.user || !spec.time) return null;
  const refusal = result.data === 'accepted' ? null : spec.message;
  return {
    actor: 'person',
    name: record.metadata.name,
    user: spec.user,
    groups: spec.groups ?? [],
    action: action.data,
    result: result.data,
    revision: typeof spec.revision === 'number' ? spec.revision : null,
    step: typeof spec.step === 'number' ? spec.step : null,
    reason: spec.reason ?? null,
    description: spec.description ?? refusal ?? `${action.data} ${spec.target?.namespace ?? ''}/${spec.target?.name ?? ''}`,
    at: spec.time,
  };
}

/**
 * The records whose target is this workload, newest first, the last 20: people's actions and what
 * Aviary did by itself (runbook hooks), each kind read by its own shape. Records Aviary did not
 * write the way it writes them (a hand-made object, an unknown action) are left out, not guessed at.
 */
export function auditHistory(kind: 'Rollout' | 'Deployment', name: string, records: AuditRecordObject[]): AuditSummary[] {
  return records
    .filter((r) => r.spec?.target?.kind === kind && r.spec.target.name === name)
    .map(summary)
    .filter((s): s is AuditSummary => s !== null)
    .sort((a, b) => b.at.localeCompare(a.at) || b.name.localeCompare(a.name))
    .slice(0, HISTORY_SIZE);
}
