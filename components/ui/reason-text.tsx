'use client';

import type { DiagnosisReason } from '@/lib/contracts/workload';
import { Ago, Countdown } from './time';

/** A diagnosis summary with its moment in the viewer's clock: "… · 3 minutes ago" or "… · resumes in 0:42". */
export function ReasonText({ reason }: { reason: Pick<DiagnosisReason, 'summary' | 'time'> }) {
  return (
    <>
      {reason.summary}
      {reason.time?.role === 'since' && (
        <span className="text-slate-500 dark:text-slate-400">
          {' · '}
          <Ago iso={reason.time.at} />
        </span>
      )}
      {reason.time?.role === 'until' && (
        <span className="text-slate-500 dark:text-slate-400">
          {' · resumes in '}
          <Countdown until={reason.time.at} />
        </span>
      )}
    </>
  );
}
