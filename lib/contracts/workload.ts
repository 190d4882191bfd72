/**
 * What the server sends the browser about a workload: derived, never raw Kubernetes objects.
 * Shared by both sides of the network; the schemas validate what arrives over the stream.
 */
import { z } from 'zod';
import { AuditSummary } from './actions';

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
  /** Scaled to zero: kept so there is a history to roll back to (shown collapsed). */
  scaledDown: z.boolean(),
  /** Blue-green / dynamic scaling: when the controller will scale this old revision down. */
  scaleDownDeadline: z.string().nullable(),
  createdAt: z.string().nullable(),
  desiredReplicas: z.number().int(),
  readyReplicas: z.number().int(),
  availableReplicas: z.number().int(),
  pods: z.array(PodSummary),
});
export type RevisionSummary = z.infer<typeof RevisionSummary>;

export const StepKind = z.enum(['setWeight', 'pause', 'analysis', 'experiment', 'setCanaryScale', 'setHeaderRoute', 'setMirrorRoute', 'plugin', 'other']);

export const StepSummary = z.object({
  /** Argo's own index: the CLI's "Step 5/11" means steps 0-4 are done and index 5 is current. */
  index: z.number().int(),
  kind: StepKind,
  /** Human label, e.g. "Set weight 25 %", "Pause 15s", "Pause (until promoted)". */
  label: z.string(),
  /** What the step does beyond its label (experiment templates, header match, mirror percentage…). */
  details: z.array(z.string()),
  weight: z.number().nullable(),
  pauseSeconds: z.number().nullable(),
  /** `aborted`: the step the release had reached when it was aborted. */
  status: z.enum(['done', 'current', 'pending', 'aborted']),
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
  /** Failed measurements tolerated before the metric fails (Argo's failureLimit, default 0). */
  failureLimit: z.number().int().nullable(),
  /** Measured but never decides the run: informational only. */
  dryRun: z.boolean(),
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
    'controller-paused',
    'analysis-failing',
    'analysis-inconclusive',
    'analysis-running',
    'analysis-dry-run',
    'metric-failing-within-limit',
    'pods-not-ready',
    'unschedulable',
    'init-container',
    'replica-failure',
    'invalid-spec',
    'progress-deadline',
    'aborted',
    'scaling',
    'waiting-for-controller',
    'unreadable',
  ]),
  severity: z.enum(['info', 'warning', 'critical']),
  summary: z.string(),
  /**
   * A moment the summary refers to, rendered by the viewer in their own clock and locale:
   * `since` → "3 min ago", `until` → a live countdown. Never embedded in the text as ISO.
   */
  time: z.object({ role: z.enum(['since', 'until']), at: z.string() }).nullable(),
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

/**
 * One of the Rollout's own controller events that changed (or marked) the canary weight, read from
 * ALL the events the API server holds for it — not the 25 newest kept in `events`, where pod and
 * ReplicaSet events push them out during a release. `weight` is the desired weight it set, if any.
 */
export const WeightEvent = z.object({
  reason: z.enum(['TrafficWeightUpdated', 'RolloutStepCompleted', 'RolloutAborted', 'SwitchService']),
  message: z.string(),
  at: z.string(),
  from: z.number().nullable(),
  weight: z.number().nullable(),
});
export type WeightEvent = z.infer<typeof WeightEvent>;

export const WorkloadKind = z.enum(['Rollout', 'Deployment']);

export const WorkloadSummary = z.object({
  /** `${cluster}/${kind}/${namespace}/${name}`: stable across the stream and the URL. */
  id: z.string(),
  cluster: z.string(),
  kind: WorkloadKind,
  namespace: z.string(),
  name: z.string(),
  labels: z.record(z.string(), z.string()),
  /** metadata.resourceVersion of the object this summary was derived from (opaque): actions carry it as their precondition. */
  resourceVersion: z.string(),
  /** What an action's decision rests on (lib/rollouts/action-state.ts): actions carry it so a status-only change is not a conflict. */
  actionState: z.string(),
  phase: Phase,
  message: z.string().nullable(),
  strategy: Strategy,
  trafficRouting: z.string().nullable(),
  /** `current` is status.currentStepIndex exactly as Argo's CLI prints it ("5/11"); null when unset. */
  step: z.object({ current: z.number().int().nullable(), total: z.number().int() }),
  steps: z.array(StepSummary),
  /** Argo's SetWeight (GetCurrentSetWeight): 100 once fully promoted, 0 after an abort. */
  desiredWeight: z.number().nullable(),
  /** Argo's ActualWeight: the mesh's canary weight, or the canary's share of available pods. */
  actualWeight: z.number().nullable(),
  /** Where an aborted release had got to, from the controller's events; null unless aborted. */
  abortedAt: z
    .object({
      known: z.boolean(),
      step: z.number().int().nullable(),
      total: z.number().int(),
      weight: z.number().nullable(),
      at: z.string().nullable(),
    })
    .nullable(),
  replicas: z.object({
    desired: z.number().int(),
    /** status.replicas: every pod of every revision (the CLI's "Current"). */
    current: z.number().int(),
    updated: z.number().int(),
    ready: z.number().int(),
    available: z.number().int(),
  }),
  /** Running images with the CLI's tags (stable, canary, active, preview). */
  runningImages: z.array(z.object({ image: z.string(), tags: z.array(z.string()) })),
  /** Blue-green specifics: the two Services and the old revision's scale-down delay. */
  blueGreen: z
    .object({
      activeService: z.string(),
      previewService: z.string().nullable(),
      scaleDownDelaySeconds: z.number().int(),
      autoPromotionEnabled: z.boolean(),
      autoPromotionSeconds: z.number().int().nullable(),
    })
    .nullable(),
  /** workloadRef: the pod template comes from another object (usually a Deployment). */
  templateRef: z.object({ kind: z.string(), name: z.string(), found: z.boolean(), scaleDown: z.string().nullable() }).nullable(),
  revisions: z.array(RevisionSummary),
  pauses: z.array(PauseSummary),
  analysisRuns: z.array(AnalysisSummary),
  conditions: z.array(ConditionSummary),
  hpa: HpaSummary.nullable(),
  events: z.array(EventSummary),
  /** The Rollout's weight changes, step completions, service switches and abort, oldest first (at most 100); [] for a Deployment. */
  weightEvents: z.array(WeightEvent),
  /** Actions taken (or refused) through Aviary on this workload, newest first, the last 20 (its AuditRecords). */
  history: z.array(AuditSummary),
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
