import { describe, expect, it } from 'vitest';
import { core, freshTag, getRollout, promote, release, waitFor } from '@/test/sandbox';

const NS = 'shop';
const NAME = 'payments';

async function selectorHash(service: string): Promise<string | undefined> {
  const svc = await core.readNamespacedService({ namespace: NS, name: service });
  return svc.spec?.selector?.['rollouts-pod-template-hash'];
}

describe('blue-green shop/payments', () => {
  it('waits for promotion with the new version on preview only, and promote switches the active service', async () => {
    const before = await waitFor('payments to be Healthy first', async () => {
      const r = await getRollout(NS, NAME);
      return r.status?.phase === 'Healthy' ? r : undefined;
    }, { timeoutMs: 180_000 });
    const activeBefore = before.status?.stableRS;
    expect(await selectorHash('payments-active')).toBe(activeBefore);

    await release(`${NS}/${NAME}`, freshTag('v3.1'));
    const waiting = await waitFor(
      'the new version to wait for promotion',
      async () => {
        const r = await getRollout(NS, NAME);
        const hasPause = (r.status?.pauseConditions ?? []).some((c) => c.reason === 'BlueGreenPause');
        return hasPause && r.status?.currentPodHash !== activeBefore ? r : undefined;
      },
      { timeoutMs: 120_000 },
    );
    const newHash = waiting.status?.currentPodHash;
    expect(waiting.status?.phase).toBe('Paused');
    expect(await selectorHash('payments-preview')).toBe(newHash);
    expect(await selectorHash('payments-active')).toBe(activeBefore);

    await promote(NS, NAME);
    await waitFor('the active service to switch to the new version', async () =>
      (await selectorHash('payments-active')) === newHash ? true : undefined,
    { timeoutMs: 120_000 });
    const done = await waitFor('payments to be Healthy on the new version', async () => {
      const r = await getRollout(NS, NAME);
      return r.status?.phase === 'Healthy' && r.status.stableRS === newHash ? r : undefined;
    }, { timeoutMs: 150_000 });
    expect(done.status?.blueGreen?.activeSelector).toBe(newHash);
  });
});
