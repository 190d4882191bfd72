/** Kiosk links (a wall screen's read-only access) and what the wall shows. */
import { z } from 'zod';
import { AlertsResponse } from './alerts';
import { IncidentView } from './incidents';
import { WorkloadRow } from './overview';
import { ClusterHealth } from './stream';

const dnsLabel = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'must be a DNS label');
const labelKey = z.string().regex(/^([a-z0-9.-]{1,253}\/)?[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$/, 'must be a label key');
const labelValue = z.string().regex(/^([A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?)?$/, 'must be a label value');

/** What a wall (and a kiosk link) shows: namespaces (required for a link), optionally clusters and exact label matches. */
export const WallScope = z.object({
  clusters: z.array(dnsLabel).max(20).default([]),
  namespaces: z.array(dnsLabel).max(50).default([]),
  labels: z.record(labelKey, labelValue).default({}),
});
export type WallScope = z.infer<typeof WallScope>;

export const KioskCreate = z.object({
  title: z.string().trim().min(1).max(80),
  scope: WallScope.refine((s) => s.namespaces.length > 0, 'a kiosk link must name the namespaces it shows'),
  /** Hours until it stops working: 1 hour to 90 days. */
  ttlHours: z.number().int().min(1).max(24 * 90),
});
export type KioskCreate = z.infer<typeof KioskCreate>;

export const KioskLink = z.object({
  id: z.string(),
  title: z.string(),
  scope: WallScope,
  createdBy: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  revoked: z.boolean(),
  revokedBy: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type KioskLink = z.infer<typeof KioskLink>;

export const KioskCreated = z.object({ link: KioskLink, url: z.string() });
export type KioskCreated = z.infer<typeof KioskCreated>;

export const KioskRevoke = z.object({ id: z.string().regex(/^kiosk-[a-f0-9]{16}$/) });

/**
 * A release waiting for approval, as the tile shows it: paused at a gated step, whether or not
 * anyone has asked yet (`requested: false` is "0/N", nobody has asked).
 */
export const WallApproval = z.object({ workloadId: z.string(), approvals: z.number().int(), quorum: z.number().int(), requested: z.boolean() });
export type WallApproval = z.infer<typeof WallApproval>;

/** One side of a tile's sparkline: canary vs stable, or preview vs active. */
export const WallSide = z.object({
  role: z.enum(['canary', 'stable', 'preview', 'active']),
  points: z.array(z.tuple([z.number(), z.number().nullable()])),
});
export type WallSide = z.infer<typeof WallSide>;

/** The bound the rollout's own analysis holds a chart to (error rate as a ratio, latency in ms). */
export const WallThreshold = z.object({ op: z.enum(['<', '<=', '>', '>=', '==', '!=']), value: z.number(), label: z.string() });
export type WallThreshold = z.infer<typeof WallThreshold>;

export const WallMetric = z.object({ sides: z.array(WallSide), threshold: WallThreshold.nullable() });
export type WallMetric = z.infer<typeof WallMetric>;

/** Error rate (5xx / all, a ratio) and p99 latency (ms) of a tile, the last 15 minutes. */
export const WallSparklines = z.object({
  state: z.enum(['data', 'error']),
  error: z.string().nullable(),
  byId: z.record(z.string(), z.object({ errorRate: WallMetric, latencyP99: WallMetric })),
});
export type WallSparklines = z.infer<typeof WallSparklines>;

export const WallData = z.object({
  generatedAt: z.string(),
  title: z.string().nullable(),
  scope: WallScope,
  /** When the kiosk link stops working (null for a signed-in person's wall). */
  expiresAt: z.string().nullable(),
  rows: z.array(WorkloadRow),
  health: z.array(ClusterHealth),
  alerts: AlertsResponse,
  incidents: z.array(IncidentView),
  approvals: z.array(WallApproval),
  sparklines: WallSparklines,
});
export type WallData = z.infer<typeof WallData>;
