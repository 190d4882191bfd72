/** Firing Prometheus alerts as Aviary shows them (read once on the server for every viewer). */
import { z } from 'zod';

export const FiringAlert = z.object({
  name: z.string(),
  state: z.enum(['firing', 'pending']),
  severity: z.string().nullable(),
  namespace: z.string().nullable(),
  service: z.string().nullable(),
  summary: z.string().nullable(),
  description: z.string().nullable(),
  runbook: z.string().nullable(),
  activeAt: z.string().nullable(),
  value: z.string().nullable(),
});
export type FiringAlert = z.infer<typeof FiringAlert>;

export const AlertsResponse = z.object({
  alerts: z.array(FiringAlert),
  /** When Prometheus last answered; null when it never did. */
  fetchedAt: z.string().nullable(),
  /** Why the last read failed (Prometheus unreachable…), null when it worked. */
  error: z.string().nullable(),
  configured: z.boolean(),
});
export type AlertsResponse = z.infer<typeof AlertsResponse>;

/** The workload an alert is about: same namespace, and its service is the workload's or one of its `-canary`/`-stable`/`-active`/`-preview` services. */
export function alertMatches(alert: Pick<FiringAlert, 'namespace' | 'service'>, w: { namespace: string; name: string; services?: { canary: string | null; stable: string | null } }): boolean {
  if (alert.namespace !== w.namespace || !alert.service) return false;
  if (w.services && (alert.service === w.services.canary || alert.service === w.services.stable)) return true;
  const base = alert.service.replace(/-(canary|stable|active|preview)$/, '');
  return base === w.name || alert.service === w.name;
}
