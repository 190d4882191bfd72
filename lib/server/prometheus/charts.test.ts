import { describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));

import { WorkloadSummary } from '@/lib/contracts/workload';
import type { RolloutObject } from '@/lib/rollouts/objects';
import { deriveRollout } from '@/lib/rollouts/rollout';
import { deriveFixture, loadFixture } from '@/test/fixtures';
import { CoalescingCache } from './cache';
import type { Series } from './client';
import { toChartSeries, workloadCharts } from './charts';
import { desiredWeightHistory, desiredWeightSeries, weightMarkers } from './markers';
import { errorRateByTarget, PROFILES } from './profiles';
import { releaseRuns, windowStart } from './revision';

const at = (iso: string) => Date.parse(iso) / 1000;
const ctx = { client: null, cache: new CoalescingCache<Series[]>(1000), scrapeIntervalSeconds: 5 };

describe('"This rollout" is the released revision only', () => {
  it('uses the AnalysisRuns whose pod-template hash is the canary, not the newest run of any revision', () => {
    const w = deriveFixture('canary-manual-pause');
    const runs = loadFixture('canary-manual-pause').analysisRuns;
    // An earlier revision's run created later (a retry, a clock skew) must not win.
    const stray = { ...runs[0], metadata: { ...runs[0].metadata, name: 'checkout-5958cd884b-99', creationTimestamp: '2026-11-22T05:00:00Z' } };
    const own = releaseRuns(w, [...runs, stray]);
    expect(own.map((r) => r.metadata.name)).toEqual(['checkout-64c6588bd7-12']);
    expect(own.every((r) => r.metadata.labels?.['rollouts-pod-template-hash'] === '64c6588bd7')).toBe(true);
  });

  it('starts the window a minute before the canary ReplicaSet, not at the first run of an earlier revision', () => {
    const f = loadFixture('canary-manual-pause');
    // Twenty minutes into the release, so the five-minute minimum window does not apply.
    const now = at('2026-11-22T04:27:08Z');
    const start = windowStart(deriveFixture('canary-manual-pause'), f.analysisRuns, 'rollout', now);
    expect(start).toBe(at('2026-11-22T04:07:08Z') - 60);
    expect(start).toBeGreaterThan(at('2026-11-22T03:59:54Z'));
  });

  it('blue-green: the preview revision\'s pre-promotion run, and the words preview vs active', async () => {
    const w = deriveFixture('bluegreen-waiting');
    expect(releaseRuns(w, loadFixture('bluegreen-waiting').analysisRuns).map((r) => r.metadata.name)).toEqual(['payments-5cf849757f-5-pre']);
    const res = await workloadCharts(w, loadFixture('bluegreen-waiting').analysisRuns, 'rollout', { ...ctx, now: at('2026-11-22T04:09:39Z') });
    expect(res.comparison).toEqual({ next: 'preview', current: 'active' });
    expect(res.analysisRevision).toBe('5cf849757f');
    expect(res.panels.some((p) => p.id === 'traffic-share')).toBe(false);
  });
});

describe('desired weight history', () => {
  it('is a step line through 0 → 5 → 10 → 25 from the controller\'s events, not a flat line at today\'s 25', () => {
    const w = deriveFixture('canary-manual-pause');
    const series = desiredWeightSeries(w, at('2026-11-22T04:06:08Z'), at('2026-11-22T04:07:42Z'));
    expect(series?.role).toBe('desired');
    const values = (series?.points ?? []).map(([, v]) => v).filter((v, i, all) => i === 0 || v !== all[i - 1]);
    expect(values).toEqual([0, 5, 10, 25]);
    expect(series?.points.at(-1)).toEqual([at('2026-11-22T04:07:42Z'), 25]);
    expect(series?.points.find(([, v]) => v === 10)?.[0]).toBe(at('2026-11-22T04:07:24Z'));
  });

  it('goes to 0 at an abort and has no line for blue-green', () => {
    const aborted = desiredWeightSeries(deriveFixture('canary-aborted'), at('2026-11-22T04:07:00Z'), at('2026-11-22T04:09:03Z'));
    expect(aborted?.points.at(-1)?.[1]).toBe(0);
    expect(aborted?.points.some(([, v]) => v === 25)).toBe(true);
    expect(desiredWeightSeries(deriveFixture('bluegreen-waiting'), 0, at('2026-11-22T04:09:39Z'))).toBeNull();
  });

  it('stops at the last recorded change when the events do not reach today\'s weight (seen on the sandbox: 0 all along, then a jump to 25 at the end)', () => {
    const w = deriveFixture('canary-manual-pause');
    // The cluster no longer holds the events of this release: only an old abort to 0 is left.
    const stale = { ...w, weightEvents: w.weightEvents.filter((e) => e.reason !== 'TrafficWeightUpdated' && e.reason !== 'RolloutStepCompleted') };
    stale.weightEvents.push({ reason: 'RolloutAborted', message: 'Rollout aborted update to revision 1', at: '2026-11-22T04:00:00Z', from: null, weight: 0 });
    const history = desiredWeightHistory(stale, at('2026-11-22T04:06:08Z'), at('2026-11-22T04:07:42Z'));
    expect(history?.complete).toBe(false);
    expect(history?.series.points.at(-1)).toEqual([at('2026-11-22T04:07:42Z'), null]);
    expect(desiredWeightHistory(w, at('2026-11-22T04:06:08Z'), at('2026-11-22T04:07:42Z'))?.complete).toBe(true);
  });

  it('comes from all of the Rollout\'s events, not the 25 newest display events that pod events crowd out mid-release', () => {
    const f = loadFixture('canary-manual-pause');
    // 40 pod events newer than every controller event of the release (probes, pulls, restarts).
    const podEvents = Array.from({ length: 40 }, (_, i) => ({
      metadata: { name: `checkout-pod.${i}`, namespace: 'shop', creationTimestamp: '2026-11-22T04:07:45Z' },
      involvedObject: { kind: 'Pod', name: f.pods[0].metadata.name, namespace: 'shop' },
      reason: 'Unhealthy',
      message: `Readiness probe failed (${i})`,
      type: 'Warning',
      lastTimestamp: `2026-11-22T04:07:${String(43 + (i % 15)).padStart(2, '0')}Z`,
    }));
    const related = { replicaSets: f.replicaSets, pods: f.pods, hpas: f.hpas, events: [...f.events, ...podEvents], analysisRuns: f.analysisRuns, deployments: [] };
    const w = deriveRollout('sandbox', f.workload as RolloutObject, related);
    // The display list holds only the newest 25, and they are all pod events now…
    expect(w.events).toHaveLength(25);
    expect(w.events.every((e) => e.object.startsWith('Pod/'))).toBe(true);
    // …but the desired weight and the markers still come from the Rollout's own events.
    const series = desiredWeightSeries(w, at('2026-11-22T04:06:08Z'), at('2026-11-22T04:07:42Z'));
    expect((series?.points ?? []).map(([, v]) => v).filter((v, i, all) => i === 0 || v !== all[i - 1])).toEqual([0, 5, 10, 25]);
    expect(desiredWeightHistory(w, at('2026-11-22T04:06:08Z'), at('2026-11-22T04:07:42Z'))?.complete).toBe(true);
    expect(weightMarkers(w).map((m) => m.label)).toEqual(expect.arrayContaining(['step 1/11', 'step 3/11', '→ 25 %']));
    expect(WorkloadSummary.parse(w).weightEvents).toEqual(w.weightEvents);
  });

  it('reads step events client-go merged into "(combined from similar events): …"', () => {
    const f = loadFixture('canary-manual-pause');
    const events = f.events.map((e) => (e.reason === 'RolloutStepCompleted' && e.message?.startsWith('Rollout step 5/11') ? { ...e, message: `(combined from similar events): ${e.message}` } : e));
    const w = deriveRollout('sandbox', f.workload as RolloutObject, { replicaSets: f.replicaSets, pods: f.pods, hpas: f.hpas, events, analysisRuns: f.analysisRuns, deployments: [] });
    expect(weightMarkers(w).find((m) => m.label === 'step 5/11')?.detail).toBe('Rollout step 5/11 completed (setWeight: 25)');
  });

  it('markers keep the full event text for the hover title', () => {
    const markers = weightMarkers(deriveFixture('canary-manual-pause'));
    const step = markers.find((m) => m.label === 'step 3/11');
    expect(step?.detail).toBe('Rollout step 3/11 completed (setWeight: 10)');
    expect(markers.some((m) => m.label === 'TrafficWeightUpdated')).toBe(false);
  });
});

describe('analysis queries with several series', () => {
  const series = (n: number): Series[] =>
    Array.from({ length: n }, (_, i) => ({ labels: { namespace: 'shop', pod: `checkout-${i.toString().padStart(2, '0')}`, status: '500' }, values: [[1, i / 100], [2, i / 50]] }));

  it('draws one line per series, named by the labels that tell them apart', () => {
    const lines = toChartSeries({ title: 'Analysis: error-rate' }, series(3));
    expect(lines.map((l) => l.name)).toEqual(['pod="checkout-00"', 'pod="checkout-01"', 'pod="checkout-02"']);
    expect(lines.every((l) => l.role === 'value' && l.points.length === 2)).toBe(true);
    expect(toChartSeries({ title: 'Analysis: error-rate' }, series(1))[0].name).toBe('Analysis: error-rate');
    // The traffic-share panel's one line is the observed share, not the panel's title again.
    expect(toChartSeries({ title: 'Observed canary traffic share vs desired weight', lineName: 'observed canary share' }, series(1))[0].name).toBe('observed canary share');
  });

  it('caps at 8, keeping the series that reach highest', () => {
    const lines = toChartSeries({ title: 't' }, series(12));
    expect(lines).toHaveLength(8);
    expect(lines.map((l) => l.name)).not.toContain('pod="checkout-00"');
    expect(lines.map((l) => l.name)).toContain('pod="checkout-11"');
  });

  it('blue-green profile series are preview and active', () => {
    const lines = toChartSeries({ title: 't', splitBy: 'h', roles: { a: 'preview', b: 'active' } }, [
      { labels: { h: 'a' }, values: [[1, 0.1]] },
      { labels: { h: 'b' }, values: [[1, 0]] },
    ]);
    expect(lines.map((l) => l.name)).toEqual(['preview (a)', 'active (b)']);
  });
});

describe('sparkline queries', () => {
  it('one query per profile, grouped by the profile\'s namespace and split labels', () => {
    expect(errorRateByTarget(PROFILES.istio, '60s')).toBe(
      'sum by (destination_service_namespace, destination_service_name) (rate(istio_requests_total{reporter="destination",response_code=~"5.."}[60s])) / sum by (destination_service_namespace, destination_service_name) (rate(istio_requests_total{reporter="destination"}[60s]))',
    );
    expect(errorRateByTarget(PROFILES.generic, '60s')).toContain('sum by (namespace, rollouts_pod_template_hash)');
  });
});
