import { describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));

import type { AccessNeed } from '@/lib/rollouts/action-access';
import { PermissionCache } from './permissions';

const carol = { user: 'carol', groups: ['oncall'] };
const target = { cluster: 'c', kind: 'Rollout' as const, namespace: 'shop', name: 'checkout' };

describe('PermissionCache', () => {
  it('enables exactly the actions whose every request is allowed (on-call: status and spec patches, no promote/restart verbs, no ReplicaSets)', async () => {
    const review = vi.fn((_s: unknown, _t: unknown, need: AccessNeed) => Promise.resolve(need.resource === 'rollouts' && need.verb === 'patch'));
    const perms = await new PermissionCache(review).permissions(carol, target);
    expect(perms.actions).toEqual({ promote: false, 'promote-full': false, abort: true, retry: true, pause: true, resume: true, restart: false, undo: false });
  });

  it('a Deployment has no Rollout-only actions even for someone allowed everything', async () => {
    const perms = await new PermissionCache(() => Promise.resolve(true)).permissions(carol, { ...target, kind: 'Deployment' });
    expect(perms.actions).toEqual({ promote: false, 'promote-full': false, abort: false, retry: false, pause: true, resume: true, restart: true, undo: true });
  });

  it('asks each distinct permission once within the TTL, and again after it', async () => {
    let clock = 0;
    const review = vi.fn(() => Promise.resolve(true));
    const cache = new PermissionCache(review, 10_000, () => clock);
    await cache.permissions(carol, target);
    const first = review.mock.calls.length;
    expect(first).toBe(5); // patch rollouts/status, patch rollouts, promote, restart, get replicasets: each distinct permission once
    await cache.permissions(carol, target);
    expect(review).toHaveBeenCalledTimes(first);
    clock += 10_001;
    await cache.permissions(carol, target);
    expect(review).toHaveBeenCalledTimes(first * 2);
  });

  it('fails closed when the review fails', async () => {
    const perms = await new PermissionCache(() => Promise.reject(new Error('down'))).permissions(carol, target);
    expect(Object.values(perms.actions).every((v) => v === false)).toBe(true);
  });
});
