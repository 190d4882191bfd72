import type { AnalysisSummary, DiagnosisReason, MetricSummary } from '@/lib/contracts/workload';
import { failingMetric } from './analysis';

/** Argo records vector results as "[0.12]"; four significant digits are plenty to read. */
export function formatValue(value: string): string {
  const inner = value.replace(/^\[|\]$/g, '');
  const parts = inner.split(',').map((p) => p.trim());
  const numbers = parts.map(Number);
  if (parts.length === 0 || numbers.some((n) => !Number.isFinite(n))) return value;
  const text = numbers.map((n) => String(Number(n.toPrecision(4)))).join(', ');
  return parts.length === 1 ? text : `[${text}]`;
}

function lastValue(metric: MetricSummary): string {
  const last = [...metric.measurements].reverse().find((m) => m.value !== null || m.message !== null);
  if (!last) return 'no measurement yet';
  return last.value !== null ? `last value ${formatValue(last.value)}` : `last error: ${last.message}`;
}

const condition = (metric: MetricSummary) => (metric.successCondition ? ` vs success condition ${metric.successCondition}` : '');

function completedRunReason(run: AnalysisSummary): DiagnosisReason {
  const metric = failingMetric(run);
  const inconclusive = run.phase === 'Inconclusive';
  return {
    code: inconclusive ? 'analysis-inconclusive' : 'analysis-failing',
    severity: inconclusive ? 'warning' : 'critical',
    summary: metric
      ? `Analysis ${run.phase.toLowerCase()}: metric ${metric.name}, ${lastValue(metric)}${condition(metric)}`
      : `Analysis ${run.name} ${run.phase.toLowerCase()}`,
    time: null,
    evidence: [
      `AnalysisRun ${run.name}: ${run.phase}${run.message ? ` — ${run.message}` : ''}`,
      ...(metric ? [`${metric.name}: ${metric.failed} failed, ${metric.inconclusive} inconclusive, ${metric.errors} errors, ${metric.successful} successful measurements`] : []),
    ],
  };
}

function runningRunReasons(run: AnalysisSummary): DiagnosisReason[] {
  const reasons: DiagnosisReason[] = [];
  const deciding = run.metrics.filter((m) => !m.dryRun);
  const failing = deciding.filter((m) => m.failed > 0 || m.phase === 'Failed');
  for (const metric of failing) {
    const limit = metric.failureLimit;
    const within = limit !== null && limit >= 0 && metric.failed <= limit && metric.phase !== 'Failed';
    reasons.push({
      code: within ? 'metric-failing-within-limit' : 'analysis-failing',
      severity: 'warning',
      summary: within
        ? `Metric ${metric.name} failed ${metric.failed} of the ${limit} failure${limit === 1 ? '' : 's'} it may have: ${metric.failed === limit ? 'one more fails the analysis' : 'still passing overall'} (${lastValue(metric)}${condition(metric)})`
        : `Analysis is seeing failures: metric ${metric.name}, ${lastValue(metric)}${condition(metric)}`,
      time: null,
      evidence: [`${metric.name}: ${metric.failed} failed of ${metric.failed + metric.successful} measured${limit !== null ? `, failureLimit ${limit}` : ''}`],
    });
  }
  if (failing.length === 0 && (run.kind === 'step' || run.kind === 'prePromotion' || run.kind === 'postPromotion')) {
    const label = run.kind === 'step' ? 'step' : run.kind === 'prePromotion' ? 'pre-promotion' : 'post-promotion';
    reasons.push({
      code: 'analysis-running',
      severity: 'info',
      summary: `Waiting for ${label} analysis ${run.name}`,
      time: run.startedAt ? { role: 'since', at: run.startedAt } : null,
      evidence: deciding.map((m) => `${m.name}: ${m.successful} successful, ${m.failed} failed`),
    });
  }
  return reasons;
}

function dryRunReasons(run: AnalysisSummary): DiagnosisReason[] {
  return run.metrics
    .filter((m) => m.dryRun && (m.failed > 0 || m.phase === 'Failed' || m.phase === 'Error'))
    .map((metric) => ({
      code: 'analysis-dry-run' as const,
      severity: 'info' as const,
      summary: `Dry-run metric ${metric.name} is failing (informational: it does not decide the analysis)`,
      time: null,
      evidence: [`${metric.name}: ${metric.failed} failed, ${lastValue(metric)}${condition(metric)}`],
    }));
}

/** Reasons from the analysis runs of the current revision (older revisions' runs no longer matter). */
export function analysisReasons(runs: AnalysisSummary[], currentHash: string | null): DiagnosisReason[] {
  const reasons: DiagnosisReason[] = [];
  for (const run of runs.filter((r) => currentHash === null || r.podTemplateHash === currentHash)) {
    if (run.phase === 'Failed' || run.phase === 'Error' || run.phase === 'Inconclusive') reasons.push(completedRunReason(run));
    else if (run.phase === 'Running' || run.phase === 'Pending') reasons.push(...runningRunReasons(run));
    reasons.push(...dryRunReasons(run));
  }
  return reasons;
}
