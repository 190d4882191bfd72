'use client';

import { useQuery } from '@tanstack/react-query';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { MetricChart } from '@/components/charts/metric-chart';
import { MetricsWindow } from '@/lib/contracts/metrics';
import { metricsQuery } from '@/lib/queries/metrics';

const WINDOWS: { value: MetricsWindow; label: string }[] = [
  { value: 'rollout', label: 'This rollout' },
  { value: '15m', label: '15 min' },
  { value: '1h', label: '1 h' },
  { value: '6h', label: '6 h' },
];

/** Container: the window lives in the URL; data comes from /api/metrics, never from Prometheus directly. */
export function MetricsPanel({ cluster, namespace, name }: { cluster: string; namespace: string; name: string }) {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const parsed = MetricsWindow.safeParse(params.get('window'));
  const window: MetricsWindow = parsed.success ? parsed.data : 'rollout';
  const { data, error, isPending } = useQuery(metricsQuery(cluster, namespace, name, window));
  const setWindow = (next: MetricsWindow) => {
    const search = new URLSearchParams(params.toString());
    if (next === 'rollout') search.delete('window');
    else search.set('window', next);
    const text = search.toString();
    router.replace(`${pathname}${text ? `?${text}` : ''}`, { scroll: false });
  };
  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center gap-2" role="group" aria-label="Chart window">
        {WINDOWS.map((w) => (
          <button key={w.value} type="button" aria-pressed={window === w.value} onClick={() => setWindow(w.value)} className={`rounded-md border px-2 py-1 text-xs ${window === w.value ? 'border-sky-500 bg-sky-50 dark:bg-sky-950' : 'border-slate-300 dark:border-slate-700'}`}>
            {w.label}
          </button>
        ))}
        {error && <span className="text-xs text-rose-700 dark:text-rose-300">Charts unavailable: {error.message}</span>}
        {data && (
          <span className="text-xs text-slate-500 dark:text-slate-400" data-testid="metrics-comparison">
            {data.comparison.next} vs {data.comparison.current}
            {data.analysisRevision && ` · analysis of revision ${data.analysisRevision}`}
          </span>
        )}
      </div>
      <div className="grid gap-3 md:grid-cols-2">
        {isPending && !data
          ? Array.from({ length: 4 }, (_, i) => <MetricChart key={i} panel={null} loading />)
          : (data?.panels ?? []).map((panel) => <MetricChart key={panel.id} panel={panel} range={data?.window} />)}
        {data && data.panels.length === 0 && <p className="text-sm text-slate-500">No metrics to chart for this rollout yet.</p>}
      </div>
    </div>
  );
}
