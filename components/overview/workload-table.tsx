import Link from 'next/link';
import type { WorkloadSummary } from '@/lib/contracts/workload';
import { workloadHref } from '@/lib/rollouts/filters';
import { PhaseBadge } from '@/components/ui/phase-badge';
import { stepText } from '@/lib/rollouts/labels';

export function WorkloadTable({ workloads }: { workloads: WorkloadSummary[] }) {
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 dark:border-slate-800">
      <table className="w-full text-left text-sm">
        <thead className="bg-slate-100 text-xs uppercase text-slate-500 dark:bg-slate-900 dark:text-slate-400">
          <tr>
            <th className="px-3 py-2">Name</th>
            <th className="px-3 py-2">Namespace</th>
            <th className="px-3 py-2">Phase</th>
            <th className="px-3 py-2">Strategy</th>
            <th className="px-3 py-2">Step</th>
            <th className="px-3 py-2 text-right">Desired %</th>
            <th className="px-3 py-2 text-right">Actual %</th>
            <th className="px-3 py-2">Why</th>
          </tr>
        </thead>
        <tbody>
          {workloads.map((w) => {
            const testId = `rollout-${w.namespace}-${w.name}`;
            return (
              <tr key={w.id} data-testid={testId} className="border-t border-slate-200 dark:border-slate-800">
                <td className="px-3 py-2 font-medium">
                  <Link href={workloadHref(w)} className="hover:underline">
                    {w.name}
                  </Link>
                </td>
                <td className="px-3 py-2">{w.namespace}</td>
                <td className="px-3 py-2">
                  <PhaseBadge phase={w.phase} testId={`${testId}-phase`} />
                </td>
                <td className="px-3 py-2">{w.strategy}</td>
                <td className="px-3 py-2" data-testid={`${testId}-step`}>{stepText(w)}</td>
                <td className="px-3 py-2 text-right tabular-nums" data-testid={`${testId}-desired-weight`}>{w.desiredWeight ?? '—'}</td>
                <td className="px-3 py-2 text-right tabular-nums" data-testid={`${testId}-actual-weight`}>{w.actualWeight ?? (w.strategy === 'canary' ? 'no data' : '—')}</td>
                <td className="max-w-md truncate px-3 py-2 text-xs text-rose-700 dark:text-rose-300" title={w.diagnosis?.headline}>
                  {w.diagnosis?.headline ?? ''}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
