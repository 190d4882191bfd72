import { describe, expect, it } from 'vitest';
import {
  freshTag,
  GiveUp,
  getRollout,
  listAnalysisRuns,
  promote,
  promValue,
  release,
  virtualServiceWeights,
  waitFor,
} from '@/test/sandbox';

const NS = 'shop';
const NAME = 'checkout';
const STEPS_BEFORE_INDEFINITE_PAUSE = 5; // setWeight 5, pause, setWeight 10, pause, setWeight 25 → index 5 is `pause: {}`

/** Whatever state an earlier run left: a new release starts a new revision from step 0 anyway. */
async function current() {
  return getRollout(NS, NAME);
}

describe('canary shop/checkout (Istio traffic routing)', () => {
  it('walks the steps on a healthy release, waits at the indefinite pause, and completes on promote', async () => {
    const before = await current();
    const tag = freshTag('v1.1');
    await release(`${NS}/${NAME}`, tag);

    const seenCanaryWeights = new Set<number>();
    const paused = await waitFor(
      'the controller to reach the indefinite pause',
      async () => {
        const weights = await virtualServiceWeights(NS, 'checkout-vsvc');
        seenCanaryWeights.add(weights['checkout-canary']);
        const r = await getRollout(NS, NAME);
        const isNewRevision = r.status?.currentPodHash !== before.status?.currentPodHash;
        if (isNewRevision && r.status?.abort) throw new GiveUp(`the healthy release was aborted: ${r.status.message}`);
        const atPause =
          isNewRevision &&
          r.status?.currentStepIndex === STEPS_BEFORE_INDEFINITE_PAUSE &&
          r.status.phase === 'Paused' &&
          (r.status.pauseConditions ?? []).some((c) => c.reason === 'CanaryPauseStep');
        return atPause ? r : undefined;
      },
      { timeoutMs: 150_000, intervalMs: 250 },
    );
    // The real controller wrote each weight into the VirtualService as it went. (The last poll read the
    // VirtualService just before the rollout reached the pause: read it once more.)
    seenCanaryWeights.add((await virtualServiceWeights(NS, 'checkout-vsvc'))['checkout-canary']);
    expect([...seenCanaryWeights]).toEqual(expect.arrayContaining([5, 10, 25]));
    expect(await virtualServiceWeights(NS, 'checkout-vsvc')).toEqual({ 'checkout-stable': 75, 'checkout-canary': 25 });
    const canaryHash = paused.status?.currentPodHash;
    expect(canaryHash).not.toBe(paused.status?.stableRS);

    // It stays there: an indefinite pause needs a person.
    await new Promise((r) => setTimeout(r, 5000));
    expect((await getRollout(NS, NAME)).status?.currentStepIndex).toBe(STEPS_BEFORE_INDEFINITE_PAUSE);

    await promote(NS, NAME);
    const done = await waitFor(
      'the promoted rollout to become Healthy on the new revision',
      async () => {
        const r = await getRollout(NS, NAME);
        if (r.status?.abort) throw new GiveUp(`the promoted release was aborted: ${r.status.message}`);
        return r.status?.phase === 'Healthy' && r.status.stableRS === canaryHash ? r : undefined;
      },
      { timeoutMs: 150_000 },
    );
    expect(done.spec.template.spec.containers[0].image).toMatch(new RegExp(`:${tag}$`));
    expect(await virtualServiceWeights(NS, 'checkout-vsvc')).toEqual({ 'checkout-stable': 100, 'checkout-canary': 0 });
  });

  it('aborts an erroring release: Prometheus sees the 5xx, the AnalysisRun fails, stable stays', async () => {
    const before = await current();
    const stableBefore = before.status?.stableRS;
    const tag = freshTag('v1.2', '-errors');
    await release(`${NS}/${NAME}`, tag);

    const errorRate = await waitFor(
      'the canary error rate to reach Prometheus above the 5 % threshold',
      async () => {
        const value = await promValue(
          'sum(rate(http_requests_total{namespace="shop",service="checkout-canary",status=~"5.."}[30s])) / sum(rate(http_requests_total{namespace="shop",service="checkout-canary"}[30s]))',
        );
        return value !== undefined && value > 0.05 ? value : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 1000 },
    );
    // ~12 % by construction; a partly filled 30 s window makes early readings noisy, hence the band.
    expect(errorRate).toBeLessThan(0.25);

    const aborted = await waitFor(
      'the controller to abort the rollout',
      async () => {
        const r = await getRollout(NS, NAME);
        return r.status?.phase === 'Degraded' && r.status.abort ? r : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 1000 },
    );
    expect(aborted.status?.stableRS).toBe(stableBefore);
    expect(aborted.status?.message ?? '').toMatch(/RolloutAborted|aborted/i);

    const runs = await listAnalysisRuns(NS);
    const failed = runs.find(
      (run) => run.metadata.labels?.['rollouts-pod-template-hash'] === aborted.status?.currentPodHash && run.status?.phase === 'Failed',
    );
    expect(failed, 'a failed AnalysisRun for the aborted revision').toBeDefined();
    const failedMetrics = (failed?.status?.metricResults ?? []).filter((m) => m.phase === 'Failed').map((m) => m.name);
    expect(failedMetrics.some((m) => m === 'error-rate' || m === 'success-rate')).toBe(true);

    await waitFor('all traffic back on stable', async () => {
      const weights = await virtualServiceWeights(NS, 'checkout-vsvc');
      return weights['checkout-canary'] === 0 ? weights : undefined;
    });
  });
});
