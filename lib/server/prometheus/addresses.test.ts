import { describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));

import { chooseAddress, insteadNotice, normaliseAddress, parseAllowedAddresses } from './addresses';

describe("the AnalysisTemplate's Prometheus address", () => {
  const configured = 'http://127.0.0.1:29090';

  it('is the configured Prometheus when it names it (however spelled) or names none', () => {
    expect(chooseAddress('http://127.0.0.1:29090/', configured, [])).toEqual({ use: 'configured' });
    expect(chooseAddress(undefined, configured, [])).toEqual({ use: 'configured' });
    expect(chooseAddress('  ', configured, [])).toEqual({ use: 'configured' });
  });

  it('is used when it is on the allow-list', () => {
    const allowed = parseAllowedAddresses('http://prometheus.monitoring:9090/, https://thanos.example.com/prom');
    expect(allowed).toEqual(['http://prometheus.monitoring:9090', 'https://thanos.example.com/prom']);
    expect(chooseAddress('http://PROMETHEUS.monitoring:9090', configured, allowed)).toEqual({ use: 'template', address: 'http://prometheus.monitoring:9090' });
  });

  it('is refused, with a plain reason, when not allowed (Aviary must not be pointed at any host)', () => {
    const choice = chooseAddress('http://169.254.169.254/latest', configured, []);
    expect(choice).toEqual({ use: 'configured-instead', address: 'http://169.254.169.254/latest', reason: "the template's address is not in AVIARY_PROMETHEUS_ALLOWED_URLS" });
    // The notice names neither address: Prometheus locations stay in the server log.
    expect(insteadNotice("the template's Prometheus is unreachable")).toBe("This chart queried Aviary's own Prometheus, not the one the AnalysisTemplate names: the template's Prometheus is unreachable.");
    expect(normaliseAddress('http://user:pw@host:9090')).toBeNull();
    expect(normaliseAddress('file:///etc/passwd')).toBeNull();
    expect(() => parseAllowedAddresses('not a url')).toThrow(/AVIARY_PROMETHEUS_ALLOWED_URLS/);
  });
});
