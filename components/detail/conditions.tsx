import type { WorkloadSummary } from '@/lib/contracts/workload';

export function Conditions({ conditions }: { conditions: WorkloadSummary['conditions'] }) {
  if (conditions.length === 0) return <p className="text-sm text-slate-500">No conditions reported.</p>;
  return (
    <table className="w-full text-xs">
      <tbody>
        {conditions.map((c) => (
          <tr key={c.type} className="border-t border-slate-100 align-top dark:border-slate-800">
            <td className="py-1 pr-2 font-medium">{c.type}</td>
            <td className={`py-1 pr-2 ${c.status === 'True' ? 'text-emerald-700 dark:text-emerald-300' : 'text-slate-500'}`}>{c.status}</td>
            <td className="py-1 pr-2">{c.reason}</td>
            <td className="py-1 break-words text-slate-600 dark:text-slate-400">{c.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
