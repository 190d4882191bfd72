import { describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));

import { profileByName, profileQueries, PROFILES } from './profiles';

describe('metric profiles', () => {
  it('generic splits by pod-template hash with the seed metric names', () => {
    const q = profileQueries(PROFILES.generic, 'shop', { canary: 'abc', stable: 'def' }, '30s');
    expect(q?.errorRate).toBe(
      'sum by (rollouts_pod_template_hash) (rate(http_requests_total{namespace="shop",rollouts_pod_template_hash=~"abc|def",status=~"5.."}[30s])) / sum by (rollouts_pod_template_hash) (rate(http_requests_total{namespace="shop",rollouts_pod_template_hash=~"abc|def"}[30s]))',
    );
    expect(q?.latencyP99).toContain('http_request_duration_seconds_bucket');
    expect(q?.latencyP99.endsWith('* 1000')).toBe(true);
  });

  it('istio splits by destination service, keeps milliseconds and the destination reporter', () => {
    const q = profileQueries(PROFILES.istio, 'shop', { canary: 'checkout-canary', stable: 'checkout-stable' }, '1m');
    expect(q?.requestRate).toContain('istio_requests_total{reporter="destination",destination_service_namespace="shop",destination_service_name=~"checkout-canary|checkout-stable"}');
    expect(q?.errorRate).toContain('response_code=~"5.."');
    expect(q?.latencyP99).not.toContain('* 1000');
  });

  it('linkerd counts failures by classification; nginx uses the ingress controller series', () => {
    expect(profileQueries(PROFILES.linkerd, 'shop', { canary: 'h1', stable: null }, '1m')?.errorRate).toContain('classification="failure"');
    expect(profileQueries(PROFILES.nginx, 'shop', { canary: 'svc-canary', stable: 'svc' }, '1m')?.requestRate).toContain('nginx_ingress_controller_requests{exported_namespace="shop"');
  });

  it('quotes and regex-escapes hostile values, returns nothing without targets, falls back on unknown names', () => {
    const q = profileQueries(PROFILES.istio, 'shop"}) or vector(1', { canary: 'a.b|c', stable: null }, '1m');
    expect(q?.requestRate).toContain('destination_service_namespace="shop\\"}) or vector(1"');
    expect(q?.requestRate).toContain('destination_service_name=~"a\\\\.b\\\\|c"');
    expect(profileQueries(PROFILES.generic, 'shop', { canary: null, stable: null }, '1m')).toBeNull();
    expect(profileByName('datadog').name).toBe('generic');
    expect(profileByName(null, 'istio').name).toBe('istio');
  });
});
