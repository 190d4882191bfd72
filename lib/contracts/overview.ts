/**
 * The overview's row: what a card or a table line shows of one workload, and nothing more. The
 * stream's snapshot and upserts carry rows; the full WorkloadSummary (pods, events, analysis
 * measurements, history) only flows for the workloads a viewer has open (`detail` events).
 */
import { z } from 'zod';
import { isSettledCanary } from '@/lib/rollouts/labels';
import { DiagnosisReason, Phase, PodSummary, RevisionRole, Strategy, WorkloadKind, type WorkloadSummary } from './workload';

export const RowPod = PodSummary.pick({ name: true, state: true, reason: true, restarts: true });
export type RowPod = z.infer<typeof RowPod>;

/** A revision as a card lists it: at most three, the ones with pods or not scaled down. */
export const RowRevision = z.object({
  revision: z.number().int().nullable(),
  podTemplateHash: z.string(),
  roles: z.array(RevisionRole),
  image: z.string().nullable(),
  pods: z.array(RowPod),
});
export type RowRevision = z.infer<typeof RowRevision>;

/** The first diagnosis reason, without its evidence. */
export const RowReason = DiagnosisReason.pick({ code: true, severity: true, summary: true, time: true });
export type RowReason = z.infer<typeof RowReason>;

export const WorkloadRow = z.object({
  id: z.string(),
  cluster: z.string(),
  kind: WorkloadKind,
  namespace: z.string(),
  name: z.string(),
  labels: z.record(z.string(), z.string()),
  resourceVersion: z.string(),
  phase: Phase,
  strategy: Strategy,
  trafficRouting: z.string().nullable(),
  step: z.object({ current: z.number().int().nullable(), total: z.number().int() }),
  desiredWeight: z.number().nullable(),
  actualWeight: z.number().nullable(),
  abortedAt: z
    .object({ known: z.boolean(), step: z.number().int().nullable(), total: z.number().int(), weight: z.number().nullable(), at: z.string().nullable() })
    .nullable(),
  replicas: z.object({ desired: z.number().int(), current: z.number().int(), updated: z.number().int(), ready: z.number().int(), available: z.number().int() }),
  images: z.array(z.string()),
  /** A healthy canary with nothing in flight: the stable revision takes all traffic. */
  settledCanary: z.boolean(),
  revisions: z.array(RowRevision),
  headline: z.string().nullable(),
  reason: RowReason.nullable(),
  /** Newest condition transition: the "last change" sort. */
  lastChange: z.string().nullable(),
  derivationError: z.string().nullable(),
});
export type WorkloadRow = z.infer<typeof WorkloadRow>;

/** The row of a derived summary (server side, once per change; the bytes are shared by every viewer). */
export function toRow(w: WorkloadSummary): WorkloadRow {
  const first = w.diagnosis?.reasons[0];
  let lastChange: string | null = null;
  for (const c of w.conditions) if (c.lastTransitionTime && (lastChange === null || c.lastTransitionTime > lastChange)) lastChange = c.lastTransitionTime;
  return {
    id: w.id,
    cluster: w.cluster,
    kind: w.kind,
    namespace: w.namespace,
    name: w.name,
    labels: w.labels,
    resourceVersion: w.resourceVersion,
    phase: w.phase,
    strategy: w.strategy,
    trafficRouting: w.trafficRouting,
    step: w.step,
    desiredWeight: w.desiredWeight,
    actualWeight: w.actualWeight,
    abortedAt: w.abortedAt,
    replicas: w.replicas,
    images: w.images,
    settledCanary: isSettledCanary(w),
    revisions: w.revisions
      .filter((r) => !r.scaledDown || r.pods.length > 0)
      .slice(0, 3)
      .map((r) => ({
        revision: r.revision,
        podTemplateHash: r.podTemplateHash,
        roles: r.roles,
        image: r.images[0] ?? null,
        pods: r.pods.map((p) => ({ name: p.name, state: p.state, reason: p.reason, restarts: p.restarts })),
      })),
    headline: w.diagnosis?.headline ?? null,
    reason: first ? { code: first.code, severity: first.severity, summary: first.summary, time: first.time } : null,
    lastChange,
    derivationError: w.derivationError,
  };
}
