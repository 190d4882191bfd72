import { describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));

import { Sparklines } from '@/lib/contracts/metrics';
import { deriveFixture } from '@/test/fixtures';
import { groupByProfile } from './by-profile';
import { CoalescingCache } from './cache';
import type { Series } from './client';
import { sparklines } from './sparklines';

const now = 1_800_000_000;

describe('overview sparklines', () => {
  it('groups Rollouts by their metric profile (annotation, else the default); Deployments and nothing-to-draw are left out', () => {
    const canary = deriveFixture('canary-manual-pause');
    const istio = { ...deriveFixture('canary-healthy'), id: 'c/Rollout/shop/other', metricsProfile: 'istio' };
    const deployment = { ...canary, id: 'c/Deployment/shop/web', kind: 'Deployment' as const };
    const groups = groupByProfile([canary, istio, deployment], 'generic', (w, profile) => (w.name === 'skip' ? null : `${profile.name}:${w.id}`));
    expect([...groups].map(([p, items]) => [p.name, items])).toEqual([
      ['generic', [`generic:${canary.id}`]],
      ['istio', [`istio:${istio.id}`]],
    ]);
    expect(groupByProfile([{ ...canary, name: 'skip' }], 'generic', (w) => (w.name === 'skip' ? null : w.id)).size).toBe(0);
  });

  it('one range query per profile for every card and every concurrent viewer; a card reads its canary side mid-release, NaN is a gap', async () => {
    const canary = deriveFixture('canary-manual-pause');
    const healthy = { ...deriveFixture('canary-healthy'), id: 'c/Rollout/shop/settled' };
    const queries: string[] = [];
    const client = {
      baseUrl: 'http://prometheus.test',
      queryRange: async (query: string): Promise<Series[]> => {
        queries.push(query);
        return [
          { labels: { namespace: 'shop', rollouts_pod_template_hash: '64c6588bd7' }, values: [[now - 60, 0.2], [now, Number.NaN]] },
          { labels: { namespace: 'shop', rollouts_pod_template_hash: '5958cd884b' }, values: [[now, 0]] },
        ];
      },
    };
    const cache = new CoalescingCache<Series[]>(5000, 100, () => now * 1000);
    const answers = await Promise.all(Array.from({ length: 20 }, () => sparklines([canary, healthy], client, cache, 5, 'generic', now)));
    expect(queries).toHaveLength(1);
    expect(queries[0]).toContain('rollouts_pod_template_hash');
    const first = Sparklines.parse(answers[0]);
    expect(first.state).toBe('data');
    expect(first.byId[canary.id]).toEqual({ role: 'canary', points: [[now - 60, 0.2], [now, null]] });
    // The settled rollout (stable = 64c6588bd7, the hash the canary fixture is releasing) reads that series, as stable.
    expect(first.byId[healthy.id]).toEqual({ role: 'stable', points: [[now - 60, 0.2], [now, null]] });
    expect(answers.every((a) => JSON.stringify(a) === JSON.stringify(first))).toBe(true);
  });

  it('says why when Prometheus is missing or failing, with no data rather than a wrong line', async () => {
    const canary = deriveFixture('canary-manual-pause');
    expect(await sparklines([canary], null, new CoalescingCache<Series[]>(1000), 5)).toEqual({ state: 'error', error: 'Prometheus is not configured', byId: {} });
    const failing = { baseUrl: 'http://prometheus.test', queryRange: () => Promise.reject(new Error('Prometheus at http://prometheus.test is unreachable (ECONNREFUSED)')) };
    expect(await sparklines([canary], failing, new CoalescingCache<Series[]>(1000), 5, 'generic', now)).toEqual({ state: 'error', error: 'Prometheus at http://prometheus.test is unreachable (ECONNREFUSED)', byId: {} });
  });
});
