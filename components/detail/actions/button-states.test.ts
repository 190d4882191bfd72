import { describe, expect, it } from 'vitest';
import type { Permissions } from '@/lib/contracts/actions';
import { deriveFixture } from '@/test/fixtures';
import { buttonStates } from './button-states';

const allow = (...actions: (keyof Permissions['actions'])[]): Permissions => ({
  actions: Object.fromEntries(['promote', 'promote-full', 'abort', 'retry', 'pause', 'resume', 'restart', 'undo'].map((a) => [a, actions.includes(a as keyof Permissions['actions'])])) as Permissions['actions'],
});
const everything = allow('promote', 'promote-full', 'abort', 'retry', 'pause', 'resume', 'restart', 'undo');

describe('buttonStates', () => {
  it('shows only the actions that make sense for the phase, all usable for someone allowed everything', () => {
    const states = buttonStates(deriveFixture('canary-manual-pause'), { status: 'ready', permissions: everything });
    expect(states.map((s) => s.action)).toEqual(['promote', 'promote-full', 'abort', 'pause', 'restart', 'undo']);
    expect(states.every((s) => s.usable && s.reason === null)).toBe(true);
  });

  it('an aborted rollout offers retry, never promote or abort', () => {
    const states = buttonStates(deriveFixture('canary-aborted'), { status: 'ready', permissions: everything });
    expect(states.map((s) => s.action)).toEqual(['retry', 'pause', 'restart', 'undo']);
  });

  it('a viewer sees the same buttons, none usable, each with the reason in words', () => {
    const states = buttonStates(deriveFixture('canary-manual-pause'), { status: 'ready', permissions: allow() });
    expect(states.length).toBeGreaterThan(0);
    expect(states.filter((s) => s.usable)).toEqual([]);
    expect(states.find((s) => s.action === 'promote')?.reason).toBe("The cluster's RBAC does not let you promote this Rollout");
    expect(states.find((s) => s.action === 'undo')?.reason).toBe("The cluster's RBAC does not let you roll back this Rollout");
  });

  it('on call: abort usable, promote shown disabled', () => {
    const states = buttonStates(deriveFixture('canary-manual-pause'), { status: 'ready', permissions: allow('abort', 'retry', 'pause', 'resume') });
    expect(states.find((s) => s.action === 'abort')?.usable).toBe(true);
    expect(states.find((s) => s.action === 'promote')).toMatchObject({ usable: false });
  });

  it('nothing is usable while permissions load or when they cannot be checked', () => {
    const w = deriveFixture('canary-manual-pause');
    expect(buttonStates(w, { status: 'loading' }).some((s) => s.usable)).toBe(false);
    const failed = buttonStates(w, { status: 'error', message: 'HTTP 502' });
    expect(failed.some((s) => s.usable)).toBe(false);
    expect(failed[0]?.reason).toBe('Your permissions could not be checked: HTTP 502');
  });

  it('Deployments get pause / resume / restart / roll back only', () => {
    const states = buttonStates(deriveFixture('deployment-healthy-hpa'), { status: 'ready', permissions: everything });
    expect(states.every((s) => ['pause', 'resume', 'restart', 'undo'].includes(s.action))).toBe(true);
    expect(states.map((s) => s.action)).toContain('pause');
    expect(states.map((s) => s.action)).not.toContain('resume');
  });
});
