import { describe, expect, it } from 'vitest';
import type { DeliveryRecord, IncidentView } from '@/lib/contracts/incidents';
import { failedDeliveries, failureCounters, incidentHref, leaseLapsed, recentDeliveries, retentionText, runbookFailures } from './oncall-view';

const delivery = (over: Partial<DeliveryRecord>): DeliveryRecord => ({ channel: 'pagerduty', action: 'trigger', state: 'delivered', attempts: 1, rounds: 1, lastError: null, sender: 'replica-a', at: '2026-11-23T04:00:00.000Z', nextAttemptAt: null, ...over });
const incident = (name: string, deliveries: DeliveryRecord[], over: Partial<IncidentView> = {}): IncidentView => ({
  dedupKey: `aviary/c/shop/rollout/${name}/3`,
  workloadId: `c/Rollout/shop/${name}`,
  cluster: 'c',
  kind: 'Rollout',
  name,
  revision: '3',
  cause: 'analysis-failed',
  severity: 'critical',
  summary: `Rollout shop/${name} revision 3: analysis failed`,
  openedAt: '2026-11-23T03:59:00.000Z',
  state: 'open',
  resolvedAt: null,
  deliveries,
  runbook: null,
  namespace: 'shop',
  objectName: `${name}-abc`,
  ...over,
});

describe('on-call status page data', () => {
  const status = {
    incidents: [
      incident('checkout', [
        delivery({ state: 'failed', attempts: 5, rounds: 1, lastError: 'pagerduty (127.0.0.1:9) answered 500', at: '2026-11-23T04:02:00.000Z', nextAttemptAt: '2026-11-23T04:02:30.000Z' }),
        delivery({ channel: 'slack', at: '2026-11-23T04:01:00.000Z' }),
      ], { runbook: { hook: 'flags-off', state: 'failed', message: 'PATCH flags.example answered 500 after 3 attempts', at: '2026-11-23T04:01:30.000Z' } }),
      incident('payments', [delivery({ state: 'failed', action: 'resolve', lastError: 'answered 400', at: '2026-11-23T04:03:00.000Z' }), delivery({ state: 'pending', at: null })], { state: 'resolved', kind: 'Deployment' }),
    ],
  };

  it('lists failed deliveries newest first, with their incident', () => {
    expect(failedDeliveries(status).map((r) => [r.incident.name, r.delivery.action, r.delivery.lastError])).toEqual([
      ['payments', 'resolve', 'answered 400'],
      ['checkout', 'trigger', 'pagerduty (127.0.0.1:9) answered 500'],
    ]);
    expect(runbookFailures(status).map((f) => [f.hook, f.state])).toEqual([['flags-off', 'failed']]);
  });

  it('the last deliveries are those attempted, newest first, limited', () => {
    expect(recentDeliveries(status).map((r) => r.key)).toEqual(['payments-abc/0', 'checkout-abc/0', 'checkout-abc/1']);
    expect(recentDeliveries(status, 1)).toHaveLength(1);
  });

  it('links to the workload page; counts only failures; words for the retention', () => {
    expect(incidentHref(status.incidents[0])).toBe('/rollouts/c/shop/checkout');
    expect(incidentHref(status.incidents[1])).toBe('/deployments/c/shop/payments');
    expect(failureCounters({ 'pagerduty.trigger.delivered': 4, 'pagerduty.trigger.failed': 2, 'slack.resolve.failed': 0, 'deliveries.dropped': 1 })).toEqual([
      ['deliveries.dropped', 1],
      ['pagerduty.trigger.failed', 2],
    ]);
    expect(retentionText(7 * 86_400_000)).toBe('7 days');
    expect(retentionText(3_600_000)).toBe('1 hour');
    expect(retentionText(90 * 60_000)).toBe('90 minutes');
  });

  it('a Lease not renewed for longer than its duration has lapsed; no holder too', () => {
    const lease = { namespace: 'aviary', name: 'aviary-oncall', holder: 'replica-a', acquireTime: null, renewTime: '2026-11-23T04:00:00.000000Z', leaseSeconds: 15, transitions: 0 };
    expect(leaseLapsed(lease, Date.parse('2026-11-23T04:00:10Z'))).toBe(false);
    expect(leaseLapsed(lease, Date.parse('2026-11-23T04:00:16Z'))).toBe(true);
    expect(leaseLapsed({ ...lease, holder: null }, 0)).toBe(true);
    expect(leaseLapsed(null, 0)).toBe(false);
  });
});
