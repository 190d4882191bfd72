import { describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));

import { parseConfig } from './config';

describe('parseConfig', () => {
  it('defaults to the current kubeconfig context and all namespaces', () => {
    expect(parseConfig({})).toEqual({ clusters: [], namespaces: undefined });
  });

  it('reads clusters and namespaces', () => {
    expect(parseConfig({ AVIARY_CLUSTERS: 'prod=prod-eu, local=in-cluster', AVIARY_NAMESPACES: 'shop,search' })).toEqual({
      clusters: [
        { name: 'prod', source: { context: 'prod-eu' } },
        { name: 'local', source: 'in-cluster' },
      ],
      namespaces: ['shop', 'search'],
    });
  });

  it('rejects bad input with a message that names the problem', () => {
    expect(() => parseConfig({ AVIARY_CLUSTERS: 'prod' })).toThrow(/name=context/);
    expect(() => parseConfig({ AVIARY_CLUSTERS: 'Prod_1=ctx' })).toThrow(/DNS label/);
    expect(() => parseConfig({ AVIARY_CLUSTERS: 'a=x,a=y' })).toThrow(/unique/);
    expect(() => parseConfig({ AVIARY_NAMESPACES: 'shop,BAD NS' })).toThrow(/namespaces/);
  });
});
