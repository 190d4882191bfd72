import type { AnalysisSummary, Diagnosis, DiagnosisReason, PauseSummary, Phase, RevisionSummary, StepSummary } from '@/lib/contracts/workload';
import { failingMetric } from './analysis';
import type { Condition } from './objects';

export interface DiagnosisInput {
  phase: Phase;
  message: string | null;
  abortMessage: string | null;
  steps: StepSummary[];
  currentStep: number | null;
  pauses: PauseSummary[];
  specPaused: boolean;
  revisions: RevisionSummary[];
  analysisRuns: AnalysisSummary[];
  conditions: Condition[];
  replicas: { desired: number; updated: number; ready: number; available: number };
}

/** Argo records vector results as "[0.12]"; four significant digits are plenty to read. */
export function formatValue(value: string): string {
  const inner = value.replace(/^\[|\]$/g, '');
  const parts = inner.split(',').map((p) => p.trim());
  const numbers = parts.map(Number);
  if (parts.length === 0 || numbers.some((n) => !Number.isFinite(n))) return value;
  const text = numbers.map((n) => String(Number(n.toPrecision(4)))).join(', ');
  return parts.length === 1 ? text : `[${text}]`;
}

const SEVERITY_ORDER = { critical: 0, warning: 1, info: 2 } as const;

function stepText(input: DiagnosisInput): string {
  if (input.currentStep === null || input.steps.length === 0) return '';
  const step = input.steps[input.currentStep];
  return step ? ` at step ${input.currentStep + 1}/${input.steps.length} (${step.label})` : ' after the last step';
}

function lastValue(metric: NonNullable<ReturnType<typeof failingMetric>>): string {
  const last = [...metric.measurements].reverse().find((m) => m.value !== null || m.message !== null);
  if (!last) return 'no measurement yet';
  return last.value !== null ? `last value ${formatValue(last.value)}` : `last error: ${last.message}`;
}

function analysisReasons(input: DiagnosisInput, currentHash: string | null): DiagnosisReason[] {
  const reasons: DiagnosisReason[] = [];
  const relevant = input.analysisRuns.filter((run) => currentHash === null || run.podTemplateHash === currentHash);
  for (const run of relevant) {
    if (run.phase === 'Failed' || run.phase === 'Error' || run.phase === 'Inconclusive') {
      const metric = failingMetric(run);
      const condition = metric?.successCondition ? ` vs success condition ${metric.successCondition}` : '';
      reasons.push({
        code: 'analysis-failing',
        severity: 'critical',
        summary: metric
          ? `Analysis ${run.phase.toLowerCase()}: metric ${metric.name}, ${lastValue(metric)}${condition}`
          : `Analysis ${run.name} ${run.phase.toLowerCase()}`,
        evidence: [
          `AnalysisRun ${run.name}: ${run.phase}${run.message ? ` — ${run.message}` : ''}`,
          ...(metric ? [`${metric.name}: ${metric.failed} failed, ${metric.errors} errors, ${metric.successful} successful measurements`] : []),
        ],
      });
    } else if (run.phase === 'Running') {
      const failing = run.metrics.filter((m) => m.failed > 0 || m.phase === 'Failed');
      if (failing.length > 0) {
        const metric = failing[0];
        reasons.push({
          code: 'analysis-failing',
          severity: 'warning',
          summary: `Analysis is seeing failures: metric ${metric.name}, ${lastValue(metric)}${metric.successCondition ? ` vs ${metric.successCondition}` : ''}`,
          evidence: failing.map((m) => `${m.name}: ${m.failed} failed of ${m.failed + m.successful} measured`),
        });
      } else if (run.kind === 'step' || run.kind === 'prePromotion') {
        reasons.push({
          code: 'analysis-running',
          severity: 'info',
          summary: `Waiting for ${run.kind === 'step' ? 'step' : 'pre-promotion'} analysis ${run.name}`,
          evidence: run.metrics.map((m) => `${m.name}: ${m.successful} successful, ${m.failed} failed`),
        });
      }
    }
  }
  return reasons;
}

function podReasons(input: DiagnosisInput): DiagnosisReason[] {
  const groups = new Map<string, string[]>();
  for (const revision of input.revisions) {
    for (const pod of revision.pods) {
      if (pod.state === 'ready' || pod.state === 'succeeded' || pod.state === 'terminating') continue;
      const key = pod.reason ?? pod.state;
      groups.set(key, [...(groups.get(key) ?? []), pod.name]);
    }
  }
  const severe = new Set(['CrashLoopBackOff', 'OOMKilled', 'ImagePullBackOff', 'ErrImagePull', 'Unschedulable', 'Failed']);
  return [...groups.entries()].map(([reason, pods]) => ({
    code: 'pods-not-ready' as const,
    severity: severe.has(reason) ? ('critical' as const) : ('warning' as const),
    summary: `${pods.length} pod${pods.length === 1 ? '' : 's'} not ready: ${reason}`,
    evidence: pods.slice(0, 10).map((name) => {
      const pod = input.revisions.flatMap((r) => r.pods).find((p) => p.name === name);
      return `${name}${pod?.message ? `: ${pod.message}` : ''}${pod && pod.restarts > 0 ? ` (${pod.restarts} restarts)` : ''}`;
    }),
  }));
}

/** "Why is it stuck?" in plain words, each reason with the evidence behind it. Null when Healthy. */
export function diagnose(input: DiagnosisInput, currentHash: string | null): Diagnosis | null {
  if (input.phase === 'Healthy') return null;
  const reasons: DiagnosisReason[] = [];

  if (input.phase === 'Aborted') {
    reasons.push({
      code: 'aborted',
      severity: 'critical',
      summary: `Aborted${input.abortMessage ? `: ${input.abortMessage}` : ''}`,
      evidence: [input.message ?? 'status.abort is set'],
    });
  }

  const deadline = input.conditions.find((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded');
  if (deadline) {
    reasons.push({ code: 'progress-deadline', severity: 'critical', summary: 'Progress deadline exceeded', evidence: [deadline.message ?? ''] });
  }

  reasons.push(...analysisReasons(input, currentHash));

  for (const pause of input.pauses) {
    if (pause.endsAt) {
      reasons.push({
        code: 'timed-pause',
        severity: 'info',
        summary: `Timed pause${stepText(input)}, resumes at ${pause.endsAt}`,
        evidence: [`${pause.reason} since ${pause.startedAt}`, `ends at ${pause.endsAt}`],
      });
    } else {
      const what = pause.reason === 'BlueGreenPause' ? 'Waiting for a manual promotion of the preview' : `Waiting for a manual promotion${stepText(input)}`;
      reasons.push({ code: 'manual-promotion', severity: 'warning', summary: `${what} since ${pause.startedAt}`, evidence: [`pause condition ${pause.reason} since ${pause.startedAt}`] });
    }
  }
  if (input.specPaused && input.pauses.length === 0) {
    reasons.push({ code: 'paused', severity: 'warning', summary: 'Paused by a user (spec.paused is true)', evidence: ['spec.paused: true'] });
  }

  reasons.push(...podReasons(input));

  if (reasons.length === 0 && input.phase === 'Progressing') {
    const r = input.replicas;
    reasons.push({
      code: 'scaling',
      severity: 'info',
      summary: `Rolling out: ${r.updated}/${r.desired} updated, ${r.available}/${r.desired} available`,
      evidence: [input.message ?? 'the controller is progressing'],
    });
  }
  if (reasons.length === 0) {
    reasons.push({ code: 'waiting-for-controller', severity: 'info', summary: input.message ?? input.phase, evidence: [] });
  }
  reasons.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  return { headline: reasons[0].summary, reasons };
}
