import { describe, expect, it } from 'vitest';
import type { WallData } from '@/lib/contracts/kiosk';
import { staleness } from './wall';

const base = (over: Partial<WallData> = {}): WallData => ({
  generatedAt: '2026-01-01T00:00:00Z',
  title: null,
  scope: { clusters: [], namespaces: [], labels: {} },
  expiresAt: null,
  rows: [],
  health: [{ cluster: 'prod', connected: true, staleSince: null, lastError: null }],
  alerts: { alerts: [], fetchedAt: '2026-01-01T00:00:00Z', error: null, configured: true },
  incidents: [],
  approvals: [],
  sparklines: { state: 'data', error: null, byId: {} },
  ...over,
});
const t = Date.parse('2026-01-01T00:01:00Z');

describe('wall staleness', () => {
  it('is live while answers keep coming and every source is fine', () => {
    expect(staleness(base(), t - 1000, t, null)).toEqual({ stale: false, ageSeconds: 0, reasons: [] });
  });

  it('says how old the data is once Aviary stops answering', () => {
    expect(staleness(base(), t - 7000, t, 'HTTP 502')).toEqual({ stale: true, ageSeconds: 7, reasons: ['Aviary does not answer (HTTP 502)'] });
  });

  it('a disconnected cluster or Prometheus makes it stale from when they were last good', () => {
    const data = base({
      health: [{ cluster: 'prod', connected: false, staleSince: '2026-01-01T00:00:51Z', lastError: 'ECONNREFUSED' }],
      alerts: { alerts: [], fetchedAt: '2026-01-01T00:00:45Z', error: 'Prometheus did not answer', configured: true },
    });
    expect(staleness(data, t - 1000, t, null)).toEqual({ stale: true, ageSeconds: 15, reasons: ['cluster prod unreachable', 'Prometheus unreachable'] });
  });

  it("Prometheus' sparkline queries failing make it stale too (the alert read may not have noticed yet); no Prometheus configured does not", () => {
    const failing = base({ sparklines: { state: 'error', error: 'Prometheus did not answer', byId: {} } });
    expect(staleness(failing, t - 1000, t, null)).toEqual({ stale: true, ageSeconds: 60, reasons: ['Prometheus unreachable'] });
    const none = base({ alerts: { alerts: [], fetchedAt: null, error: null, configured: false }, sparklines: { state: 'error', error: 'Prometheus is not configured', byId: {} } });
    expect(staleness(none, t - 1000, t, null)).toEqual({ stale: false, ageSeconds: 0, reasons: [] });
  });
});
