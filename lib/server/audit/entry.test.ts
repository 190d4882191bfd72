import { describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));

import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from '@/lib/server/kube/impersonation';
import { auditEvent, auditLogLine, auditRecord, auditText, resultOf, runbookRecordName, type AuditEntry, type RunbookAuditEntry } from './entry';

const entry: AuditEntry = {
  user: 'carol@example.com',
  groups: ['oncall', 'system:authenticated'],
  action: 'abort',
  target: { cluster: 'sandbox', kind: 'Rollout', namespace: 'shop', name: 'checkout', uid: 'u-1' },
  revision: 13,
  step: 4,
  reason: 'error rate 12 %',
  result: 'accepted',
  message: null,
  time: '2026-11-22T04:10:11.000Z',
};

describe('audit entry', () => {
  it('results from the impersonated request’s typed errors', () => {
    expect(resultOf(null)).toBe('accepted');
    expect(resultOf(new ForbiddenError('User "victor" cannot patch'))).toBe('refused-rbac');
    expect(resultOf(new ConflictError(409, 'Conflict', 'changed'))).toBe('conflict');
    expect(resultOf(new InvalidError(422, 'Invalid', 'bad'))).toBe('invalid');
    expect(resultOf(new NotFoundError(404, 'NotFound', 'gone'))).toBe('invalid');
    expect(() => resultOf(new Error('connection refused'))).toThrow('connection refused');
  });

  it('says who, groups, what, where and why in one line', () => {
    expect(auditText(entry)).toBe('carol@example.com (oncall, system:authenticated) abort at revision 13, step 4: accepted — reason: error rate 12 %');
  });

  it('the log line is one JSON object with every field', () => {
    const line = auditLogLine({ ...entry, result: 'refused-rbac', message: 'forbidden by the cluster' });
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toEqual({ level: 'warn', msg: 'aviary.audit', ...entry, result: 'refused-rbac', message: 'forbidden by the cluster' });
  });

  it('the Event names the workload (uid included) so kubectl describe lists it', () => {
    expect(auditEvent(entry)).toMatchObject({
      metadata: { generateName: 'checkout.aviary-', namespace: 'shop' },
      involvedObject: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', namespace: 'shop', name: 'checkout', uid: 'u-1' },
      reason: 'AviaryAction',
      type: 'Normal',
      firstTimestamp: entry.time,
    });
    expect(auditEvent({ ...entry, result: 'conflict', target: { ...entry.target, kind: 'Deployment', uid: null } })).toMatchObject({
      involvedObject: { apiVersion: 'apps/v1', kind: 'Deployment' },
      reason: 'AviaryActionConflict',
      type: 'Warning',
    });
  });

  it('the AuditRecord carries the entry as its spec, labelled for selection', () => {
    expect(auditRecord(entry)).toMatchObject({
      apiVersion: 'aviary.dev/v1alpha1',
      kind: 'AuditRecord',
      metadata: { generateName: 'rollout-checkout-', namespace: 'shop', labels: { 'aviary.dev/action': 'abort', 'aviary.dev/result': 'accepted' } },
      spec: entry,
    });
  });

  it('a runbook hook is recorded as Aviary (not a person), under one name per incident', () => {
    const hook: RunbookAuditEntry = {
      actor: 'aviary',
      user: 'aviary (runbook hook)',
      groups: [],
      action: 'runbook-hook',
      target: { cluster: 'sandbox', kind: 'Rollout', namespace: 'shop', name: 'checkout', uid: null },
      revision: 4,
      step: null,
      reason: 'Rollout shop/checkout revision 4: release aborted',
      result: 'failed',
      message: 'PATCH flags.example answered 500 after 3 attempts',
      description: 'Runbook hook flags-off: turn feature flag new-checkout off in production (PATCH flags.example, turnFlagOff)',
      time: '2026-11-22T04:11:00.000Z',
      runbook: { hook: 'flags-off', kind: 'launchdarkly-flag-off', method: 'PATCH', host: 'flags.example', flag: 'new-checkout', instruction: 'turnFlagOff', environmentKey: 'production', status: 500, attempts: 3, revision: '4', dedupKey: 'aviary/sandbox/shop/rollout/checkout/4', incident: 'checkout-0123456789ab', sender: 'replica-a' },
    };
    expect(auditRecord(hook)).toMatchObject({
      metadata: { name: 'runbook-checkout-0123456789ab', namespace: 'shop', labels: { 'aviary.dev/action': 'runbook-hook', 'aviary.dev/result': 'failed' } },
      spec: { ...hook, target: { cluster: 'sandbox', kind: 'Rollout', namespace: 'shop', name: 'checkout' } },
    });
    expect(auditRecord(hook).metadata).not.toHaveProperty('generateName');
    expect(runbookRecordName('checkout-0123456789ab')).toBe('runbook-checkout-0123456789ab');
    expect(auditEvent(hook)).toMatchObject({ reason: 'AviaryRunbookHookFailed', type: 'Warning' });
    expect(auditEvent({ ...hook, result: 'delivered' })).toMatchObject({ reason: 'AviaryRunbookHook', type: 'Normal' });
    expect(auditText(hook)).toBe('aviary (runbook hook) flags-off: failed — Runbook hook flags-off: turn feature flag new-checkout off in production (PATCH flags.example, turnFlagOff) — PATCH flags.example answered 500 after 3 attempts');
  });
});
