import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toRow } from '@/lib/contracts/overview';
import { deriveFixture } from './fixtures';
import { aviaryListView, parseGetRollout, parseListRollouts } from './argo-cli';

/** Output of `kubectl argo rollouts get rollout --no-color` recorded from the sandbox. */
const recorded = (name: string) => readFileSync(join(import.meta.dirname, '__fixtures__', `cli-get-${name}.txt`), 'utf8');

describe('reading the oracle: kubectl argo rollouts get rollout', () => {
  it('a canary: status after the icon, step, weights, tagged images, replicas and the ReplicaSet tree', () => {
    expect(parseGetRollout(recorded('checkout'), 'checkout')).toEqual({
      status: 'Healthy',
      message: '',
      step: '11/11',
      setWeight: '100',
      actualWeight: '100',
      images: ['registry.example.com/shop/checkout:v1.0.0 (stable)'],
      replicas: { desired: 5, current: 5, updated: 5, ready: 5, available: 5 },
      replicaSets: [expect.stringMatching(/^1:[a-z0-9]+:stable$/)],
    });
  });

  it('a blue-green rollout has no step or weights, and tags sorted', () => {
    const view = parseGetRollout(recorded('payments'), 'payments');
    expect(view).toMatchObject({ status: 'Healthy', step: '', setWeight: '', actualWeight: '', images: ['registry.example.com/shop/payments:v3.0.0 (active, stable)'] });
    expect(view.replicaSets[0]).toMatch(/^1:[a-z0-9]+:active\+stable$/);
  });
});

// `kubectl argo rollouts list rollouts -n shop` (v1.10.1, cmd/list/rollloutinfo.go: tab-separated, padded).
const listed = `NAME      STRATEGY   STATUS        STEP  SET-WEIGHT  READY  DESIRED  UP-TO-DATE  AVAILABLE
checkout  Canary     Paused        5/11  25          5/5    4        2           5
payments  BlueGreen  Paused        -     -           6/6    3        3           6
`;

describe("the CLI's list as an oracle", () => {
  it('reads every column of list rollouts', () => {
    const rows = parseListRollouts(listed);
    expect(rows.get('checkout')).toEqual({ strategy: 'Canary', status: 'Paused', step: '5/11', setWeight: '25', ready: '5/5', desired: 4, upToDate: 2, available: 5 });
    expect(rows.get('payments')).toEqual({ strategy: 'BlueGreen', status: 'Paused', step: '-', setWeight: '-', ready: '6/6', desired: 3, upToDate: 3, available: 6 });
    expect(parseListRollouts('No resources found in shop namespace.\n').size).toBe(0);
  });

  it("an Aviary row in the CLI's words: Aborted is the CLI's Degraded, blue-green has no step or weight", () => {
    expect(aviaryListView(toRow(deriveFixture('canary-aborted')))).toMatchObject({ strategy: 'Canary', status: 'Degraded', step: '0/11', setWeight: '0' });
    expect(aviaryListView(toRow(deriveFixture('canary-manual-pause')))).toMatchObject({ strategy: 'Canary', status: 'Paused', step: '5/11', setWeight: '25' });
    expect(aviaryListView(toRow(deriveFixture('bluegreen-waiting')))).toMatchObject({ strategy: 'BlueGreen', status: 'Paused', step: '-', setWeight: '-' });
  });
});
