import Link from 'next/link';
import { memo } from 'react';
import type { WorkloadRow } from '@/lib/contracts/overview';
import { workloadHref } from '@/lib/rollouts/filters';
import { PhaseBadge } from '@/components/ui/phase-badge';
import { stepText } from '@/lib/rollouts/labels';
import { useVirtualTableRows, VIRTUALIZE_AT } from './virtual-list';

const Row = memo(function Row({ w, index, measure }: { w: WorkloadRow; index?: number; measure?: (node: Element | null) => void }) {
  const testId = `rollout-${w.namespace}-${w.name}`;
  return (
    <tr data-testid={testId} data-index={index} ref={measure} className="border-t border-slate-200 dark:border-slate-800">
      <td className="px-3 py-2 font-medium">
        <Link href={workloadHref(w)} prefetch={false} className="hover:underline">
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
      <td className="max-w-md truncate px-3 py-2 text-xs text-rose-700 dark:text-rose-300" title={w.headline ?? undefined}>
        {w.headline ?? ''}
      </td>
    </tr>
  );
});

function Head() {
  return (
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
  );
}

function VirtualBody({ workloads }: { workloads: WorkloadRow[] }) {
  const { ref, indexes, before, after, measure } = useVirtualTableRows(workloads.length, 41);
  return (
    <tbody ref={ref}>
      {before > 0 && <tr aria-hidden style={{ height: before }} />}
      {indexes.map((i) => (
        <Row key={workloads[i].id} w={workloads[i]} index={i} measure={measure} />
      ))}
      {after > 0 && <tr aria-hidden style={{ height: after }} />}
    </tbody>
  );
}

export function WorkloadTable({ workloads }: { workloads: WorkloadRow[] }) {
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 dark:border-slate-800">
      <table className="w-full text-left text-sm">
        <Head />
        {workloads.length > VIRTUALIZE_AT ? (
          <VirtualBody workloads={workloads} />
        ) : (
          <tbody>
            {workloads.map((w) => (
              <Row key={w.id} w={w} />
            ))}
          </tbody>
        )}
      </table>
    </div>
  );
}
