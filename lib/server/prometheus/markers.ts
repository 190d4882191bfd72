import 'server-only';
import type { ChartPanel, ChartSeries } from '@/lib/contracts/metrics';
import type { WeightEvent, WorkloadSummary } from '@/lib/contracts/workload';

const at = (e: WeightEvent) => Date.parse(e.at) / 1000;

function shortLabel(e: WeightEvent): string {
  const step = /^Rollout step (\d+\/\d+) completed/.exec(e.message);
  if (step) return `step ${step[1]}`;
  if (e.reason === 'TrafficWeightUpdated' && e.weight !== null) return `→ ${e.weight} %`;
  const service = /^Switched selector for service '([^']+)' from '[^']*' to '([^']+)'/.exec(e.message);
  if (service) return `${service[1]} → ${service[2]}`;
  return e.reason;
}

/**
 * The controller's own events say when it changed the weight, finished a step or switched a
 * service. Read from `weightEvents` (every such event of the Rollout), not the 25 newest display
 * events, which pod and ReplicaSet events crowd out during a release.
 */
export function weightMarkers(w: WorkloadSummary): ChartPanel['markers'] {
  return w.weightEvents
    .filter((e) => e.reason !== 'RolloutAborted')
    .map((e) => ({ at: at(e), label: shortLabel(e), detail: e.message }))
    .filter((m) => Number.isFinite(m.at))
    .sort((a, b) => a.at - b.at);
}

/** A weight the controller set: TrafficWeightUpdated, a setWeight step, an abort (back to 0). */
function weightChanges(events: WeightEvent[]): { at: number; from: number | null; to: number }[] {
  const out: { at: number; from: number | null; to: number }[] = [];
  for (const e of events) {
    const t = at(e);
    if (!Number.isFinite(t) || e.weight === null || e.reason === 'SwitchService') continue;
    out.push({ at: t, from: e.from, to: e.weight });
  }
  return out.sort((a, b) => a.at - b.at);
}

/**
 * The desired canary weight over the window as a step function (drawn with type="stepAfter"):
 * the value in force at the start, each change the controller announced, and today's value at
 * the end. The controller's event recorder (client-go) lets one object emit 25 events and then one
 * every 5 minutes, and the API server deletes events after an hour, so this is only as exact as the
 * events the API server still holds. When they do not reach today's weight (`complete: false`),
 * the line stops at the last change they record instead of claiming the old value held until now;
 * with none at all, the line is today's value.
 */
export function desiredWeightHistory(w: WorkloadSummary, start: number, end: number): { series: ChartSeries; complete: boolean } | null {
  if (w.strategy !== 'canary') return null;
  const changes = weightChanges(w.weightEvents);
  const before = changes.filter((c) => c.at <= start).at(-1);
  const inside = changes.filter((c) => c.at > start && c.at <= end);
  const initial = before?.to ?? inside[0]?.from ?? (inside.length === 0 ? w.desiredWeight : null);
  const last = inside.at(-1)?.to ?? initial;
  const final = w.desiredWeight ?? last;
  if (initial === null && inside.length === 0 && final === null) return null;
  const complete = last === null || final === null || last === final;
  const points: [number, number | null][] = [[start, initial], ...inside.map((c) => [c.at, c.to] as [number, number]), [end, complete ? final : null]];
  return { series: { name: 'desired weight', role: 'desired', points }, complete };
}

export function desiredWeightSeries(w: WorkloadSummary, start: number, end: number): ChartSeries | null {
  return desiredWeightHistory(w, start, end)?.series ?? null;
}
