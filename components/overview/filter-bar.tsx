'use client';

import type { Phase } from '@/lib/contracts/workload';
import type { OverviewFilters } from '@/lib/rollouts/filters';

const PHASES: Phase[] = ['Healthy', 'Progressing', 'Paused', 'Degraded', 'Aborted'];

export function FilterBar({
  filters,
  namespaces,
  clusters,
  counts,
  onChange,
}: {
  filters: OverviewFilters;
  namespaces: string[];
  clusters: string[];
  counts: Record<Phase, number>;
  onChange: (next: OverviewFilters) => void;
}) {
  const set = (patch: Partial<OverviewFilters>) => onChange({ ...filters, ...patch });
  const togglePhase = (phase: Phase) =>
    set({ phase: filters.phase.includes(phase) ? filters.phase.filter((p) => p !== phase) : [...filters.phase, phase] });
  const input = 'rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900';
  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap gap-2" role="group" aria-label="Filter by phase">
        {PHASES.map((phase) => (
          <button
            key={phase}
            type="button"
            aria-pressed={filters.phase.includes(phase)}
            data-testid={`count-${phase}`}
            onClick={() => togglePhase(phase)}
            className={`rounded-lg border px-3 py-1.5 text-sm ${filters.phase.includes(phase) ? 'border-sky-500 bg-sky-50 dark:bg-sky-950' : 'border-slate-300 dark:border-slate-700'}`}
          >
            {phase} <b className="tabular-nums">{counts[phase]}</b>
          </button>
        ))}
        <label className="ml-auto flex items-center gap-2 text-sm">
          <input type="checkbox" checked={filters.attention} onChange={(e) => set({ attention: e.target.checked })} data-testid="filter-attention" />
          Needs attention
        </label>
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <input aria-label="Search by name or image" placeholder="Search name, namespace, image" className={`${input} w-64`} value={filters.q} onChange={(e) => set({ q: e.target.value })} data-testid="filter-search" />
        <select aria-label="Namespace" className={input} value={filters.namespace} onChange={(e) => set({ namespace: e.target.value })} data-testid="filter-namespace">
          <option value="">All namespaces</option>
          {namespaces.map((ns) => (
            <option key={ns} value={ns}>
              {ns}
            </option>
          ))}
        </select>
        {clusters.length > 1 && (
          <select aria-label="Cluster" className={input} value={filters.cluster} onChange={(e) => set({ cluster: e.target.value })}>
            <option value="">All clusters</option>
            {clusters.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        )}
        <input aria-label="Label selector" placeholder="label=value" className={`${input} w-40`} value={filters.label} onChange={(e) => set({ label: e.target.value })} />
        <select aria-label="Sort" className={input} value={filters.sort} onChange={(e) => set({ sort: e.target.value as OverviewFilters['sort'] })}>
          <option value="attention">Sort: attention first</option>
          <option value="name">Sort: name</option>
          <option value="namespace">Sort: namespace</option>
          <option value="updated">Sort: last change</option>
        </select>
        <div className="ml-auto inline-flex overflow-hidden rounded-md border border-slate-300 dark:border-slate-700" role="group" aria-label="View">
          {(['grid', 'table'] as const).map((view) => (
            <button key={view} type="button" aria-pressed={filters.view === view} onClick={() => set({ view })} className={`px-3 py-1 text-sm ${filters.view === view ? 'bg-slate-800 text-white dark:bg-slate-200 dark:text-slate-900' : ''}`}>
              {view === 'grid' ? 'Grid' : 'Table'}
            </button>
          ))}
        </div>
      </div>
    </div>
  );
}
