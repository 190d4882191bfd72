import { describe, expect, it } from 'vitest';
import type { WorkloadRow } from '@/lib/contracts/overview';
import { applyFilters, countByPhase, filtersToSearch, matchesFilters, parseFilters, sortWorkloads } from './filters';

const w = (name: string, namespace: string, phase: WorkloadRow['phase'], labels: Record<string, string> = {}) =>
  ({ id: `c/Rollout/${namespace}/${name}`, cluster: 'c', name, namespace, phase, labels, images: [`reg/${name}:v1`], lastChange: null }) as unknown as WorkloadRow;

const all = [w('checkout', 'shop', 'Paused', { team: 'pay' }), w('payments', 'shop', 'Healthy'), w('ranker', 'search', 'Aborted'), w('suggest', 'search', 'Healthy')];

describe('overview filters', () => {
  it('round-trip through the URL so a link reproduces the view', () => {
    const filters = parseFilters(new URLSearchParams('q=che&ns=shop&phase=Paused,Degraded&attention=1&view=table&sort=name&label=team%3Dpay'));
    expect(filters).toMatchObject({ q: 'che', namespace: 'shop', phase: ['Paused', 'Degraded'], attention: true, view: 'table', sort: 'name', label: 'team=pay' });
    expect(parseFilters(new URLSearchParams(filtersToSearch(filters).slice(1)))).toEqual(filters);
  });

  it('ignores unknown phases and values instead of failing', () => {
    expect(parseFilters(new URLSearchParams('phase=Bogus,Healthy&view=cards&sort=x'))).toMatchObject({ phase: ['Healthy'], view: 'grid', sort: 'attention' });
  });

  it('filters by name, namespace, phase, label and attention; sorts what needs attention first', () => {
    const base = parseFilters(new URLSearchParams());
    expect(applyFilters(all, base).map((x) => x.name)).toEqual(['ranker', 'checkout', 'payments', 'suggest']);
    expect(applyFilters(all, { ...base, attention: true }).map((x) => x.name)).toEqual(['ranker', 'checkout']);
    expect(applyFilters(all, { ...base, namespace: 'search' }).map((x) => x.name)).toEqual(['ranker', 'suggest']);
    expect(applyFilters(all, { ...base, label: 'team=pay' }).map((x) => x.name)).toEqual(['checkout']);
    expect(applyFilters(all, { ...base, q: 'PAY' }).map((x) => x.name)).toEqual(['payments']);
    expect(applyFilters(all, { ...base, phase: ['Healthy'], sort: 'name' }).map((x) => x.name)).toEqual(['payments', 'suggest']);
  });

  it('searches name, namespace and images, never across two of them; filtering the sorted list gives what filter-then-sort gives', () => {
    const base = parseFilters(new URLSearchParams());
    expect(applyFilters(all, { ...base, q: 'reg/rank' }).map((x) => x.name)).toEqual(['ranker']);
    expect(applyFilters(all, { ...base, q: 'SEARCH' }).map((x) => x.name)).toEqual(['ranker', 'suggest']);
    // "checkout" then "shop": the joined text must not let a query span the two fields.
    expect(applyFilters(all, { ...base, q: 'checkoutshop' })).toEqual([]);
    for (const f of [{ ...base, q: 'e' }, { ...base, q: 's', sort: 'name' as const }, { ...base, attention: true, sort: 'namespace' as const }]) {
      expect(sortWorkloads(all, f.sort).filter(matchesFilters(f))).toEqual(applyFilters(all, f));
    }
  });

  it('counts per phase', () => {
    expect(countByPhase(all)).toEqual({ Healthy: 2, Progressing: 0, Paused: 1, Degraded: 0, Aborted: 1 });
  });
});
