/**
 * The wall's order and paging (pure). What needs a person comes first and stays on every page:
 * an open incident, Degraded or Aborted, then releases waiting (for approval, then for a promote),
 * then the rest by phase and name. The others page through on a timer.
 */
import type { WorkloadRow } from '@/lib/contracts/overview';

export interface TileFacts {
  row: WorkloadRow;
  incident: boolean;
  waitingApproval: boolean;
  firingAlerts: number;
}

export function attentionRank(t: TileFacts): number {
  if (t.incident || t.row.phase === 'Degraded' || t.row.phase === 'Aborted') return 0;
  if (t.waitingApproval) return 1;
  if (t.firingAlerts > 0) return 2;
  if (t.row.phase === 'Paused' && t.row.reason?.code === 'manual-promotion') return 3;
  if (t.row.phase === 'Paused' || t.row.phase === 'Progressing') return 4;
  return 5;
}

/** Needs someone now: pinned on every page. */
export const needsAttention = (t: TileFacts) => attentionRank(t) <= 2;

export function orderTiles(tiles: TileFacts[]): TileFacts[] {
  return [...tiles].sort((a, b) => attentionRank(a) - attentionRank(b) || a.row.namespace.localeCompare(b.row.namespace) || a.row.name.localeCompare(b.row.name));
}

/**
 * Page `page` of the wall with room for `capacity` tiles: the pinned tiles first (as many as fit),
 * then the page's share of the rest. Answers the tiles and how many pages there are.
 */
export function pageOf(ordered: TileFacts[], capacity: number, page: number): { tiles: TileFacts[]; pages: number } {
  const cap = Math.max(1, capacity);
  const pinned = ordered.filter(needsAttention).slice(0, cap);
  const rest = ordered.filter((t) => !pinned.includes(t));
  const room = cap - pinned.length;
  if (room <= 0 || rest.length === 0) return { tiles: pinned.length ? pinned : rest.slice(0, cap), pages: 1 };
  const pages = Math.max(1, Math.ceil(rest.length / room));
  const p = ((page % pages) + pages) % pages;
  return { tiles: [...pinned, ...rest.slice(p * room, p * room + room)], pages };
}
