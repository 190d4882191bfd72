import type { AnalysisSummary, MetricSummary } from '@/lib/contracts/workload';
import type { AnalysisRunObject } from './objects';

const KIND_BY_LABEL: Record<string, AnalysisSummary['kind']> = {
  Background: 'background',
  Step: 'step',
  PrePromotion: 'prePromotion',
  PostPromotion: 'postPromotion',
};

/** Keeps the newest measurements of each metric: enough to plot, small enough to stream. */
const MEASUREMENTS_KEPT = 20;

export function summariseAnalysisRun(run: AnalysisRunObject): AnalysisSummary {
  const specByName = new Map((run.spec?.metrics ?? []).map((m) => [m.name, m]));
  const dryRunNames = (run.spec?.dryRun ?? []).map((d) => d.metricName);
  // Argo's dryRun entries name metrics or use ".*" style patterns.
  const isDryRun = (name: string) => dryRunNames.some((pattern) => pattern === name || safeMatch(pattern, name));
  const failureLimitOf = (name: string): number | null => {
    const raw = specByName.get(name)?.failureLimit;
    if (raw === undefined) return 0;
    const value = Number(raw);
    return Number.isInteger(value) ? value : null;
  };
  const metrics: MetricSummary[] = (run.status?.metricResults ?? []).map((result) => {
    const spec = specByName.get(result.name);
    return {
      name: result.name,
      phase: result.phase,
      successCondition: spec?.successCondition ?? null,
      failureCondition: spec?.failureCondition ?? null,
      successful: result.successful ?? 0,
      failed: result.failed ?? 0,
      errors: result.error ?? 0,
      inconclusive: result.inconclusive ?? 0,
      failureLimit: failureLimitOf(result.name),
      dryRun: result.dryRun ?? isDryRun(result.name),
      message: result.message ?? null,
      measurements: (result.measurements ?? []).slice(-MEASUREMENTS_KEPT).map((m) => ({
        phase: m.phase,
        value: m.value ?? null,
        message: m.message ?? null,
        startedAt: m.startedAt ?? null,
        finishedAt: m.finishedAt ?? null,
      })),
    };
  });
  // Metrics that have not been measured yet still belong on screen.
  for (const [name, spec] of specByName) {
    if (metrics.some((m) => m.name === name)) continue;
    metrics.push({
      name,
      phase: 'Pending',
      successCondition: spec.successCondition ?? null,
      failureCondition: spec.failureCondition ?? null,
      successful: 0,
      failed: 0,
      errors: 0,
      inconclusive: 0,
      failureLimit: failureLimitOf(name),
      dryRun: isDryRun(name),
      message: null,
      measurements: [],
    });
  }
  const labels = run.metadata.labels ?? {};
  return {
    name: run.metadata.name,
    phase: run.status?.phase ?? 'Pending',
    message: run.status?.message ?? null,
    podTemplateHash: labels['rollouts-pod-template-hash'] ?? null,
    kind: KIND_BY_LABEL[labels['rollout-type'] ?? ''] ?? 'other',
    startedAt: run.status?.startedAt ?? run.metadata.creationTimestamp ?? null,
    metrics,
  };
}

function safeMatch(pattern: string, name: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`).test(name);
  } catch {
    return false;
  }
}

/** The metric to blame for a failing run: a failed one first, then one in error. */
export function failingMetric(run: AnalysisSummary): MetricSummary | undefined {
  const deciding = run.metrics.filter((m) => !m.dryRun);
  return (
    deciding.find((m) => m.phase === 'Failed') ??
    deciding.find((m) => m.phase === 'Error') ??
    deciding.find((m) => m.phase === 'Inconclusive') ??
    deciding.find((m) => m.failed > 0)
  );
}
