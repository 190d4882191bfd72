import { describe, expect, it } from 'vitest';
import { WorkloadSummary } from '@/lib/contracts/workload';
import { deriveFixture, loadFixture } from '@/test/fixtures';

describe('canary with Istio routing (recorded from the sandbox)', () => {
  it('at a timed pause: Paused at step 1/11 (Argo numbering), weight 5 desired and set, a countdown end, the reason in words', () => {
    const w = deriveFixture('canary-timed-pause');
    expect(WorkloadSummary.parse(w)).toEqual(w);
    expect(w).toMatchObject({ phase: 'Paused', strategy: 'canary', trafficRouting: 'istio', step: { current: 1, total: 11 }, desiredWeight: 5, actualWeight: 5 });
    expect(w.steps.map((s) => s.status).slice(0, 3)).toEqual(['done', 'current', 'pending']);
    expect(w.steps[1].label).toBe('Pause 15s');
    expect(w.pauses).toHaveLength(1);
    const pause = w.pauses[0];
    expect(Date.parse(pause.endsAt ?? '') - Date.parse(pause.startedAt)).toBe(15_000);
    expect(w.diagnosis?.reasons.map((r) => r.code)).toContain('timed-pause');
    expect(w.revisions.filter((r) => !r.scaledDown).map((r) => r.roles[0])).toEqual(['canary', 'stable']);
    expect(w.revisions[0].pods.every((p) => p.state === 'ready')).toBe(true);
  });

  it('at the indefinite pause: waits for a manual promotion at step 5/11 (as the CLI prints it) with 25 % on the canary', () => {
    const w = deriveFixture('canary-manual-pause');
    expect(w).toMatchObject({ phase: 'Paused', step: { current: 5, total: 11 }, desiredWeight: 25, actualWeight: 25 });
    expect(w.pauses[0].endsAt).toBeNull();
    expect(w.diagnosis?.headline).toBe('Waiting for a manual promotion at step 5/11 (Pause (until promoted))');
    expect(w.steps.find((s) => s.status === 'current')?.index).toBe(w.step.current);
    const reason = w.diagnosis?.reasons[0];
    expect(reason?.time).toEqual({ role: 'since', at: w.pauses[0].startedAt });
    // Times travel as data for the viewer's clock and locale, never inside the text.
    for (const r of w.diagnosis?.reasons ?? []) expect(`${r.summary} ${r.evidence.join(' ')}`).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:/);
    expect(w.analysisRuns[0]).toMatchObject({ kind: 'background', phase: 'Running' });
    expect(w.analysisRuns[0].metrics.map((m) => m.successCondition)).toEqual(expect.arrayContaining(['result[0] < 0.05', 'result[0] < 500', 'result[0] > 0.99']));
  });

  it('fully promoted: Healthy, every step done, Argo reports SetWeight 100 and ActualWeight 100, no diagnosis', () => {
    const w = deriveFixture('canary-healthy');
    expect(w).toMatchObject({ phase: 'Healthy', desiredWeight: 100, actualWeight: 100, diagnosis: null, step: { current: 11, total: 11 } });
    expect(w.steps.every((s) => s.status === 'done')).toBe(true);
    expect(w.revisions[0].roles).toEqual(['stable']);
  });

  it('aborted by analysis: Aborted (not just Degraded), the failing metric with its last value and condition', () => {
    const f = loadFixture('canary-aborted');
    const w = deriveFixture('canary-aborted');
    expect(f.workload.status).toMatchObject({ phase: 'Degraded', abort: true });
    expect(w.phase).toBe('Aborted');
    expect(w.desiredWeight).toBe(0);
    // Argo resets the index to 0; the step the release had reached comes back from the controller's
    // step-completed events. This recording kept only the last 40 events, none of them a step of the
    // aborted revision 13 (the RolloutAborted event is): so the step is unknown, not "step 0".
    expect(w.step.current).toBe(0);
    expect(w.abortedAt).toMatchObject({ known: false, step: null, weight: null, total: 11 });
    expect(w.steps.filter((s) => s.status === 'aborted')).toHaveLength(0);
    const codes = w.diagnosis?.reasons.map((r) => r.code);
    expect(codes?.[0]).toBe('aborted');
    expect(codes).toContain('analysis-failing');
    const analysis = w.diagnosis?.reasons.find((r) => r.code === 'analysis-failing');
    expect(analysis?.summary).toMatch(/metric (error-rate|success-rate), last value 0\.\d+ vs success condition result\[0\] [<>] 0\.(05|99)/);
    expect(w.analysisRuns[0].phase).toBe('Failed');
  });
});

describe('blue-green waiting for promotion', () => {
  it('shows active and preview revisions and asks for a promotion', () => {
    const w = deriveFixture('bluegreen-waiting');
    expect(w).toMatchObject({ phase: 'Paused', strategy: 'blueGreen', desiredWeight: null, actualWeight: null, step: { current: null, total: 0 } });
    // The CLI's tags: the active revision is also the stable one; scaled-down history is kept.
    expect(w.revisions.filter((r) => !r.scaledDown).map((r) => r.roles)).toEqual([['preview'], ['stable', 'active']]);
    expect(w.revisions.filter((r) => r.scaledDown).every((r) => r.roles[0] === 'old' && r.revision !== null)).toBe(true);
    expect(w.blueGreen).toMatchObject({ activeService: expect.any(String), previewService: expect.any(String), scaleDownDelaySeconds: expect.any(Number) });
    expect(w.diagnosis?.reasons.map((r) => r.code)).toContain('manual-promotion');
    expect(w.diagnosis?.reasons.find((r) => r.code === 'manual-promotion')?.summary).toMatch(/promotion of the preview/);
  });
});

describe('pods that do not become ready', () => {
  it('names crash-looping pods and their last exit in the diagnosis', () => {
    const w = deriveFixture('canary-crashloop');
    const crashing = w.revisions.flatMap((r) => r.pods).filter((p) => p.state === 'crashing');
    expect(crashing.length).toBeGreaterThan(0);
    expect(crashing[0]).toMatchObject({ reason: 'CrashLoopBackOff' });
    expect(crashing[0].restarts).toBeGreaterThanOrEqual(1);
    const reason = w.diagnosis?.reasons.find((r) => r.code === 'pods-not-ready');
    expect(reason).toMatchObject({ severity: 'critical' });
    expect(reason?.summary).toMatch(/not ready: CrashLoopBackOff/);
    expect(reason?.evidence.join(' ')).toContain(crashing[0].name);
    expect(w.actualWeight).not.toBeNull();
  });

  it('a Deployment stuck on an image pull: Progressing, updated vs desired, ImagePullBackOff with the pod name', () => {
    const w = deriveFixture('deployment-mid-update');
    expect(w).toMatchObject({ kind: 'Deployment', strategy: 'rollingUpdate', phase: 'Progressing' });
    expect(w.replicas.desired).toBe(3);
    expect(w.revisions.filter((r) => !r.scaledDown || r.pods.length > 0).map((r) => r.roles[0])).toEqual(['stable', 'old']);
    const pending = w.revisions[0].pods.find((p) => p.reason === 'ImagePullBackOff');
    expect(pending?.state).toBe('pending');
    expect(w.diagnosis?.headline).toMatch(/1 pod not ready: ImagePullBackOff/);
    expect(w.hpa).toMatchObject({ name: 'catalog', minReplicas: 3, maxReplicas: 10, target: 'cpu 70 %' });
  });
});
