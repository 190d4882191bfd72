import 'server-only';
import type { KubeConfig } from '@kubernetes/client-node';
import { ConflictError, kubeRequest } from '@/lib/server/kube/impersonation';
import { auditEvent, auditLogLine, auditRecord, isRunbookEntry, runbookRecordName, type AnyAuditEntry } from './entry';

export interface AuditOutcome {
  /** Name of the Event written on the workload, or why it could not be. */
  event: { name: string } | { error: string };
  /** Name of the AuditRecord, or why it could not be written. `existed`: written before (a runbook record's fixed name). */
  record: { name: string; existed?: boolean } | { error: string };
}

const failure = (error: unknown) => ({ error: error instanceof Error ? error.message : String(error) });

/**
 * Records an action three ways: a JSON log line (always, first: it needs no cluster), an Event on
 * the workload, and an AuditRecord. The last two are written as Aviary itself — never as the user,
 * who must not be able to forge or erase their own history. Each sink is independent: one failing
 * does not stop the others, and a failure is logged and returned rather than thrown, because the
 * action itself has already happened (or been refused) by then.
 */
export async function recordAction(kc: KubeConfig, entry: AnyAuditEntry, log: (line: string) => void = console.log): Promise<AuditOutcome> {
  log(auditLogLine(entry));
  const namespace = encodeURIComponent(entry.target.namespace);
  const writeEvent = () =>
    kubeRequest<{ metadata: { name: string } }>(kc, null, { method: 'POST', path: `/api/v1/namespaces/${namespace}/events`, body: auditEvent(entry) })
      .then((e) => ({ name: e.metadata.name }))
      .catch(failure);
  const writeRecord = () =>
    kubeRequest<{ metadata: { name: string } }>(kc, null, { method: 'POST', path: `/apis/aviary.dev/v1alpha1/namespaces/${namespace}/auditrecords`, body: auditRecord(entry) })
      .then((r): AuditOutcome['record'] => ({ name: r.metadata.name }))
      .catch((error: unknown): AuditOutcome['record'] =>
        // A runbook record has one name per incident: a 409 means an earlier sender wrote it already.
        isRunbookEntry(entry) && error instanceof ConflictError ? { name: runbookRecordName(entry.runbook.incident), existed: true } : failure(error),
      );
  let event: AuditOutcome['event'];
  let record: AuditOutcome['record'];
  if (isRunbookEntry(entry)) {
    // Once per incident: the record first, and the Event only with the record that is new.
    record = await writeRecord();
    event = 'existed' in record && record.existed ? { error: 'not written again: the AuditRecord existed' } : await writeEvent();
  } else {
    [event, record] = await Promise.all([writeEvent(), writeRecord()]);
  }
  for (const [sink, outcome] of [['event', event], ['record', record]] as const) {
    if ('error' in outcome && !('existed' in record && record.existed)) log(JSON.stringify({ level: 'error', msg: 'aviary.audit.write-failed', sink, error: outcome.error, target: entry.target }));
  }
  return { event, record };
}
