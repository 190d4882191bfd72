'use client';

import { useQuery } from '@tanstack/react-query';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useMemo } from 'react';
import { applyFilters, countByPhase, filtersToSearch, parseFilters, type OverviewFilters } from '@/lib/rollouts/filters';
import { snapshotQuery } from '@/lib/queries/workloads';
import { sparklinesQuery } from '@/lib/queries/metrics';
import { Sparkline } from '@/components/charts/sparkline';
import { FilterBar } from './filter-bar';
import { WorkloadCard } from './workload-card';
import { WorkloadTable } from './workload-table';

/** Container: reads the live cache and the URL, renders the presentational pieces. */
export function Overview() {
  const { data, error } = useQuery(snapshotQuery());
  const { data: sparks, error: sparkError } = useQuery(sparklinesQuery());
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const filters = useMemo(() => parseFilters(new URLSearchParams(params.toString())), [params]);
  const workloads = useMemo(() => data?.workloads ?? [], [data]);
  const visible = useMemo(() => applyFilters(workloads, filters), [workloads, filters]);
  const namespaces = useMemo(() => [...new Set(workloads.map((w) => w.namespace))].sort(), [workloads]);
  const clusters = useMemo(() => [...new Set(workloads.map((w) => w.cluster))].sort(), [workloads]);
  const onChange = (next: OverviewFilters) => router.replace(`${pathname}${filtersToSearch(next)}`, { scroll: false });

  return (
    <main className="mx-auto flex max-w-7xl flex-col gap-4 px-4 py-6">
      <FilterBar filters={filters} namespaces={namespaces} clusters={clusters} counts={countByPhase(workloads)} onChange={onChange} />
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
      ) : (
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-4">
          {visible.map((w) => (
            <WorkloadCard
              key={w.id}
              workload={w}
              sparkline={
                w.kind === 'Rollout' ? (
                  <Sparkline points={sparks?.byId[w.id]?.points ?? null} role={sparks?.byId[w.id]?.role ?? 'stable'} unavailable={sparks?.state === 'error' || Boolean(sparkError)} />
                ) : null
              }
            />
          ))}
        </div>
      )}
    </main>
  );
}
