import { describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));

import { parseConfig } from './config';

describe('parseConfig', () => {
  it('defaults to the current kubeconfig context and all namespaces', () => {
    expect(parseConfig({})).toEqual({ clusters: [], namespaces: undefined, prometheusUrl: undefined, scrapeIntervalSeconds: 15, metricsProfile: 'generic', links: [] });
  });

  it('reads clusters and namespaces', () => {
    expect(parseConfig({ AVIARY_CLUSTERS: 'prod=prod-eu, local=in-cluster', AVIARY_NAMESPACES: 'shop,search' })).toEqual({
      clusters: [
        { name: 'prod', source: { context: 'prod-eu' } },
        { name: 'local', source: 'in-cluster' },
      ],
      namespaces: ['shop', 'search'],
      prometheusUrl: undefined,
      scrapeIntervalSeconds: 15,
      metricsProfile: 'generic',
      links: [],
    });
  });

  it('rejects bad input with a message that names the problem', () => {
    expect(() => parseConfig({ AVIARY_CLUSTERS: 'prod' })).toThrow(/name=context/);
    expect(() => parseConfig({ AVIARY_CLUSTERS: 'Prod_1=ctx' })).toThrow(/DNS label/);
    expect(() => parseConfig({ AVIARY_CLUSTERS: 'a=x,a=y' })).toThrow(/unique/);
    expect(() => parseConfig({ AVIARY_NAMESPACES: 'shop,BAD NS' })).toThrow(/namespaces/);
    expect(() => parseConfig({ AVIARY_PROMETHEUS_URL: 'not a url' })).toThrow(/prometheusUrl/);
    expect(() => parseConfig({ AVIARY_PROMETHEUS_SCRAPE_INTERVAL: '0' })).toThrow(/scrapeIntervalSeconds/);
    expect(() => parseConfig({ AVIARY_METRICS_PROFILE: 'datadog' })).toThrow(/metricsProfile/);
    expect(() => parseConfig({ AVIARY_LINKS: 'Grafana=https://g/{pod}' })).toThrow(/AVIARY_LINKS.*\{pod\}/);
    expect(parseConfig({ AVIARY_PROMETHEUS_URL: 'http://127.0.0.1:9090', AVIARY_PROMETHEUS_SCRAPE_INTERVAL: '5' })).toMatchObject({
      prometheusUrl: 'http://127.0.0.1:9090',
      scrapeIntervalSeconds: 5,
    });
  });
});
