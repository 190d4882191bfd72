import type { AnalysisSummary, Diagnosis, DiagnosisReason, PauseSummary, Phase, RevisionSummary, StepSummary, WorkloadSummary } from '@/lib/contracts/workload';
import { analysisReasons } from './diagnosis-analysis';
import { podReasons } from './diagnosis-pods';
import type { Condition, EventObject } from './objects';

export { formatValue } from './diagnosis-analysis';

export interface DiagnosisInput {
  phase: Phase;
  message: string | null;
  abortMessage: string | null;
  abortedAt: WorkloadSummary['abortedAt'];
  steps: StepSummary[];
  currentStep: number | null;
  pauses: PauseSummary[];
  specPaused: boolean;
  controllerPaused: boolean;
  revisions: RevisionSummary[];
  analysisRuns: AnalysisSummary[];
  conditions: Condition[];
  replicaSetConditions: (Condition & { replicaSet: string })[];
  replicas: { desired: number; updated: number; ready: number; available: number };
  events: EventObject[];
}

const SEVERITY_ORDER = { critical: 0, warning: 1, info: 2 } as const;

/** Argo's numbering, as its CLI prints it: "step 5/11" with index 5 current. */
function stepAt(input: Pick<DiagnosisInput, 'steps' | 'currentStep'>): string {
  if (input.currentStep === null || input.steps.length === 0) return '';
  const step = input.steps[input.currentStep];
  return step ? ` at step ${input.currentStep}/${input.steps.length} (${step.label})` : ' after the last step';
}

type Reason = Omit<DiagnosisReason, 'time'> & { time?: DiagnosisReason['time'] };
const reason = (r: Reason): DiagnosisReason => ({ time: null, ...r });

function abortReason(input: DiagnosisInput): DiagnosisReason {
  const where = input.abortedAt;
  let at = '';
  if (where && where.total > 0) {
    at = where.known && where.step !== null ? ` at step ${where.step}/${where.total} with ${where.weight ?? 0} % on the canary` : ' (the step it had reached is unknown: no step-completed event of this release is left)';
  }
  return reason({
    code: 'aborted',
    severity: 'critical',
    summary: `Aborted${at}${input.abortMessage ? `: ${input.abortMessage}` : ''}`,
    time: where?.at ? { role: 'since', at: where.at } : null,
    evidence: [input.message ?? 'status.abort is set'],
  });
}

function conditionReasons(input: DiagnosisInput): DiagnosisReason[] {
  const reasons: DiagnosisReason[] = [];
  const invalid = input.conditions.find((c) => c.type === 'InvalidSpec' && c.status === 'True');
  if (invalid) {
    reasons.push(reason({ code: 'invalid-spec', severity: 'critical', summary: `Invalid spec: ${invalid.message ?? 'the controller rejected the spec'}`, evidence: ['condition InvalidSpec is True: the controller will not act on this rollout until the spec is fixed'] }));
  }
  const deadline = input.conditions.find((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded');
  if (deadline) {
    reasons.push(reason({ code: 'progress-deadline', severity: 'critical', summary: 'Progress deadline exceeded', time: deadline.lastTransitionTime ? { role: 'since', at: deadline.lastTransitionTime } : null, evidence: [deadline.message ?? ''] }));
  }
  const failures = input.replicaSetConditions.filter((c) => c.type === 'ReplicaFailure' && c.status === 'True');
  const createErrors = input.conditions.filter((c) => c.reason === 'ReplicaSetCreateError');
  for (const failure of failures) {
    const what = /quota/i.test(failure.message ?? '') ? 'a resource quota' : /webhook|admission/i.test(failure.message ?? '') ? 'an admission webhook' : 'the API server';
    reasons.push(reason({ code: 'replica-failure', severity: 'critical', summary: `Pods cannot be created: refused by ${what}`, evidence: [`ReplicaSet ${failure.replicaSet}: ${failure.reason ?? 'FailedCreate'}: ${failure.message ?? ''}`] }));
  }
  for (const error of createErrors) {
    reasons.push(reason({ code: 'replica-failure', severity: 'critical', summary: 'The controller cannot create the new ReplicaSet', evidence: [error.message ?? error.reason ?? ''] }));
  }
  return reasons;
}

function pauseReasons(input: DiagnosisInput): DiagnosisReason[] {
  const reasons: DiagnosisReason[] = [];
  for (const pause of input.pauses) {
    if (pause.reason === 'InconclusiveAnalysisRun' || pause.reason === 'InconclusiveExperiment') {
      const what = pause.reason === 'InconclusiveExperiment' ? 'An experiment' : 'Analysis';
      reasons.push(reason({ code: 'analysis-inconclusive', severity: 'warning', summary: `${what} was inconclusive: a person must promote or abort${stepAt(input)}`, time: { role: 'since', at: pause.startedAt }, evidence: [`pause condition ${pause.reason}`] }));
    } else if (pause.endsAt) {
      reasons.push(reason({ code: 'timed-pause', severity: 'info', summary: `Timed pause${stepAt(input)}`, time: { role: 'until', at: pause.endsAt }, evidence: [`pause condition ${pause.reason}`] }));
    } else if (pause.reason === 'CanaryPauseStep' || pause.reason === 'BlueGreenPause') {
      const what = pause.reason === 'BlueGreenPause' ? 'Waiting for a manual promotion of the preview' : `Waiting for a manual promotion${stepAt(input)}`;
      reasons.push(reason({ code: 'manual-promotion', severity: 'warning', summary: what, time: { role: 'since', at: pause.startedAt }, evidence: [`pause condition ${pause.reason}`] }));
    } else {
      reasons.push(reason({ code: 'controller-paused', severity: 'warning', summary: `Paused by the controller: ${pause.reason}`, time: { role: 'since', at: pause.startedAt }, evidence: [`pause condition ${pause.reason}`] }));
    }
  }
  if (input.specPaused) {
    reasons.push(reason({ code: 'paused', severity: 'warning', summary: 'Paused by a user (spec.paused is true)', evidence: ['spec.paused: true — resume to continue'] }));
  }
  if (input.controllerPaused && input.pauses.length === 0 && !input.specPaused) {
    reasons.push(reason({ code: 'controller-paused', severity: 'info', summary: 'Resuming: the pause was cleared and the controller has not acted on it yet', evidence: ['status.controllerPause is true with no pause condition'] }));
  }
  return reasons;
}

function fallback(input: DiagnosisInput): DiagnosisReason {
  const r = input.replicas;
  if (input.phase === 'Progressing') {
    return reason({ code: 'scaling', severity: 'info', summary: `Rolling out: ${r.updated}/${r.desired} updated, ${r.available}/${r.desired} available`, evidence: [input.message ?? 'the controller is progressing'] });
  }
  // A state nothing above explains is still reported at the weight its phase carries.
  const severity = input.phase === 'Degraded' || input.phase === 'Aborted' ? 'critical' : input.phase === 'Paused' ? 'warning' : 'info';
  return reason({ code: 'waiting-for-controller', severity, summary: input.message ? `${input.phase}: ${input.message}` : `${input.phase}, with no reason given by the controller`, evidence: [] });
}

/** "Why is it stuck?" in plain words, each reason with the evidence behind it. Null when Healthy. */
export function diagnose(input: DiagnosisInput, currentHash: string | null): Diagnosis | null {
  if (input.phase === 'Healthy') return null;
  const reasons: DiagnosisReason[] = [];
  if (input.phase === 'Aborted') reasons.push(abortReason(input));
  reasons.push(...conditionReasons(input));
  reasons.push(...analysisReasons(input.analysisRuns, currentHash));
  reasons.push(...pauseReasons(input));
  reasons.push(...podReasons(input.revisions, input.events));
  // Dry-run results are informational: they never explain on their own why a rollout is not Healthy.
  if (!reasons.some((r) => r.code !== 'analysis-dry-run')) reasons.push(fallback(input));
  reasons.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  return { headline: reasons[0].summary, reasons };
}
