import { describe, expect, it } from 'vitest';
import { parseLinkTemplates, renderLink } from './links';

describe('external links', () => {
  it('parses templates and fills them with URL-encoded values', () => {
    const [grafana] = parseLinkTemplates('Grafana=https://grafana.example.com/d/rollout?var-ns={namespace}&var-svc={service}&var-rev={revision}');
    expect(grafana.name).toBe('Grafana');
    expect(renderLink(grafana.template, { cluster: 'prod', namespace: 'shop', name: 'checkout', service: 'checkout-canary', revision: 'a&b' })).toBe(
      'https://grafana.example.com/d/rollout?var-ns=shop&var-svc=checkout-canary&var-rev=a%26b',
    );
  });

  it('rejects bad entries with the entry named', () => {
    expect(() => parseLinkTemplates('Grafana')).toThrow(/Name=https/);
    expect(() => parseLinkTemplates('G=ftp://x')).toThrow(/Name=https/);
    expect(() => parseLinkTemplates('G=https://x/{pod}')).toThrow(/\{pod\}/);
    expect(parseLinkTemplates(undefined)).toEqual([]);
  });
});
