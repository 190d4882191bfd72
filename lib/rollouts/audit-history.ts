/** A workload's action history, from Aviary's AuditRecords: what the page shows under "History". */
import { ActionName, AuditSummary } from '@/lib/contracts/actions';
import type { AuditRecordObject } from './objects';

const HISTORY_SIZE = 20;
const RESULTS = AuditSummary.shape.result;

function summary(record: AuditRecordObject): AuditSummary | null {
  const spec = record.spec;
  const action = ActionName.safeParse(spec?.action);
  const result = RESULTS.safeParse(spec?.result);
  if (!spec || !action.success || !result.success || !spec.user || !spec.time) return null;
  const refusal = result.data === 'accepted' ? null : spec.message;
  return {
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
 * The records whose target is this workload, newest first, the last 20. Records Aviary did not
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
