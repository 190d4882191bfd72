import { describe, expect, it } from 'vitest';
import type { WorkloadSummary } from '@/lib/contracts/workload';
import { deriveFixture } from '@/test/fixtures';
import { canAct, describeAction } from './action-rules';
import { ROLLOUT_ACTIONS, type ActionName } from './actions';

const allowed = (w: WorkloadSummary, toRevision?: number) => ROLLOUT_ACTIONS.filter((a) => canAct(a, w, toRevision).allowed);

/** A recorded summary with spec.paused set, as the derivation reports it. */
function pausedByUser(w: WorkloadSummary): WorkloadSummary {
  const reasons = [...(w.diagnosis?.reasons ?? []), { code: 'paused' as const, severity: 'warning' as const, summary: 'Paused by a user', time: null, evidence: [] }];
  return { ...w, phase: 'Paused', diagnosis: { headline: 'Paused', reasons } };
}

describe('canAct: Rollouts, per phase', () => {
  it('canary paused at a step: promote, promote full, abort, pause, restart, undo — no retry, no resume', () => {
    expect(allowed(deriveFixture('canary-manual-pause'))).toEqual(['promote', 'promote-full', 'abort', 'pause', 'restart', 'undo']);
  });
  it('canary aborted: retry, pause, restart, undo — nothing that moves it forward', () => {
    const w = deriveFixture('canary-aborted');
    expect(allowed(w)).toEqual(['retry', 'pause', 'restart', 'undo']);
    expect(canAct('promote', w)).toEqual({ allowed: false, reason: 'Aborted: retry it first' });
    expect(canAct('abort', w)).toEqual({ allowed: false, reason: 'Already aborted' });
  });
  it('canary healthy (fully promoted): nothing to promote or abort', () => {
    const w = deriveFixture('canary-healthy');
    expect(allowed(w)).toEqual(['pause', 'restart', 'undo']);
    expect(canAct('abort', w)).toEqual({ allowed: false, reason: 'Nothing to abort: the rollout is fully promoted' });
    expect(canAct('retry', w)).toEqual({ allowed: false, reason: 'Only an aborted rollout can be retried' });
  });
  it('canary progressing mid-steps (no pause): promote moves it on', () => {
    expect(allowed(deriveFixture('canary-crashloop'))).toEqual(['promote', 'promote-full', 'abort', 'pause', 'restart', 'undo']);
  });
  it('blue-green waiting for promotion', () => {
    expect(allowed(deriveFixture('bluegreen-waiting'))).toEqual(['promote', 'promote-full', 'abort', 'pause', 'restart', 'undo']);
  });
  it('paused by a user: resume instead of pause', () => {
    const w = pausedByUser(deriveFixture('canary-healthy'));
    expect(canAct('resume', w).allowed).toBe(true);
    expect(canAct('pause', w)).toEqual({ allowed: false, reason: 'Already paused' });
    expect(canAct('promote', w).allowed).toBe(true);
  });
  it('undo: only to an earlier revision in the history', () => {
    const w = deriveFixture('canary-healthy');
    expect(canAct('undo', w, 10).allowed).toBe(true);
    expect(canAct('undo', w, 12)).toEqual({ allowed: false, reason: 'Revision 12 is already the current one' });
    expect(canAct('undo', w, 3)).toEqual({ allowed: false, reason: 'Revision 3 is not in the history' });
  });
  it('a workload Aviary cannot read: nothing', () => {
    expect(allowed({ ...deriveFixture('canary-manual-pause'), derivationError: 'boom' })).toEqual([]);
  });
});

describe('canAct: Deployments', () => {
  it('running: pause, restart, undo; no Rollout-only actions', () => {
    const w = deriveFixture('deployment-mid-update');
    expect(allowed(w)).toEqual(['pause', 'restart', 'undo']);
    expect(canAct('promote', w)).toEqual({ allowed: false, reason: 'A Deployment has no promote' });
  });
  it('paused: only resume (kubectl refuses restart and undo of a paused Deployment)', () => {
    expect(allowed({ ...deriveFixture('deployment-healthy-hpa'), phase: 'Paused' })).toEqual(['resume']);
  });
  it('undo to revision 1 of catalog; not to 2, the current one', () => {
    const w = deriveFixture('deployment-mid-update');
    expect(canAct('undo', w, 1).allowed).toBe(true);
    expect(canAct('undo', w, 2).allowed).toBe(false);
  });
});

describe('describeAction', () => {
  const cases: [string, ActionName, number | undefined, string][] = [
    ['canary-manual-pause', 'promote', undefined, 'Promote shop/checkout from step 5 (25 %) to step 6 (50 %)'],
    ['canary-crashloop', 'promote', undefined, 'Promote search/search-api from step 0 (25 %) to step 1 (25 %)'],
    ['bluegreen-waiting', 'promote', undefined, 'Promote shop/payments: revision 5 (registry.example.com/shop/payments:v3.2.mwrbhxji) becomes active'],
    ['canary-manual-pause', 'promote-full', undefined, 'Fully promote shop/checkout to revision 12 (registry.example.com/shop/checkout:v1.1.mwrbffws), skipping the remaining steps, pauses and analysis'],
    ['canary-manual-pause', 'abort', undefined, 'Abort shop/checkout at step 5 (25 %): all traffic goes back to the stable revision 10 (registry.example.com/shop/checkout:v1.1.mwrb642c)'],
    ['canary-aborted', 'retry', undefined, 'Retry shop/checkout: start the update to revision 13 (registry.example.com/shop/checkout:v1.2.mwrbgxgf-errors) again from the first step'],
    ['canary-manual-pause', 'pause', undefined, 'Pause shop/checkout at step 5 (25 %) until it is resumed'],
    ['canary-healthy', 'undo', 10, 'Roll back shop/checkout to revision 10 (registry.example.com/shop/checkout:v1.1.mwrb642c)'],
    ['deployment-mid-update', 'undo', 1, 'Roll back shop/catalog to revision 1 (registry.example.com/shop/catalog:v2.4.1)'],
    ['deployment-mid-update', 'pause', undefined, 'Pause shop/catalog: no further pods are replaced until it is resumed'],
  ];
  it.each(cases)('%s %s', (fixture, action, revision, text) => {
    expect(describeAction(action, deriveFixture(fixture), revision)).toBe(text);
  });
  it('the last step promotes to the end', () => {
    const w = deriveFixture('canary-manual-pause');
    expect(describeAction('promote', { ...w, step: { current: 10, total: 11 }, desiredWeight: 100 })).toBe('Promote shop/checkout from step 10 (100 %) to the end of its steps (100 %)');
  });
  it('restart names the pods it replaces', () => {
    expect(describeAction('restart', deriveFixture('canary-healthy'))).toMatch(/^Restart shop\/checkout: recreate its \d+ pods?, a few at a time$/);
  });
});
