/** Kiosk links (a wall screen's read-only access) and what the wall shows. */
import { z } from 'zod';
import { AlertsResponse } from './alerts';
import { IncidentView } from './incidents';
import { Sparklines } from './metrics';
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

/** A waiting-for-approval release, as the tile shows it. */
export const WallApproval = z.object({ workloadId: z.string(), approvals: z.number().int(), quorum: z.number().int() });

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
  sparklines: Sparklines,
});
export type WallData = z.infer<typeof WallData>;
