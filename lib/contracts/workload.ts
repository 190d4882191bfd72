/**
 * What the server sends the browser about a workload: derived, never raw Kubernetes objects.
 * Shared by both sides of the network; the schemas validate what arrives over the stream.
 */
import { z } from 'zod';

export const Phase = z.enum(['Healthy', 'Progressing', 'Paused', 'Degraded', 'Aborted']);
export type Phase = z.infer<typeof Phase>;

export const Strategy = z.enum(['canary', 'blueGreen', 'rollingUpdate', 'recreate']);
export type Strategy = z.infer<typeof Strategy>;

export const PodState = z.enum(['ready', 'starting', 'crashing', 'pending', 'terminating', 'failed', 'succeeded']);
export type PodState = z.infer<typeof PodState>;

export const PodSummary = z.object({
  name: z.string(),
  state: PodState,
  /** Why it is not ready, in Kubernetes' own words (CrashLoopBackOff, ImagePullBackOff, OOMKilled…). */
  reason: z.string().nullable(),
  message: z.string().nullable(),
  restarts: z.number().int(),
  node: z.string().nullable(),
});
export type PodSummary = z.infer<typeof PodSummary>;

export const RevisionRole = z.enum(['stable', 'canary', 'active', 'preview', 'old']);
export type RevisionRole = z.infer<typeof RevisionRole>;

export const RevisionSummary = z.object({
  revision: z.number().int().nullable(),
  podTemplateHash: z.string(),
  roles: z.array(RevisionRole),
  images: z.array(z.string()),
  desiredReplicas: z.number().int(),
  readyReplicas: z.number().int(),
  availableReplicas: z.number().int(),
  pods: z.array(PodSummary),
});
export type RevisionSummary = z.infer<typeof RevisionSummary>;

export const StepKind = z.enum(['setWeight', 'pause', 'analysis', 'experiment', 'setCanaryScale', 'other']);

export const StepSummary = z.object({
  index: z.number().int(),
  kind: StepKind,
  /** Human label, e.g. "Set weight 25 %", "Pause 15s", "Pause (until promoted)". */
  label: z.string(),
  weight: z.number().nullable(),
  pauseSeconds: z.number().nullable(),
  status: z.enum(['done', 'current', 'pending']),
});
export type StepSummary = z.infer<typeof StepSummary>;

export const PauseSummary = z.object({
  reason: z.string(),
  startedAt: z.string(),
  /** End of a timed pause; null for a pause that waits for a person. */
  endsAt: z.string().nullable(),
});
export type PauseSummary = z.infer<typeof PauseSummary>;

export const MeasurementSummary = z.object({
  phase: z.string(),
  value: z.string().nullable(),
  message: z.string().nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});

export const MetricSummary = z.object({
  name: z.string(),
  phase: z.string(),
  successCondition: z.string().nullable(),
  failureCondition: z.string().nullable(),
  successful: z.number().int(),
  failed: z.number().int(),
  errors: z.number().int(),
  inconclusive: z.number().int(),
  message: z.string().nullable(),
  measurements: z.array(MeasurementSummary),
});
export type MetricSummary = z.infer<typeof MetricSummary>;

export const AnalysisSummary = z.object({
  name: z.string(),
  phase: z.string(),
  message: z.string().nullable(),
  podTemplateHash: z.string().nullable(),
  kind: z.enum(['background', 'step', 'prePromotion', 'postPromotion', 'other']),
  startedAt: z.string().nullable(),
  metrics: z.array(MetricSummary),
});
export type AnalysisSummary = z.infer<typeof AnalysisSummary>;

export const ConditionSummary = z.object({
  type: z.string(),
  status: z.string(),
  reason: z.string().nullable(),
  message: z.string().nullable(),
  lastTransitionTime: z.string().nullable(),
});

export const DiagnosisReason = z.object({
  code: z.enum([
    'manual-promotion',
    'timed-pause',
    'paused',
    'analysis-failing',
    'analysis-running',
    'pods-not-ready',
    'progress-deadline',
    'aborted',
    'scaling',
    'waiting-for-controller',
  ]),
  severity: z.enum(['info', 'warning', 'critical']),
  summary: z.string(),
  evidence: z.array(z.string()),
});
export type DiagnosisReason = z.infer<typeof DiagnosisReason>;

export const Diagnosis = z.object({ headline: z.string(), reasons: z.array(DiagnosisReason) });
export type Diagnosis = z.infer<typeof Diagnosis>;

export const HpaSummary = z.object({
  name: z.string(),
  minReplicas: z.number().int(),
  maxReplicas: z.number().int(),
  currentReplicas: z.number().int().nullable(),
  desiredReplicas: z.number().int().nullable(),
  target: z.string().nullable(),
  current: z.string().nullable(),
  problem: z.string().nullable(),
});

export const EventSummary = z.object({
  type: z.string(),
  reason: z.string(),
  message: z.string(),
  object: z.string(),
  count: z.number().int(),
  lastSeen: z.string().nullable(),
});
export type EventSummary = z.infer<typeof EventSummary>;

export const WorkloadKind = z.enum(['Rollout', 'Deployment']);

export const WorkloadSummary = z.object({
  /** `${cluster}/${kind}/${namespace}/${name}`: stable across the stream and the URL. */
  id: z.string(),
  cluster: z.string(),
  kind: WorkloadKind,
  namespace: z.string(),
  name: z.string(),
  labels: z.record(z.string(), z.string()),
  phase: Phase,
  message: z.string().nullable(),
  strategy: Strategy,
  trafficRouting: z.string().nullable(),
  step: z.object({ current: z.number().int().nullable(), total: z.number().int() }),
  steps: z.array(StepSummary),
  desiredWeight: z.number().nullable(),
  actualWeight: z.number().nullable(),
  replicas: z.object({ desired: z.number().int(), updated: z.number().int(), ready: z.number().int(), available: z.number().int() }),
  revisions: z.array(RevisionSummary),
  pauses: z.array(PauseSummary),
  analysisRuns: z.array(AnalysisSummary),
  conditions: z.array(ConditionSummary),
  hpa: HpaSummary.nullable(),
  events: z.array(EventSummary),
  diagnosis: Diagnosis.nullable(),
  images: z.array(z.string()),
  createdAt: z.string().nullable(),
  /** Kubernetes services that carry canary (or preview) and stable (or active) traffic, when the strategy names them. */
  services: z.object({ canary: z.string().nullable(), stable: z.string().nullable() }),
  /** `aviary.dev/metrics-profile` annotation: which metric profile charts this workload. */
  metricsProfile: z.string().nullable(),
  /** Set when Aviary could not derive this workload from its objects; the rest is its last good summary. */
  derivationError: z.string().nullable(),
});
export type WorkloadSummary = z.infer<typeof WorkloadSummary>;
