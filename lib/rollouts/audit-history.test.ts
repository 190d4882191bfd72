import { describe, expect, it } from 'vitest';
import { auditHistory, runbookDescription } from './audit-history';
import type { AuditRecordObject } from './objects';

const record = (name: string, over: Partial<NonNullable<AuditRecordObject['spec']>> = {}): AuditRecordObject => ({
  metadata: { name, namespace: 'shop' },
  spec: {
    user: 'carol',
    groups: ['oncall'],
    action: 'abort',
    target: { cluster: 'c', kind: 'Rollout', namespace: 'shop', name: 'checkout' },
    revision: 3,
    step: 2,
    reason: 'errors',
    result: 'accepted',
    message: null,
    description: 'Abort shop/checkout at step 2 (25 %)',
    time: '2026-11-22T10:00:00Z',
    ...over,
  },
});

describe('auditHistory', () => {
  it('keeps only this workload’s records, newest first', () => {
    const history = auditHistory('Rollout', 'checkout', [
      record('a', { time: '2026-11-22T10:00:00Z' }),
      record('b', { time: '2026-11-22T11:00:00Z', action: 'retry', result: 'refused-rbac', message: 'The cluster’s RBAC does not let victor retry shop/checkout', description: null }),
      record('other', { target: { kind: 'Rollout', name: 'payments' } }),
      record('deploy', { target: { kind: 'Deployment', name: 'checkout' } }),
    ]);
    expect(history.map((h) => h.name)).toEqual(['b', 'a']);
    expect(history[0]).toMatchObject({ action: 'retry', result: 'refused-rbac', description: 'The cluster’s RBAC does not let victor retry shop/checkout' });
    expect(history[1]).toEqual({ actor: 'person', name: 'a', user: 'carol', groups: ['oncall'], action: 'abort', result: 'accepted', revision: 3, step: 2, reason: 'errors', description: 'Abort shop/checkout at step 2 (25 %)', at: '2026-11-22T10:00:00Z' });
  });

  it('keeps the last 20 and leaves out records it cannot read', () => {
    const many = Array.from({ length: 25 }, (_, i) => record(`r${i}`, { time: `2026-11-22T10:${String(i).padStart(2, '0')}:00Z` }));
    const history = auditHistory('Rollout', 'checkout', [...many, record('bad', { action: 'delete' }), { metadata: { name: 'nospec' } }]);
    expect(history).toHaveLength(20);
    expect(history[0].name).toBe('r24');
    expect(history.some((h) => h.name === 'bad' || h.name === 'nospec')).toBe(false);
  });

  it('maps a runbook hook record to Aviary acting by itself, next to people’s actions', () => {
    const hook = record('runbook-checkout-abc', {
      actor: 'aviary',
      user: 'aviary (runbook hook)',
      groups: [],
      action: 'runbook-hook',
      result: 'failed',
      revision: 4,
      step: null,
      reason: 'Rollout shop/checkout revision 4: analysis failed (error-rate)',
      message: 'PATCH flags.example answered 500 after 3 attempts',
      description: 'Runbook hook flags-off: turn feature flag new-checkout off in production (PATCH flags.example, turnFlagOff)',
      time: '2026-11-22T10:30:00Z',
      runbook: { hook: 'flags-off', kind: 'launchdarkly-flag-off', method: 'PATCH', host: 'flags.example', flag: 'new-checkout', instruction: 'turnFlagOff', environmentKey: 'production', status: 500, attempts: 3 },
    });
    const history = auditHistory('Rollout', 'checkout', [record('a'), hook, record('fake', { actor: 'aviary', action: 'abort' }), record('nohook', { actor: 'aviary', action: 'runbook-hook', result: 'delivered' })]);
    expect(history.map((h) => h.name)).toEqual(['runbook-checkout-abc', 'a']);
    expect(history[0]).toEqual({
      actor: 'aviary',
      name: 'runbook-checkout-abc',
      user: 'aviary (runbook hook)',
      groups: [],
      action: 'runbook-hook',
      result: 'failed',
      revision: 4,
      step: null,
      reason: 'Rollout shop/checkout revision 4: analysis failed (error-rate)',
      description: 'Runbook hook flags-off: turn feature flag new-checkout off in production (PATCH flags.example, turnFlagOff)',
      message: 'PATCH flags.example answered 500 after 3 attempts',
      hook: 'flags-off',
      request: 'PATCH flags.example',
      status: 500,
      attempts: 3,
      at: '2026-11-22T10:30:00Z',
    });
    // A person's record can never claim a runbook result, nor Aviary a person's action.
    expect(auditHistory('Rollout', 'checkout', [record('p', { result: 'delivered' })])).toEqual([]);
  });

  it('describes what a hook sent without its secrets', () => {
    const request = { method: 'PATCH', host: 'app.launchdarkly.com', flag: 'new-checkout', instruction: 'turnFlagOff', environmentKey: 'production' };
    expect(runbookDescription({ hook: 'flags-off', state: 'done', kind: 'launchdarkly-flag-off', request })).toBe(
      'Runbook hook flags-off: turn feature flag new-checkout off in production (PATCH app.launchdarkly.com, turnFlagOff)',
    );
    expect(runbookDescription({ hook: 'page-sre', state: 'failed', kind: 'webhook', request: { method: 'POST', host: 'hooks.example', flag: null, instruction: null, environmentKey: null } })).toBe(
      'Runbook hook page-sre: call the webhook (POST hooks.example)',
    );
    expect(runbookDescription({ hook: 'nope', state: 'not-configured', kind: null, request: null })).toBe('Runbook hook nope: not configured, nothing sent');
    expect(runbookDescription({ hook: 'flags-off', state: 'failed', kind: 'launchdarkly-flag-off', request: null })).toBe('Runbook hook flags-off: nothing sent');
  });
});
