import { z } from 'zod';
import type { WorkloadRow } from '@/lib/contracts/overview';
import { Phase, type WorkloadSummary } from '@/lib/contracts/workload';

/** What filtering and sorting read of a workload: an overview row has it. */
export type Filterable = Pick<WorkloadRow, 'name' | 'namespace' | 'cluster' | 'phase' | 'labels' | 'images' | 'lastChange'>;

/** Overview filters, as they live in the URL so a link reproduces the view. */
export const OverviewFilters = z.object({
  q: z.string().default(''),
  namespace: z.string().default(''),
  cluster: z.string().default(''),
  phase: z.array(Phase).default([]),
  /** `key=value` or just `key`. */
  label: z.string().default(''),
  attention: z.boolean().default(false),
  view: z.enum(['grid', 'table']).default('grid'),
  sort: z.enum(['attention', 'name', 'namespace', 'updated']).default('attention'),
});
export type OverviewFilters = z.infer<typeof OverviewFilters>;

export function parseFilters(params: URLSearchParams | Record<string, string | string[] | undefined>): OverviewFilters {
  const get = (key: string): string | undefined => {
    if (params instanceof URLSearchParams) return params.get(key) ?? undefined;
    const value = params[key];
    return Array.isArray(value) ? value[0] : value;
  };
  const phases = (get('phase') ?? '')
    .split(',')
    .filter((p): p is Phase => Phase.safeParse(p).success);
  const raw = {
    q: get('q') ?? '',
    namespace: get('ns') ?? '',
    cluster: get('cluster') ?? '',
    phase: phases,
    label: get('label') ?? '',
    attention: get('attention') === '1',
    view: get('view') === 'table' ? 'table' : 'grid',
    sort: ['name', 'namespace', 'updated'].includes(get('sort') ?? '') ? get('sort') : 'attention',
  };
  return OverviewFilters.parse(raw);
}

export function filtersToSearch(filters: OverviewFilters): string {
  const params = new URLSearchParams();
  if (filters.q) params.set('q', filters.q);
  if (filters.namespace) params.set('ns', filters.namespace);
  if (filters.cluster) params.set('cluster', filters.cluster);
  if (filters.phase.length) params.set('phase', filters.phase.join(','));
  if (filters.label) params.set('label', filters.label);
  if (filters.attention) params.set('attention', '1');
  if (filters.view !== 'grid') params.set('view', filters.view);
  if (filters.sort !== 'attention') params.set('sort', filters.sort);
  const text = params.toString();
  return text ? `?${text}` : '';
}

export const needsAttention = (w: Pick<WorkloadSummary, 'phase'>) => w.phase !== 'Healthy';

const ATTENTION_ORDER: Record<Phase, number> = { Aborted: 0, Degraded: 1, Paused: 2, Progressing: 3, Healthy: 4 };

function matchesLabel(w: Filterable, selector: string): boolean {
  if (!selector) return true;
  return selector.split(',').every((part) => {
    const [key, value] = part.split('=').map((s) => s.trim());
    if (!key) return true;
    return value === undefined ? key in w.labels : w.labels[key] === value;
  });
}

/** Name, namespace and images, lower-cased once per row object (rows are immutable: a change is a new object). */
const haystacks = new WeakMap<Filterable, string>();
function haystack(w: Filterable): string {
  let text = haystacks.get(w);
  if (text === undefined) {
    // Newline-separated: the search box holds one line, so a query never matches across two fields.
    text = [w.name, w.namespace, ...w.images].join('\n').toLowerCase();
    haystacks.set(w, text);
  }
  return text;
}

/** The filters' predicate (without the sort): what a keystroke re-runs over an already sorted list. */
export function matchesFilters(f: OverviewFilters): (w: Filterable) => boolean {
  const q = f.q.trim().toLowerCase();
  return (w) =>
    (!q || haystack(w).includes(q)) &&
    (!f.namespace || w.namespace === f.namespace) &&
    (!f.cluster || w.cluster === f.cluster) &&
    (f.phase.length === 0 || f.phase.includes(w.phase)) &&
    (!f.attention || needsAttention(w)) &&
    matchesLabel(w, f.label);
}

/** A sorted copy; filtering a sorted list keeps its order, so the overview sorts once per change of the rows or the sort. */
export function sortWorkloads<T extends Filterable>(workloads: T[], sort: OverviewFilters['sort']): T[] {
  const byName = (a: Filterable, b: Filterable) => a.name.localeCompare(b.name) || a.namespace.localeCompare(b.namespace);
  const sorters: Record<OverviewFilters['sort'], (a: Filterable, b: Filterable) => number> = {
    attention: (a, b) => ATTENTION_ORDER[a.phase] - ATTENTION_ORDER[b.phase] || byName(a, b),
    name: byName,
    namespace: (a, b) => a.namespace.localeCompare(b.namespace) || byName(a, b),
    updated: (a, b) => (b.lastChange ?? '').localeCompare(a.lastChange ?? '') || byName(a, b),
  };
  return [...workloads].sort(sorters[sort]);
}

export function applyFilters<T extends Filterable>(workloads: T[], f: OverviewFilters): T[] {
  return sortWorkloads(workloads.filter(matchesFilters(f)), f.sort);
}

export function countByPhase(workloads: Pick<WorkloadSummary, 'phase'>[]): Record<Phase, number> {
  const counts: Record<Phase, number> = { Healthy: 0, Progressing: 0, Paused: 0, Degraded: 0, Aborted: 0 };
  for (const w of workloads) counts[w.phase] += 1;
  return counts;
}

/** Detail-page path; every segment is a DNS label, so no escaping surprises. */
export function workloadHref(w: Pick<WorkloadSummary, 'kind' | 'cluster' | 'namespace' | 'name'>): string {
  const base = w.kind === 'Rollout' ? 'rollouts' : 'deployments';
  return `/${base}/${w.cluster}/${w.namespace}/${w.name}`;
}
