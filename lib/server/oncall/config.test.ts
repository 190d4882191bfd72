import { describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));

import { parseOnCallConfig, resolveRoutingKey, routeFor, routingKeyId } from './config';

describe('on-call configuration', () => {
  it('keeps resolved Incidents 7 days unless AVIARY_INCIDENT_RETENTION says otherwise', () => {
    expect(parseOnCallConfig({}).incidentRetentionMs).toBe(7 * 86_400_000);
    expect(parseOnCallConfig({ AVIARY_INCIDENT_RETENTION: '36h' }).incidentRetentionMs).toBe(36 * 3_600_000);
    expect(parseOnCallConfig({ AVIARY_INCIDENT_RETENTION: '1h30m' }).incidentRetentionMs).toBe(90 * 60_000);
    expect(parseOnCallConfig({ AVIARY_INCIDENT_RETENTION: '45s' }).incidentRetentionMs).toBe(45_000);
  });

  it('a bad retention stops the start with an error that names the variable', () => {
    for (const bad of ['7', 'seven days', '-1d', '7 d', '1w', '0s']) {
      expect(() => parseOnCallConfig({ AVIARY_INCIDENT_RETENTION: bad }), bad).toThrow(/^invalid Aviary configuration: AVIARY_INCIDENT_RETENTION: /);
    }
    expect(() => parseOnCallConfig({ AVIARY_INCIDENT_RETENTION: '0s' })).toThrow('at least 1s');
    expect(() => parseOnCallConfig({ AVIARY_INCIDENT_RETENTION: '1w' })).toThrow('a duration such as 7d, 36h, 1h30m or 45s');
  });

  it('other bad values name their variable too', () => {
    expect(() => parseOnCallConfig({ AVIARY_SLACK_WEBHOOK_URL: 'not a url' })).toThrow(/AVIARY_SLACK_WEBHOOK_URL: /);
    expect(() => parseOnCallConfig({ AVIARY_ONCALL_ROUTES: '{"payments":{"slackWebhookUrl":"ftp://x"}}' })).toThrow(/AVIARY_ONCALL_ROUTES \(payments\.slackWebhookUrl\): /);
    expect(() => parseOnCallConfig({ AVIARY_ONCALL_ROUTES: '{' })).toThrow('AVIARY_ONCALL_ROUTES is not JSON');
  });

  it('routes per namespace: its own key, none (null), or the default', () => {
    const config = parseOnCallConfig({
      AVIARY_PAGERDUTY_ROUTING_KEY: 'R0DEFAULT',
      AVIARY_SLACK_WEBHOOK_URL: 'https://hooks.example/default',
      AVIARY_ONCALL_ROUTES: JSON.stringify({ payments: { routingKey: 'R0PAYMENTS' }, sandbox: { routingKey: null, slackWebhookUrl: null } }),
    });
    expect(routeFor(config, 'payments')).toEqual({ routingKey: 'R0PAYMENTS', slackWebhookUrl: 'https://hooks.example/default' });
    expect(routeFor(config, 'sandbox')).toEqual({ routingKey: null, slackWebhookUrl: null });
    expect(routeFor(config, 'shop')).toEqual({ routingKey: 'R0DEFAULT', slackWebhookUrl: 'https://hooks.example/default' });
  });

  it('route names must be namespace names', () => {
    expect(() => parseOnCallConfig({ AVIARY_ONCALL_ROUTES: '{"Payments!":{"routingKey":"R0"}}' })).toThrow('AVIARY_ONCALL_ROUTES (Payments!): Invalid key in record');
  });

  it('a resolve goes to the routing key its trigger used, even after the namespace was re-routed', () => {
    const before = parseOnCallConfig({ AVIARY_PAGERDUTY_ROUTING_KEY: 'R0DEFAULT', AVIARY_ONCALL_ROUTES: JSON.stringify({ payments: { routingKey: 'R0PAYMENTS' } }) });
    const triggered = routingKeyId(routeFor(before, 'payments').routingKey ?? '');
    expect(triggered).toMatch(/^[0-9a-f]{12}$/);
    expect(triggered).not.toContain('R0PAYMENTS');
    expect(resolveRoutingKey(before, 'payments', triggered)).toEqual({ key: 'R0PAYMENTS' });
    // payments now pages the default service, while R0PAYMENTS still routes another namespace: the resolve follows the trigger.
    const moved = parseOnCallConfig({ AVIARY_PAGERDUTY_ROUTING_KEY: 'R0DEFAULT', AVIARY_ONCALL_ROUTES: JSON.stringify({ billing: { routingKey: 'R0PAYMENTS' } }) });
    expect(routeFor(moved, 'payments').routingKey).toBe('R0DEFAULT');
    expect(resolveRoutingKey(moved, 'payments', triggered)).toEqual({ key: 'R0PAYMENTS' });
    // The key is gone from the configuration: an error to show, not a resolve to the wrong service.
    const gone = parseOnCallConfig({ AVIARY_PAGERDUTY_ROUTING_KEY: 'R0DEFAULT' });
    expect(resolveRoutingKey(gone, 'payments', triggered)).toEqual({ error: expect.stringContaining('no longer configured') });
    // A trigger recorded before fingerprints: the namespace's key now.
    expect(resolveRoutingKey(moved, 'payments', undefined)).toEqual({ key: 'R0DEFAULT' });
    expect(resolveRoutingKey(parseOnCallConfig({}), 'payments', null)).toEqual({ error: expect.stringContaining('no PagerDuty routing key') });
  });
});
