import type { Toolchain } from './build';
import { kubectl } from './kubectl';

/** The demo's namespaces: the workloads `up` waits for and fault recovery is judged by. */
export const demoNamespaces = ['shop', 'search'] as const;

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

interface WorkloadObject {
  kind: 'Rollout' | 'Deployment';
  metadata: { namespace: string; name: string; generation?: number };
  spec?: { replicas?: number };
  status?: {
    phase?: string;
    message?: string;
    observedGeneration?: number | string;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    conditions?: Condition[];
  };
}

export interface WorkloadHealth {
  /** `Rollout shop/checkout` */
  id: string;
  healthy: boolean;
  /** Resting in a state that waiting longer will not change: Healthy, Paused or Degraded. */
  settled: boolean;
  /** Why it is not healthy, from its phase and conditions; empty when healthy. */
  reason: string;
}

/** Conditions that say something is wrong, as "Type=False (Reason: message)". */
function badConditions(conditions: Condition[] = []): string[] {
  const wrong = conditions.filter((c) => c.status !== 'True' || c.reason === 'ProgressDeadlineExceeded');
  return wrong.map((c) => `${c.type}=${c.status}${c.reason ? ` (${c.reason}${c.message ? `: ${c.message}` : ''})` : ''}`);
}

function replicaSummary(object: WorkloadObject): string {
  const s = object.status ?? {};
  return `${s.readyReplicas ?? 0}/${object.spec?.replicas ?? 1} ready, ${s.updatedReplicas ?? 0} updated, ${s.availableReplicas ?? 0} available`;
}

export function classify(object: WorkloadObject): WorkloadHealth {
  const id = `${object.kind} ${object.metadata.namespace}/${object.metadata.name}`;
  const s = object.status ?? {};
  const desired = object.spec?.replicas ?? 1;
  if (object.kind === 'Rollout') {
    const phase = s.phase ?? 'no status yet';
    const healthy = phase === 'Healthy';
    const settled = healthy || phase === 'Paused' || phase === 'Degraded';
    const details = [s.message, ...badConditions(s.conditions), replicaSummary(object)].filter(Boolean);
    return { id, healthy, settled, reason: healthy ? '' : `${phase}: ${details.join('; ')}` };
  }
  const observed = Number(s.observedGeneration ?? 0) >= (object.metadata.generation ?? 0);
  const complete =
    observed && s.updatedReplicas === desired && s.readyReplicas === desired && s.availableReplicas === desired && (s.replicas ?? 0) === desired;
  const available = (s.conditions ?? []).some((c) => c.type === 'Available' && c.status === 'True');
  const healthy = complete && available;
  const stuck = (s.conditions ?? []).some((c) => c.reason === 'ProgressDeadlineExceeded');
  // A rollout in flight has every condition True; its Progressing condition still says what it waits for.
  const progressing = (s.conditions ?? []).filter((c) => c.type === 'Progressing' && c.status === 'True' && !stuck);
  const details = [...badConditions(s.conditions), ...progressing.map((c) => `Progressing (${c.reason ?? ''}: ${c.message ?? ''})`), replicaSummary(object)];
  return { id, healthy, settled: healthy || stuck, reason: healthy ? '' : details.join('; ') };
}

/** Every Rollout and Deployment of the demo, with whether it is healthy and why not. */
export async function demoWorkloads(toolchain: Toolchain): Promise<WorkloadHealth[]> {
  const result: WorkloadHealth[] = [];
  for (const namespace of demoNamespaces) {
    const out = await kubectl(toolchain, ['get', 'rollouts.argoproj.io,deployments.apps', '-n', namespace, '-o', 'json']);
    const list = JSON.parse(out.stdout) as { items: WorkloadObject[] };
    result.push(...list.items.map(classify));
  }
  return result.sort((a, b) => a.id.localeCompare(b.id));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls until every workload in `ids` (default: all) is healthy, or the bound runs out; resolves
 * with the last reading either way so callers can report, not throw.
 */
export async function waitForHealthy(
  toolchain: Toolchain,
  { timeoutMs, ids, intervalMs = 2000 }: { timeoutMs: number; ids?: readonly string[]; intervalMs?: number },
): Promise<{ healthy: boolean; workloads: WorkloadHealth[] }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let workloads: WorkloadHealth[] = [];
    try {
      workloads = await demoWorkloads(toolchain);
    } catch {
      // The API server may still be coming back; keep polling until the bound.
    }
    const watched = ids ? workloads.filter((w) => ids.includes(w.id)) : workloads;
    const healthy = workloads.length > 0 && watched.length === (ids?.length ?? watched.length) && watched.every((w) => w.healthy);
    if (healthy || Date.now() >= deadline) return { healthy, workloads };
    await sleep(intervalMs);
  }
}
