import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseGetRollout } from './argo-cli';

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
