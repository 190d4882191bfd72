/**
 * When an action makes sense for a workload's current state (Argo's and kubectl's own rules), and
 * what exactly it will do, in words, for the confirmation the user reads before acting.
 */
import type { RevisionSummary, WorkloadSummary } from '@/lib/contracts/workload';
import { DEPLOYMENT_ACTIONS, type ActionName } from './actions';

export type ActionCheck = { allowed: true } | { allowed: false; reason: string };

const yes: ActionCheck = { allowed: true };
const no = (reason: string): ActionCheck => ({ allowed: false, reason });

/** spec.paused: the diagnosis names it (Deployments also show it as their phase). */
function pausedByUser(w: WorkloadSummary): boolean {
  if (w.kind === 'Deployment' && w.phase === 'Paused') return true;
  return (w.diagnosis?.reasons ?? []).some((r) => r.code === 'paused');
}

function revisionWith(w: WorkloadSummary, role: 'canary' | 'preview' | 'stable' | 'active'): RevisionSummary | undefined {
  return w.revisions.find((r) => r.roles.includes(role));
}

/** A new revision is on its way (canary or preview exists, or canary steps remain). */
function updateInFlight(w: WorkloadSummary): boolean {
  if (revisionWith(w, 'canary') || revisionWith(w, 'preview')) return true;
  return w.strategy === 'canary' && w.step.total > 0 && w.step.current !== null && w.step.current < w.step.total;
}

function midSteps(w: WorkloadSummary): boolean {
  return w.strategy === 'canary' && w.step.total > 0 && (w.step.current ?? 0) < w.step.total;
}

/** The revision currently in the pod template: the one a roll back must differ from. */
export function currentRevision(w: WorkloadSummary): number | null {
  const current = w.kind === 'Deployment' ? revisionWith(w, 'stable') : (revisionWith(w, 'canary') ?? revisionWith(w, 'preview') ?? revisionWith(w, 'stable'));
  return current?.revision ?? null;
}

function checkUndo(w: WorkloadSummary, toRevision: number | undefined): ActionCheck {
  if (w.kind === 'Deployment' && pausedByUser(w)) return no('A paused Deployment cannot be rolled back: resume it first');
  const current = currentRevision(w);
  const earlier = w.revisions.filter((r) => r.revision !== null && r.revision !== current);
  if (earlier.length === 0) return no('There is no earlier revision to roll back to');
  if (toRevision === undefined) return yes;
  if (toRevision === current) return no(`Revision ${toRevision} is already the current one`);
  if (!earlier.some((r) => r.revision === toRevision)) return no(`Revision ${toRevision} is not in the history`);
  return yes;
}

/**
 * Whether `action` makes sense now. Mirrors what upstream accepts or does something useful with:
 * promote only while paused or mid-steps, retry only after an abort, abort only while an update
 * is in flight, kubectl's own refusals for Deployments.
 */
export function canAct(action: ActionName, w: WorkloadSummary, toRevision?: number): ActionCheck {
  if (w.derivationError) return no('Aviary cannot read this workload right now');
  if (w.kind === 'Deployment') {
    if (!(DEPLOYMENT_ACTIONS as readonly string[]).includes(action)) return no(`A Deployment has no ${action}`);
    const paused = pausedByUser(w);
    if (action === 'pause') return paused ? no('Already paused') : yes;
    if (action === 'resume') return paused ? yes : no('Not paused');
    if (action === 'restart') return paused ? no('A paused Deployment cannot be restarted: resume it first') : yes;
    return checkUndo(w, toRevision);
  }
  const aborted = w.phase === 'Aborted';
  switch (action) {
    case 'promote':
      if (aborted) return no('Aborted: retry it first');
      if (w.phase === 'Paused' || w.pauses.length > 0 || pausedByUser(w)) return yes;
      return midSteps(w) && updateInFlight(w) ? yes : no('Not paused and not part-way through its steps');
    case 'promote-full':
      if (aborted) return no('Aborted: retry it first');
      return updateInFlight(w) ? yes : no('Already fully promoted');
    case 'abort':
      if (aborted) return no('Already aborted');
      return updateInFlight(w) ? yes : no('Nothing to abort: the rollout is fully promoted');
    case 'retry':
      return aborted ? yes : no('Only an aborted rollout can be retried');
    case 'pause':
      return pausedByUser(w) ? no('Already paused') : yes;
    case 'resume':
      return pausedByUser(w) ? yes : no('Not paused by a user');
    case 'restart':
      return yes;
    case 'undo':
      return checkUndo(w, toRevision);
  }
}

/** The weight in effect at step `index`: the last setWeight at or before it (100 past the end). */
function weightAtStep(w: WorkloadSummary, index: number): number {
  if (index >= w.step.total) return 100;
  let weight = 0;
  for (const step of w.steps) if (step.index <= index && step.weight !== null && step.kind === 'setWeight') weight = step.weight;
  return weight;
}

function revisionText(r: RevisionSummary | undefined): string {
  if (!r) return 'the new revision';
  return `revision ${r.revision ?? '?'}${r.images.length > 0 ? ` (${r.images.join(', ')})` : ''}`;
}

function describePromote(w: WorkloadSummary, target: string): string {
  if (w.strategy === 'blueGreen') return `Promote ${target}: ${revisionText(revisionWith(w, 'preview'))} becomes active`;
  if (w.strategy === 'canary' && w.step.total > 0) {
    const from = w.step.current ?? 0;
    const to = Math.min(from + 1, w.step.total);
    const fromText = `step ${from} (${w.desiredWeight ?? weightAtStep(w, from)} %)`;
    const toText = to >= w.step.total ? `the end of its steps (100 %)` : `step ${to} (${weightAtStep(w, to)} %)`;
    return `Promote ${target} from ${fromText} to ${toText}`;
  }
  return `Promote ${target}: resume the update`;
}

/** One line saying exactly what `action` will do to this workload, e.g. "Promote shop/checkout from step 4 (25 %) to step 5 (50 %)". */
export function describeAction(action: ActionName, w: WorkloadSummary, toRevision?: number): string {
  const target = `${w.namespace}/${w.name}`;
  const stepText = w.strategy === 'canary' && w.step.total > 0 ? ` at step ${w.step.current ?? 0} (${w.desiredWeight ?? 0} %)` : '';
  const newRevision = revisionWith(w, 'canary') ?? revisionWith(w, 'preview');
  const stable = revisionWith(w, 'stable');
  const pods = `${w.replicas.current} pod${w.replicas.current === 1 ? '' : 's'}`;
  switch (action) {
    case 'promote':
      return describePromote(w, target);
    case 'promote-full':
      return `Fully promote ${target} to ${revisionText(newRevision)}, skipping the remaining steps, pauses and analysis`;
    case 'abort':
      return `Abort ${target}${stepText}: all traffic goes back to the stable ${revisionText(stable)}`;
    case 'retry':
      return `Retry ${target}: start the update to ${revisionText(newRevision)} again from the first step`;
    case 'pause':
      return w.kind === 'Deployment' ? `Pause ${target}: no further pods are replaced until it is resumed` : `Pause ${target}${stepText} until it is resumed`;
    case 'resume':
      return `Resume ${target}${stepText}`;
    case 'restart':
      return w.kind === 'Deployment'
        ? `Restart ${target}: replace its ${pods} with new ones through a rolling update`
        : `Restart ${target}: recreate its ${pods}, a few at a time`;
    case 'undo': {
      const chosen = w.revisions.find((r) => r.revision === toRevision);
      return `Roll back ${target} to ${chosen ? revisionText(chosen) : `revision ${toRevision ?? 'before the current one'}`}`;
    }
  }
}
