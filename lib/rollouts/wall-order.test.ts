import { describe, expect, it } from 'vitest';
import { toRow } from '@/lib/contracts/overview';
import { deriveFixture } from '@/test/fixtures';
import { orderTiles, pageOf, type TileFacts } from './wall-order';

const base = toRow(deriveFixture('canary-healthy'));
const tile = (name: string, phase: TileFacts['row']['phase'], extra: Partial<TileFacts> = {}): TileFacts => ({
  row: { ...base, id: `x/${name}`, name, phase },
  incident: false,
  waitingApproval: false,
  firingAlerts: 0,
  ...extra,
});

describe('wall order', () => {
  it('puts degraded, aborted and paged first, then waiting for approval, then alerts, then the rest', () => {
    const tiles = [tile('a-healthy', 'Healthy'), tile('b-waiting', 'Paused', { waitingApproval: true }), tile('c-degraded', 'Degraded'), tile('d-alert', 'Healthy', { firingAlerts: 1 }), tile('e-aborted', 'Aborted'), tile('f-progress', 'Progressing')];
    expect(orderTiles(tiles).map((t) => t.row.name)).toEqual(['c-degraded', 'e-aborted', 'b-waiting', 'd-alert', 'f-progress', 'a-healthy']);
  });

  it('pages the calm tiles on a timer while those that need attention stay on every page', () => {
    const tiles = orderTiles([tile('bad', 'Degraded'), tile('gate', 'Paused', { waitingApproval: true }), ...Array.from({ length: 28 }, (_, i) => tile(`ok-${String(i).padStart(2, '0')}`, 'Healthy'))]);
    const first = pageOf(tiles, 12, 0);
    const second = pageOf(tiles, 12, 1);
    expect(first.pages).toBe(3);
    expect(first.tiles.slice(0, 2).map((t) => t.row.name)).toEqual(['bad', 'gate']);
    expect(second.tiles.slice(0, 2).map((t) => t.row.name)).toEqual(['bad', 'gate']);
    expect(first.tiles[2].row.name).toBe('ok-00');
    expect(second.tiles[2].row.name).toBe('ok-10');
    // Every calm tile is shown on some page; the pages wrap around.
    const shown = new Set([0, 1, 2].flatMap((p) => pageOf(tiles, 12, p).tiles.map((t) => t.row.name)));
    expect(shown.size).toBe(30);
    expect(pageOf(tiles, 12, 3).tiles).toEqual(first.tiles);
  });
});
