import { describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));

import { WallData, type WallScope } from '@/lib/contracts/kiosk';
import { toRow } from '@/lib/contracts/overview';
import type { WorkloadSummary } from '@/lib/contracts/workload';
import type { NamespaceReads } from '@/lib/server/auth/access';
import { deriveFixture } from '@/test/fixtures';
import { SharedWalls, type WallBody } from './wall';

const base = deriveFixture('canary-manual-pause');
const at = (namespace: string, name: string, kind: WorkloadSummary['kind'] = 'Rollout'): WorkloadSummary => ({ ...base, kind, namespace, name, id: `sandbox/${kind}/${namespace}/${name}` });
const workloads = [at('shop', 'checkout'), at('shop', 'cart'), at('restricted', 'vault'), at('search', 'ranker'), at('shop', 'web', 'Deployment')];
const scope: WallScope = { clusters: [], namespaces: ['shop', 'restricted'], labels: {} };

/** A wall service over fixed workloads whose build counts its calls (and takes a moment, like the real reads). */
function walls(clock = { t: 0 }) {
  const built: string[][] = [];
  const shared = new SharedWalls(
    {
      workloads: () => workloads,
      build: async (s, ws): Promise<WallBody> => {
        built.push(ws.map((w) => w.id));
        await new Promise((r) => setTimeout(r, 5));
        return {
          generatedAt: new Date(0).toISOString(),
          scope: s,
          rows: ws.map(toRow),
          health: [],
          alerts: { alerts: [], fetchedAt: null, error: null, configured: false },
          incidents: [],
          approvals: [],
          sparklines: { state: 'data', error: null, byId: {} },
        };
      },
    },
    1000,
    () => clock.t,
  );
  return { shared, built, clock };
}

const reads = (allowed: Record<string, Partial<NamespaceReads>>) => async (_cluster: string, namespace: string): Promise<NamespaceReads> => ({ rollouts: false, deployments: false, ...allowed[namespace] });
const names = (text: string) => WallData.parse(JSON.parse(text)).rows.map((r) => `${r.namespace}/${r.name}`).sort();

describe('shared walls: one build per scope and visibility, whatever the number of viewers', () => {
  it('50 concurrent kiosk screens of one scope (links with their own titles) cost one build', async () => {
    const { shared, built } = walls();
    const texts = await Promise.all(Array.from({ length: 50 }, (_, i) => shared.text(scope, null, { title: `Screen ${i}`, expiresAt: '2030-01-01T00:00:00.000Z' })));
    expect(built).toHaveLength(1);
    expect(shared.stats).toEqual({ builds: 1, served: 50 });
    const first = WallData.parse(JSON.parse(texts[0]));
    expect(first.title).toBe('Screen 0');
    expect(WallData.parse(JSON.parse(texts[49])).title).toBe('Screen 49');
    expect(names(texts[0])).toEqual(['restricted/vault', 'shop/cart', 'shop/checkout', 'shop/web']);
  });

  it('people who may read the same namespaces share a build; one who may not read a namespace never gets its tiles', async () => {
    const { shared, built } = walls();
    const everything = reads({ shop: { rollouts: true, deployments: true }, restricted: { rollouts: true, deployments: true } });
    const shopOnly = reads({ shop: { rollouts: true, deployments: true } });
    const rolloutsOnly = reads({ shop: { rollouts: true } });
    const none = { title: null, expiresAt: null };
    const [a, b, victor1, victor2, rolloutsViewer] = await Promise.all([
      shared.text(scope, everything, none),
      shared.text(scope, everything, none),
      shared.text(scope, shopOnly, none),
      shared.text(scope, shopOnly, none),
      shared.text(scope, rolloutsOnly, none),
    ]);
    expect(built).toHaveLength(3);
    expect(a).toBe(b);
    expect(victor1).toBe(victor2);
    expect(names(a)).toEqual(['restricted/vault', 'shop/cart', 'shop/checkout', 'shop/web']);
    expect(names(victor1)).toEqual(['shop/cart', 'shop/checkout', 'shop/web']);
    expect(victor1).not.toContain('vault');
    expect(names(rolloutsViewer)).toEqual(['shop/cart', 'shop/checkout']);
    // Nothing outside the scope, even for someone who may read it.
    expect(a).not.toContain('ranker');
  });

  it('builds again once the shared answer is a second old, and after a failed build', async () => {
    const { shared, built, clock } = walls();
    await shared.text(scope, null, { title: null, expiresAt: null });
    clock.t = 999;
    await shared.text(scope, null, { title: null, expiresAt: null });
    expect(built).toHaveLength(1);
    clock.t = 1000;
    await shared.text(scope, null, { title: null, expiresAt: null });
    expect(built).toHaveLength(2);

    let fail = true;
    const flaky = new SharedWalls({ workloads: () => workloads, build: async () => (fail ? Promise.reject(new Error('boom')) : ({} as WallBody)) }, 1000, () => 0);
    await expect(flaky.text(scope, null, { title: null, expiresAt: null })).rejects.toThrow('boom');
    fail = false;
    await expect(flaky.text(scope, null, { title: null, expiresAt: null })).resolves.toBe('{"title":null,"expiresAt":null}');
  });
});
