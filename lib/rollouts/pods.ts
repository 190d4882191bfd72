import type { PodSummary } from '@/lib/contracts/workload';
import type { PodObject } from './objects';

const PULL_REASONS = new Set(['ImagePullBackOff', 'ErrImagePull', 'InvalidImageName', 'ErrImageNeverPull']);

/** One pod reduced to what an on-call engineer needs: its state and, when not ready, why. */
export function summarisePod(pod: PodObject): PodSummary {
  const statuses = pod.status?.containerStatuses ?? [];
  const restarts = statuses.reduce((sum, c) => sum + (c.restartCount ?? 0), 0);
  const base = { name: pod.metadata.name, restarts, node: pod.spec?.nodeName ?? null };
  const conditions = pod.status?.conditions ?? [];
  const ready = conditions.some((c) => c.type === 'Ready' && c.status === 'True');

  if (pod.metadata.deletionTimestamp) return { ...base, state: 'terminating', reason: 'Terminating', message: null };
  if (pod.status?.phase === 'Succeeded') return { ...base, state: 'succeeded', reason: null, message: null };
  if (pod.status?.phase === 'Failed') {
    return { ...base, state: 'failed', reason: pod.status.reason ?? 'Failed', message: pod.status.message ?? null };
  }

  // Init containers run first: a failing one keeps the pod in Init:… and explains everything after.
  const inits = pod.status?.initContainerStatuses ?? [];
  for (const c of inits) {
    const waiting = c.state?.waiting;
    const terminated = c.state?.terminated;
    if (waiting?.reason === 'CrashLoopBackOff' || (terminated && terminated.exitCode !== 0 && terminated.exitCode !== undefined)) {
      const last = c.lastState?.terminated ?? terminated;
      const lastExit = last ? ` (last exit: ${last.reason ?? 'Error'}${last.exitCode !== undefined ? `, code ${last.exitCode}` : ''})` : '';
      return { ...base, restarts: restarts + inits.reduce((n, i) => n + (i.restartCount ?? 0), 0), state: 'crashing', reason: `Init:${waiting?.reason ?? 'Error'}`, message: `init container ${c.name} failing${lastExit}` };
    }
    if (waiting?.reason && PULL_REASONS.has(waiting.reason)) {
      return { ...base, state: 'pending', reason: `Init:${waiting.reason}`, message: waiting.message ?? null };
    }
  }

  for (const c of statuses) {
    const waiting = c.state?.waiting;
    if (waiting?.reason === 'CrashLoopBackOff') {
      const last = c.lastState?.terminated;
      const lastExit = last ? ` (last exit: ${last.reason ?? 'Error'}${last.exitCode !== undefined ? `, code ${last.exitCode}` : ''})` : '';
      return { ...base, state: 'crashing', reason: last?.reason === 'OOMKilled' ? 'OOMKilled' : 'CrashLoopBackOff', message: `${c.name}: back-off restarting${lastExit}` };
    }
    if (waiting?.reason && PULL_REASONS.has(waiting.reason)) {
      return { ...base, state: 'pending', reason: waiting.reason, message: waiting.message ?? null };
    }
  }

  const scheduled = conditions.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False') {
    return { ...base, state: 'pending', reason: scheduled.reason ?? 'Unschedulable', message: scheduled.message ?? null };
  }
  if (ready) return { ...base, state: 'ready', reason: null, message: null };
  if (pod.status?.phase === 'Running') {
    const notReady = statuses.find((c) => c.state?.running && !c.ready);
    return {
      ...base,
      state: 'starting',
      reason: notReady ? 'ReadinessProbeFailing' : 'ContainersNotReady',
      message: notReady ? `${notReady.name} is running but not ready` : null,
    };
  }
  const waiting = statuses.find((c) => c.state?.waiting)?.state?.waiting;
  return { ...base, state: 'pending', reason: waiting?.reason ?? pod.status?.phase ?? 'Pending', message: waiting?.message ?? null };
}
