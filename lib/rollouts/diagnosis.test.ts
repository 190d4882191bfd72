import { describe, expect, it } from 'vitest';
import type { AnalysisSummary, MetricSummary, PodSummary, RevisionSummary, StepSummary } from '@/lib/contracts/workload';
import { diagnose, type DiagnosisInput } from './diagnosis';

const steps: StepSummary[] = [
  { index: 0, kind: 'setWeight', label: 'Set weight 10 %', details: [], weight: 10, pauseSeconds: null, status: 'done' },
  { index: 1, kind: 'pause', label: 'Pause 30s', details: [], weight: null, pauseSeconds: 30, status: 'current' },
  { index: 2, kind: 'setWeight', label: 'Set weight 50 %', details: [], weight: 50, pauseSeconds: null, status: 'pending' },
];

function input(overrides: Partial<DiagnosisInput>): DiagnosisInput {
  return {
    phase: 'Progressing',
    message: null,
    abortMessage: null,
    abortedAt: null,
    steps,
    currentStep: 1,
    pauses: [],
    specPaused: false,
    controllerPaused: false,
    revisions: [],
    analysisRuns: [],
    conditions: [],
    replicaSetConditions: [],
    replicas: { desired: 3, updated: 1, ready: 3, available: 3 },
    events: [],
    ...overrides,
  };
}

function pod(name: string, state: PodSummary['state'], reason: string | null, message: string | null = null): PodSummary {
  return { name, state, reason, message, restarts: 0, node: null };
}

function revision(pods: PodSummary[]): RevisionSummary {
  return { revision: 2, podTemplateHash: 'abc', roles: ['canary'], images: ['app:2'], scaledDown: false, scaleDownDeadline: null, createdAt: null, desiredReplicas: pods.length, readyReplicas: 0, availableReplicas: 0, pods };
}

function metric(overrides: Partial<MetricSummary>): MetricSummary {
  return { name: 'error-rate', phase: 'Running', successCondition: 'result[0] < 0.05', failureCondition: null, successful: 3, failed: 0, errors: 0, inconclusive: 0, failureLimit: 0, dryRun: false, message: null, measurements: [], ...overrides };
}

function run(phase: string, metrics: MetricSummary[], kind: AnalysisSummary['kind'] = 'background'): AnalysisSummary {
  return { name: 'checkout-abc-1', phase, message: null, podTemplateHash: 'abc', kind, startedAt: '2026-11-22T10:00:00Z', metrics };
}

const codes = (i: DiagnosisInput) => diagnose(i, 'abc')?.reasons.map((r) => r.code);
const headline = (i: DiagnosisInput) => diagnose(i, 'abc')?.reasons[0];

describe('diagnosis: states that used to fall through to "waiting for the controller"', () => {
  it('InvalidSpec is critical and quotes the controller', () => {
    const r = headline(input({ phase: 'Degraded', conditions: [{ type: 'InvalidSpec', status: 'True', reason: 'InvalidSpec', message: 'The Rollout "x" is invalid: spec.strategy.canary.steps[0].setWeight: Invalid value: 150' }] }));
    expect(r).toMatchObject({ code: 'invalid-spec', severity: 'critical' });
    expect(r?.summary).toContain('setWeight: Invalid value: 150');
  });

  it('a ReplicaSet refused by a quota or an admission webhook names which', () => {
    const quota = headline(input({ replicaSetConditions: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'pods "x" is forbidden: exceeded quota: small, requested: pods=1', replicaSet: 'checkout-abc' }] }));
    expect(quota).toMatchObject({ code: 'replica-failure', severity: 'critical', summary: 'Pods cannot be created: refused by a resource quota' });
    expect(quota?.evidence[0]).toContain('exceeded quota');
    const webhook = headline(input({ replicaSetConditions: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'admission webhook "deny.example.com" denied the request', replicaSet: 'checkout-abc' }] }));
    expect(webhook?.summary).toBe('Pods cannot be created: refused by an admission webhook');
  });

  it('pods nobody can schedule quote the scheduler', () => {
    const r = headline(
      input({
        revisions: [revision([pod('checkout-abc-1', 'pending', 'Unschedulable', '0/3 nodes are available: 3 Too many pods.')])],
        events: [{ metadata: { name: 'e1', namespace: 'shop' }, involvedObject: { kind: 'Pod', name: 'checkout-abc-1' }, reason: 'FailedScheduling', message: '0/3 nodes are available: 3 Too many pods. preemption: 0/3 nodes are available', lastTimestamp: '2026-11-22T10:00:00Z' }],
      }),
    );
    expect(r).toMatchObject({ code: 'unschedulable', severity: 'critical' });
    expect(r?.summary).toBe('1 pod cannot be scheduled: 0/3 nodes are available: 3 Too many pods. preemption: 0/3 nodes are available');
  });

  it('init containers that crash are named as such', () => {
    const r = headline(input({ revisions: [revision([pod('a', 'crashing', 'Init:CrashLoopBackOff', 'init container migrate failing'), pod('b', 'crashing', 'Init:CrashLoopBackOff')])] }));
    expect(r).toMatchObject({ code: 'init-container', severity: 'critical', summary: '2 pods stuck in an init container: Init:CrashLoopBackOff' });
  });

  it('an inconclusive analysis asks a person to decide, at warning level', () => {
    const i = input({ phase: 'Paused', analysisRuns: [run('Inconclusive', [metric({ phase: 'Inconclusive', inconclusive: 1 })])], pauses: [{ reason: 'InconclusiveAnalysisRun', startedAt: '2026-11-22T10:00:00Z', endsAt: null }] });
    expect(codes(i)).toEqual(['analysis-inconclusive', 'analysis-inconclusive']);
    expect(headline(i)?.severity).toBe('warning');
    expect(diagnose(i, 'abc')?.reasons[1]).toMatchObject({ summary: 'Analysis was inconclusive: a person must promote or abort at step 1/3 (Pause 30s)', time: { role: 'since', at: '2026-11-22T10:00:00Z' } });
  });

  it('a pause condition of an unknown kind is a controller pause, not a silent fallback', () => {
    expect(headline(input({ phase: 'Paused', pauses: [{ reason: 'SomethingNew', startedAt: '2026-11-22T10:00:00Z', endsAt: null }] }))).toMatchObject({ code: 'controller-paused', severity: 'warning' });
    expect(headline(input({ controllerPaused: true }))).toMatchObject({ code: 'controller-paused', severity: 'info' });
  });

  it('dry-run metrics are informational and never the reason a rollout is held', () => {
    const i = input({ analysisRuns: [run('Running', [metric({ name: 'latency', dryRun: true, failed: 4, phase: 'Failed' })])] });
    const d = diagnose(i, 'abc');
    expect(d?.reasons.map((r) => [r.code, r.severity])).toEqual([
      ['analysis-dry-run', 'info'],
      ['scaling', 'info'],
    ]);
    expect(d?.headline).toMatch(/^Dry-run metric latency is failing \(informational/);
  });

  it('a metric failing within its failureLimit says how many failures are left', () => {
    const r = headline(input({ analysisRuns: [run('Running', [metric({ failed: 1, failureLimit: 2 })])] }));
    expect(r).toMatchObject({ code: 'metric-failing-within-limit', severity: 'warning' });
    expect(r?.summary).toMatch(/^Metric error-rate failed 1 of the 2 failures it may have: still passing overall/);
    expect(headline(input({ analysisRuns: [run('Running', [metric({ failed: 2, failureLimit: 2 })])] }))?.summary).toMatch(/one more fails the analysis/);
  });

  it('a Rollout past its progress deadline is critical, with the time it happened', () => {
    const r = headline(input({ phase: 'Degraded', conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "x" has timed out progressing.', lastTransitionTime: '2026-11-22T10:00:00Z' }] }));
    expect(r).toMatchObject({ code: 'progress-deadline', severity: 'critical', time: { role: 'since', at: '2026-11-22T10:00:00Z' } });
  });

  it('a Degraded rollout nothing explains is critical, not info', () => {
    expect(headline(input({ phase: 'Degraded', message: 'something odd' }))).toMatchObject({ code: 'waiting-for-controller', severity: 'critical', summary: 'Degraded: something odd' });
  });

  it('timed pauses and rolling out stay at info level; the countdown travels as data', () => {
    const r = headline(input({ phase: 'Paused', pauses: [{ reason: 'CanaryPauseStep', startedAt: '2026-11-22T10:00:00Z', endsAt: '2026-11-22T10:00:30Z' }] }));
    expect(r).toMatchObject({ code: 'timed-pause', severity: 'info', summary: 'Timed pause at step 1/3 (Pause 30s)', time: { role: 'until', at: '2026-11-22T10:00:30Z' } });
    expect(headline(input({}))).toMatchObject({ code: 'scaling', severity: 'info' });
  });

  it('an abort says where the release had got to, or that it is unknown', () => {
    const known = headline(input({ phase: 'Aborted', abortedAt: { known: true, step: 2, total: 3, weight: 50, at: '2026-11-22T10:00:00Z' } }));
    expect(known?.summary).toBe('Aborted at step 2/3 with 50 % on the canary');
    const unknown = headline(input({ phase: 'Aborted', abortedAt: { known: false, step: null, total: 3, weight: null, at: null } }));
    expect(unknown?.summary).toMatch(/step it had reached is unknown/);
  });
});
