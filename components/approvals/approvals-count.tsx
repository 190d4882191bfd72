'use client';

import Link from 'next/link';
import { useQuery } from '@tanstack/react-query';
import { approvalsQuery, useApprovalsStream } from '@/lib/queries/approvals';
import { awaitsAction } from '@/lib/rollouts/approvals';

/** "Approvals 2" in the header: requests waiting for a decision or for a refused promotion to be sent again, live through the approvals stream. */
export function ApprovalsCount() {
  useApprovalsStream();
  // Filled by the stream; the page itself fetches when opened directly.
  const { data } = useQuery({ ...approvalsQuery(), enabled: false });
  const pending = data?.approvals.filter(awaitsAction).length ?? 0;
  return (
    <Link
      href="/approvals"
      data-testid="approvals-count"
      data-count={pending}
      className="flex items-center gap-1.5 rounded-md px-2 py-1 text-sm text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
    >
      Approvals
      {pending > 0 && (
        <span className="rounded-full bg-amber-500 px-1.5 text-xs font-semibold text-white dark:bg-amber-600" aria-label={`${pending} waiting`}>
          {pending}
        </span>
      )}
    </Link>
  );
}
