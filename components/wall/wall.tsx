'use client';

import { useQuery } from '@tanstack/react-query';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { alertMatches } from '@/lib/contracts/alerts';
import type { WallData } from '@/lib/contracts/kiosk';
import { orderTiles, pageOf, type TileFacts } from '@/lib/rollouts/wall-order';
import { WALL_POLL_MS, wallQuery, WallError } from '@/lib/queries/wall';
import { useHydrated, useNow } from '@/components/ui/time';
import { WallLegend } from './sparkline';
import { WallTile } from './tile';

/** What the server says when no Prometheus is configured at all: not a stale wall, just one without charts. */
export const PROMETHEUS_NOT_CONFIGURED = 'Prometheus is not configured';

/** Older than this, the data on screen is not live: the banner says how old. */
export const STALE_AFTER_MS = 5000;
const PAGE_MS = 15_000;
/** Reload once in a while (only while the server answers) so nothing accumulates over days. */
const RELOAD_AFTER_MS = 6 * 3600_000;

export interface Staleness {
  stale: boolean;
  /** Seconds since the oldest of: our last answer, a cluster's last good sync, Prometheus' last answer. */
  ageSeconds: number;
  reasons: string[];
}

/** Why (and since when) what the wall shows may not be true any more. Pure: tested on its own. */
export function staleness(data: WallData | undefined, lastOk: number, now: number, failing: string | null): Staleness {
  const reasons: string[] = [];
  let since = now;
  if (lastOk === 0 || now - lastOk > STALE_AFTER_MS) {
    reasons.push(failing ? `Aviary does not answer (${failing})` : 'no answer from Aviary');
    since = Math.min(since, lastOk || now);
  }
  for (const h of data?.health ?? []) {
    if (!h.connected) {
      reasons.push(`cluster ${h.cluster} unreachable`);
      since = Math.min(since, h.staleSince ? Date.parse(h.staleSince) : now);
    }
  }
  // Prometheus: its alert read failing, or the tiles' sparkline queries failing (whichever notices first).
  const sparklinesFailed = data?.sparklines.state === 'error' && data.sparklines.error !== PROMETHEUS_NOT_CONFIGURED;
  if ((data?.alerts.configured && data.alerts.error) || sparklinesFailed) {
    reasons.push('Prometheus unreachable');
    since = Math.min(since, data?.alerts.fetchedAt ? Date.parse(data.alerts.fetchedAt) : now);
  }
  return { stale: reasons.length > 0, ageSeconds: Math.max(0, Math.round((now - since) / 1000)), reasons };
}

function useCapacity(ref: React.RefObject<HTMLDivElement | null>): { cols: number; rows: number } {
  const [size, setSize] = useState({ cols: 5, rows: 4 });
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => {
      const { width, height } = el.getBoundingClientRect();
      // A tile takes at least ~440 × 270 CSS px and over a fifth of the wall's width (a 1080p screen: 4 × 3),
      // readable from across a room. Text scales with the tile's width (container query units), so a
      // 4K screen at 1× shows the same 4 × 3 with everything twice as large — as far-readable as 1080p.
      const cols = Math.max(1, Math.min(8, Math.floor(width / Math.max(440, width * 0.22))));
      const tileWidth = width / cols;
      const rows = Math.max(1, Math.floor(height / Math.max(270, height * 0.3, tileWidth * 0.6)));
      setSize((s) => (s.cols === cols && s.rows === rows ? s : { cols, rows }));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return size;
}

export function Wall({ token, search }: { token: string | null; search: string }) {
  const hydrated = useHydrated();
  const source = token ? { token } : { search };
  const query = useQuery(wallQuery(source));
  const now = useNow(1000);
  const lastOk = query.dataUpdatedAt;
  const fatal = query.error instanceof WallError && (query.error.status === 401 || query.error.status === 403) ? query.error : null;
  const gridRef = useRef<HTMLDivElement>(null);
  const { cols, rows } = useCapacity(gridRef);
  const [page, setPage] = useState(0);
  const startedAt = useRef<number | null>(null);

  useEffect(() => {
    const t = setInterval(() => setPage((p) => p + 1), PAGE_MS);
    return () => clearInterval(t);
  }, []);

  // A page that has run for hours reloads itself, but only while the server answers (never into an error page).
  useEffect(() => {
    startedAt.current ??= now;
    if (now - startedAt.current > RELOAD_AFTER_MS && lastOk > 0 && now - lastOk < WALL_POLL_MS * 2) window.location.reload();
  }, [now, lastOk]);

  const data = query.data;
  const tiles: TileFacts[] = useMemo(() => {
    if (!data) return [];
    const incidents = new Set(data.incidents.map((i) => i.workloadId));
    const waiting = new Set(data.approvals.map((a) => a.workloadId));
    return orderTiles(
      data.rows.map((row) => ({ row, incident: incidents.has(row.id), waitingApproval: waiting.has(row.id), firingAlerts: data.alerts.alerts.filter((a) => a.state === 'firing' && alertMatches(a, row)).length })),
    );
  }, [data]);
  const { tiles: shown, pages } = pageOf(tiles, cols * rows, page);
  const stale = staleness(data, lastOk, now, query.error ? query.error.message : null);
  // Against burn-in: the whole layout drifts by a few pixels, one step a minute.
  const minute = Math.floor(now / 60_000);
  const shift = { transform: `translate(${(minute % 5) - 2}px, ${(Math.floor(minute / 5) % 5) - 2}px)` };

  if (fatal) {
    return (
      <main className="flex h-screen items-center justify-center bg-black p-8 text-center text-slate-100" data-testid="wall-refused">
        <div>
          <h1 className="text-5xl font-bold">This wall cannot be shown</h1>
          <p className="mt-6 text-3xl text-slate-300">{fatal.message}</p>
        </div>
      </main>
    );
  }

  return (
    <main className="flex h-screen flex-col overflow-hidden bg-black text-slate-100" data-testid="wall" data-stale={stale.stale ? 'true' : 'false'}>
      {hydrated && stale.stale && data && (
        <div role="alert" data-testid="wall-stale" className="w-full bg-amber-400 px-6 py-3 text-center text-[max(1.875rem,1.6vw)] font-bold text-black">
          Data {stale.ageSeconds} s old — {stale.reasons.join(' · ')}
        </div>
      )}
      <div className="flex items-baseline gap-6 px-5 pt-3 pb-2 text-[max(1.5rem,1.25vw)] text-slate-300" style={shift}>
        <span className="text-[max(1.875rem,1.6vw)] font-bold text-slate-100">{data?.title ?? 'Aviary wall'}</span>
        <span>{data ? `${data.rows.length} workloads` : 'loading…'}</span>
        {data && data.incidents.length > 0 && <span className="font-bold text-rose-400" data-testid="wall-incident-count">{data.incidents.length} paged</span>}
        <WallLegend />
        {pages > 1 && (
          <span data-testid="wall-page">
            page {(page % pages) + 1}/{pages}
          </span>
        )}
      </div>
      <div
        ref={gridRef}
        className={`grid min-h-0 flex-1 gap-3 px-5 pb-4 transition-opacity ${stale.stale ? 'opacity-40 grayscale' : ''}`}
        style={{ ...shift, gridTemplateColumns: `repeat(${cols}, minmax(0, 1fr))`, gridTemplateRows: `repeat(${rows}, minmax(0, 1fr))` }}
      >
        {data &&
          shown.map(({ row }) => (
            <WallTile
              key={row.id}
              row={row}
              now={now}
              alerts={data.alerts.alerts.filter((a) => alertMatches(a, row))}
              incident={data.incidents.find((i) => i.workloadId === row.id) ?? null}
              approval={data.approvals.find((a) => a.workloadId === row.id) ?? null}
              spark={data.sparklines.byId[row.id] ?? null}
              metricsDown={data.sparklines.state === 'error' && data.sparklines.error !== PROMETHEUS_NOT_CONFIGURED}
            />
          ))}
        {data && data.rows.length === 0 && <p className="col-span-full text-[max(1.875rem,1.6vw)] text-slate-400">Nothing in this wall’s scope.</p>}
      </div>
    </main>
  );
}
