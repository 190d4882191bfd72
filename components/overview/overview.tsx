'use client';

import { useQuery } from '@tanstack/react-query';
import { usePathname, useSearchParams } from 'next/navigation';
import { useCallback, useDeferredValue, useMemo, useState } from 'react';
import type { WorkloadRow } from '@/lib/contracts/overview';
import { countByPhase, filtersToSearch, matchesFilters, parseFilters, sortWorkloads, type OverviewFilters } from '@/lib/rollouts/filters';
import { rowsQuery } from '@/lib/queries/workloads';
import { sparklinesQuery } from '@/lib/queries/metrics';
import { FilterBar } from './filter-bar';
import { WorkloadCard } from './workload-card';
import { WorkloadTable } from './workload-table';
import { useGridColumns, VirtualGrid, VIRTUALIZE_AT } from './virtual-list';
import { alertMatches, type AlertsResponse, type FiringAlert } from '@/lib/contracts/alerts';
import { alertsQuery } from '@/lib/queries/oncall';

const NONE: FiringAlert[] = [];
/** The alerts firing for one card; the same empty array when none, so memoized cards stay put. */
function firingFor(data: AlertsResponse | undefined, w: { namespace: string; name: string }): FiringAlert[] {
  const list = (data?.alerts ?? []).filter((a) => a.state === 'firing' && alertMatches(a, w));
  return list.length ? list : NONE;
}

const GRID = 'grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-4';

/**
 * Container: reads the live rows (kept by id) and the URL, renders the presentational pieces. A
 * keystroke updates the search box at once; the list follows as a deferred render, and the URL is
 * rewritten in place (no navigation, no server round trip).
 */
export function Overview() {
  const { data, error } = useQuery(rowsQuery());
  const { data: sparks, error: sparkError } = useQuery(sparklinesQuery());
  const { data: firing } = useQuery(alertsQuery());
  const params = useSearchParams();
  const pathname = usePathname();
  const fromUrl = useMemo(() => parseFilters(new URLSearchParams(params.toString())), [params]);
  // The search box is local state (typing never waits for the URL); a URL change from elsewhere (back button) wins.
  const [q, setQ] = useState(fromUrl.q);
  const [seenUrlQ, setSeenUrlQ] = useState(fromUrl.q);
  if (fromUrl.q !== seenUrlQ) {
    setSeenUrlQ(fromUrl.q);
    setQ(fromUrl.q);
  }
  const filters = useMemo(() => ({ ...fromUrl, q }), [fromUrl, q]);
  const deferredFilters = useDeferredValue(filters);
  const workloads = useMemo(() => Object.values(data ?? {}), [data]);
  // Sorted once per change of the rows or of the sort; a keystroke only filters the sorted list.
  const sorted = useMemo(() => sortWorkloads(workloads, deferredFilters.sort), [workloads, deferredFilters.sort]);
  const visible = useMemo(() => sorted.filter(matchesFilters(deferredFilters)), [sorted, deferredFilters]);
  const namespaces = useMemo(() => [...new Set(workloads.map((w) => w.namespace))].sort(), [workloads]);
  const clusters = useMemo(() => [...new Set(workloads.map((w) => w.cluster))].sort(), [workloads]);
  const counts = useMemo(() => countByPhase(workloads), [workloads]);
  const columns = useGridColumns();
  const onChange = useCallback(
    (next: OverviewFilters) => {
      setQ(next.q);
      // Next.js folds history.replaceState into its router: useSearchParams follows, nothing is fetched.
      window.history.replaceState(null, '', `${pathname}${filtersToSearch(next)}`);
    },
    [pathname],
  );
  const sparkUnavailable = sparks?.state === 'error' || Boolean(sparkError);
  const card = (w: WorkloadRow) => (
    <WorkloadCard key={w.id} workload={w} spark={w.kind === 'Rollout' ? (sparks?.byId[w.id] ?? null) : undefined} sparkUnavailable={sparkUnavailable} alerts={firingFor(firing, w)} />
  );

  return (
    <main className="mx-auto flex max-w-7xl flex-col gap-4 px-4 py-6" data-testid="overview" data-shown={visible.length}>
      <FilterBar filters={filters} namespaces={namespaces} clusters={clusters} counts={counts} onChange={onChange} />
      {error && !data && (
        <p role="alert" className="rounded-lg border border-rose-300 bg-rose-50 p-3 text-sm text-rose-800 dark:bg-rose-950/40 dark:text-rose-200">
          Could not load workloads: {error.message}
        </p>
      )}
      {data && visible.length === 0 && (
        <p className="rounded-lg border border-dashed border-slate-300 p-8 text-center text-sm text-slate-500 dark:border-slate-700">
          {workloads.length === 0 ? 'No Rollouts or Deployments found in the watched namespaces.' : 'Nothing matches these filters.'}
        </p>
      )}
      {filters.view === 'table' ? (
        <WorkloadTable workloads={visible} />
      ) : visible.length > VIRTUALIZE_AT ? (
        <VirtualGrid items={visible} columns={columns} estimate={250} gapPx={16} render={card} rowClassName={GRID} />
      ) : (
        <div className={GRID}>{visible.map(card)}</div>
      )}
    </main>
  );
}
