import { describe, expect, it } from 'vitest';
import { auditHistory } from './audit-history';
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
    expect(history[1]).toEqual({ name: 'a', user: 'carol', groups: ['oncall'], action: 'abort', result: 'accepted', revision: 3, step: 2, reason: 'errors', description: 'Abort shop/checkout at step 2 (25 %)', at: '2026-11-22T10:00:00Z' });
  });

  it('keeps the last 20 and leaves out records it cannot read', () => {
    const many = Array.from({ length: 25 }, (_, i) => record(`r${i}`, { time: `2026-11-22T10:${String(i).padStart(2, '0')}:00Z` }));
    const history = auditHistory('Rollout', 'checkout', [...many, record('bad', { action: 'delete' }), { metadata: { name: 'nospec' } }]);
    expect(history).toHaveLength(20);
    expect(history[0].name).toBe('r24');
    expect(history.some((h) => h.name === 'bad' || h.name === 'nospec')).toBe(false);
  });
});
