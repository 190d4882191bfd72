import 'server-only';
import { z } from 'zod';
import type { AlertsResponse, FiringAlert } from '@/lib/contracts/alerts';
import type { PrometheusClient } from './client';

const ApiAlerts = z.object({
  status: z.literal('success'),
  data: z.object({
    alerts: z.array(
      z.object({
        labels: z.record(z.string(), z.string()),
        annotations: z.record(z.string(), z.string()).optional(),
        state: z.string(),
        activeAt: z.string().optional(),
        value: z.string().optional(),
      }),
    ),
  }),
});

/**
 * Firing alerts from Prometheus' own rule evaluation (GET /api/v1/alerts), read by the server on a
 * timer and shared by every viewer and the wall — never one query per browser. A failed read keeps
 * the last answer with its age and the error, so a screen can say "Prometheus unreachable" instead
 * of silently showing no alerts.
 */
export class AlertsReader {
  private last: { alerts: FiringAlert[]; fetchedAt: Date | null; error: string | null } = { alerts: [], fetchedAt: null, error: null };
  private inflight: Promise<void> | null = null;
  private readAt = 0;

  constructor(
    private readonly prometheus: Pick<PrometheusClient, 'baseUrl'>,
    private readonly intervalMs = 5000,
    private readonly now: () => number = Date.now,
  ) {}

  private async read(): Promise<void> {
    try {
      const res = await fetch(`${this.prometheus.baseUrl.replace(/\/$/, '')}/api/v1/alerts`, { signal: AbortSignal.timeout(5000) });
      const parsed = ApiAlerts.safeParse(await res.json().catch(() => null));
      if (!parsed.success) throw new Error(`Prometheus answered ${res.status} without the alerts list`);
      this.last = {
        alerts: parsed.data.data.alerts
          .filter((a) => a.state === 'firing' || a.state === 'pending')
          .map((a) => ({
            name: a.labels.alertname ?? 'alert',
            state: a.state === 'firing' ? ('firing' as const) : ('pending' as const),
            severity: a.labels.severity ?? null,
            namespace: a.labels.namespace ?? null,
            service: a.labels.service ?? null,
            summary: a.annotations?.summary ?? null,
            description: a.annotations?.description ?? null,
            runbook: a.annotations?.runbook ?? a.annotations?.runbook_url ?? null,
            activeAt: a.activeAt ?? null,
            value: a.value ?? null,
          })),
        fetchedAt: new Date(this.now()),
        error: null,
      };
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      this.last = { ...this.last, error: `Prometheus at ${this.prometheus.baseUrl} did not answer (${cause ?? (error instanceof Error ? error.message : String(error))})` };
    }
  }

  /** The alerts as of at most `intervalMs` ago: concurrent callers share one read. */
  async current(): Promise<AlertsResponse> {
    if (this.now() - this.readAt >= this.intervalMs && !this.inflight) {
      this.readAt = this.now();
      this.inflight = this.read().finally(() => (this.inflight = null));
    }
    if (this.inflight && this.last.fetchedAt === null) await this.inflight;
    return { alerts: this.last.alerts, fetchedAt: this.last.fetchedAt?.toISOString() ?? null, error: this.last.error, configured: true };
  }
}
