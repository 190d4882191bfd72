/**
 * The Kubernetes objects derivation reads, as plain JSON (what the API server sends: timestamps
 * are strings, resourceVersions opaque). Only the fields Aviary uses are typed.
 */

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { kind: string; name: string; uid: string; controller?: boolean }[];
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
}

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastUpdateTime?: string;
}

export interface Container {
  name: string;
  image?: string;
}

export interface PodTemplate {
  metadata?: { labels?: Record<string, string> };
  spec?: { containers: Container[]; initContainers?: Container[] };
}

export interface HeaderMatch {
  headerName?: string;
  headerValue?: { exact?: string; prefix?: string; regex?: string };
  value?: { exact?: string; prefix?: string; regex?: string };
}

export interface CanaryStep {
  setWeight?: number;
  pause?: { duration?: string | number };
  analysis?: {
    templates?: { templateName?: string; clusterScope?: boolean }[];
    args?: { name: string; value?: string; valueFrom?: unknown }[];
  };
  experiment?: {
    duration?: string | number;
    templates?: { name: string; specRef: string; replicas?: number; weight?: number }[];
    analyses?: { name: string; templateName?: string; requiredForCompletion?: boolean }[];
  };
  setCanaryScale?: { weight?: number; replicas?: number; matchTrafficWeight?: boolean };
  setHeaderRoute?: { name: string; match?: HeaderMatch[] };
  setMirrorRoute?: { name: string; percentage?: number; match?: Record<string, unknown>[] };
  plugin?: { name?: string; config?: unknown };
}

export interface RolloutObject extends KubeObject {
  spec: {
    replicas?: number;
    paused?: boolean;
    progressDeadlineSeconds?: number;
    progressDeadlineAbort?: boolean;
    selector?: { matchLabels?: Record<string, string> };
    template?: PodTemplate;
    workloadRef?: { kind: string; name: string; apiVersion?: string; scaleDown?: string };
    strategy: {
      canary?: {
        canaryService?: string;
        stableService?: string;
        trafficRouting?: Record<string, unknown> & { maxTrafficWeight?: number };
        steps?: CanaryStep[];
        dynamicStableScale?: boolean;
        analysis?: { templates?: { templateName?: string }[]; startingStep?: number };
      };
      blueGreen?: {
        activeService: string;
        previewService?: string;
        autoPromotionEnabled?: boolean;
        autoPromotionSeconds?: number;
        scaleDownDelaySeconds?: number;
      };
    };
  };
  status?: {
    phase?: string;
    message?: string;
    abort?: boolean;
    abortedAt?: string;
    promoteFull?: boolean;
    pauseConditions?: { reason: string; startTime: string }[] | null;
    controllerPause?: boolean;
    currentPodHash?: string;
    stableRS?: string;
    currentStepIndex?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    observedGeneration?: string;
    workloadObservedGeneration?: string;
    conditions?: Condition[];
    canary?: {
      weights?: {
        canary?: { weight?: number; podTemplateHash?: string; serviceName?: string };
        stable?: { weight?: number; podTemplateHash?: string; serviceName?: string };
      };
      currentStepAnalysisRunStatus?: { name: string; status: string; message?: string };
      currentBackgroundAnalysisRunStatus?: { name: string; status: string; message?: string };
    };
    blueGreen?: {
      activeSelector?: string;
      previewSelector?: string;
      prePromotionAnalysisRunStatus?: { name: string; status: string; message?: string };
      postPromotionAnalysisRunStatus?: { name: string; status: string; message?: string };
    };
  };
}

export interface ReplicaSetObject extends KubeObject {
  spec?: { replicas?: number; template?: PodTemplate };
  status?: { replicas?: number; readyReplicas?: number; availableReplicas?: number; conditions?: Condition[] };
}

export interface ContainerStatus {
  name: string;
  image?: string;
  ready?: boolean;
  restartCount?: number;
  state?: {
    waiting?: { reason?: string; message?: string };
    running?: { startedAt?: string };
    terminated?: { reason?: string; exitCode?: number; message?: string };
  };
  lastState?: { terminated?: { reason?: string; exitCode?: number; finishedAt?: string } };
}

export interface PodObject extends KubeObject {
  spec?: { nodeName?: string; containers?: Container[] };
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    conditions?: Condition[];
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
    startTime?: string;
  };
}

export interface Measurement {
  phase: string;
  value?: string;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
}

export interface AnalysisRunObject extends KubeObject {
  spec?: {
    metrics?: { name: string; successCondition?: string; failureCondition?: string; interval?: string; count?: number | string; failureLimit?: number | string; provider?: Record<string, unknown> }[];
    args?: { name: string; value?: string }[];
    dryRun?: { metricName: string }[];
  };
  status?: {
    phase?: string;
    message?: string;
    startedAt?: string;
    metricResults?: {
      name: string;
      phase: string;
      message?: string;
      measurements?: Measurement[];
      count?: number;
      successful?: number;
      failed?: number;
      inconclusive?: number;
      error?: number;
      consecutiveError?: number;
      dryRun?: boolean;
    }[];
  };
}

export interface DeploymentObject extends KubeObject {
  spec: {
    replicas?: number;
    paused?: boolean;
    progressDeadlineSeconds?: number;
    selector?: { matchLabels?: Record<string, string> };
    template?: PodTemplate;
    strategy?: { type?: string; rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string } };
  };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    unavailableReplicas?: number;
    conditions?: Condition[];
  };
}

export interface HpaObject extends KubeObject {
  spec: {
    scaleTargetRef: { kind: string; name: string; apiVersion?: string };
    minReplicas?: number;
    maxReplicas: number;
    metrics?: { type: string; resource?: { name: string; target: { type: string; averageUtilization?: number } } }[];
  };
  status?: {
    currentReplicas?: number;
    desiredReplicas?: number;
    currentMetrics?: { type: string; resource?: { name: string; current: { averageUtilization?: number } } }[] | null;
    conditions?: Condition[];
  };
}

export interface EventObject extends KubeObject {
  involvedObject: { kind: string; name: string; namespace?: string; uid?: string };
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  source?: { component?: string };
}

export interface ServiceObject extends KubeObject {
  spec?: { selector?: Record<string, string> };
}

/** aviary.dev/v1alpha1 AuditRecord (deploy/crds/auditrecords.aviary.dev.yaml): one action and what became of it. */
export interface AuditRecordObject extends KubeObject {
  spec?: {
    user?: string;
    groups?: string[];
    action?: string;
    target?: { cluster?: string; kind?: string; namespace?: string; name?: string; uid?: string };
    revision?: number | null;
    step?: number | null;
    reason?: string | null;
    result?: string;
    message?: string | null;
    description?: string | null;
    time?: string;
    /** 'aviary' for what Aviary did by itself (a runbook hook); absent or 'person' for people's actions. */
    actor?: string;
    runbook?: { hook?: string; kind?: string | null; method?: string | null; host?: string | null; flag?: string | null; instruction?: string | null; environmentKey?: string | null; status?: number | null; attempts?: number };
  };
}
