import type { Diagnosis } from '@/lib/contracts/workload';
import { ReasonText } from '@/components/ui/reason-text';

const SEVERITY: Record<string, string> = {
  critical: 'border-rose-500 bg-rose-50 dark:bg-rose-950/40',
  warning: 'border-amber-500 bg-amber-50 dark:bg-amber-950/40',
  info: 'border-sky-500 bg-sky-50 dark:bg-sky-950/40',
};

export function DiagnosisPanel({ diagnosis, testId }: { diagnosis: Diagnosis | null; testId: string }) {
  if (!diagnosis) {
    return (
      <p data-testid={testId} className="rounded-lg border-l-4 border-emerald-500 bg-emerald-50 p-3 text-sm dark:bg-emerald-950/40">
        Healthy: nothing is waiting and nothing is failing.
      </p>
    );
  }
  return (
    <section data-testid={testId} aria-label="Why is it stuck?" className="space-y-2">
      {diagnosis.reasons.map((r, i) => (
        <div key={`${r.code}-${i}`} className={`rounded-lg border-l-4 p-3 ${SEVERITY[r.severity]}`} data-reason={r.code} data-severity={r.severity}>
          <p className="text-sm font-medium">
            <ReasonText reason={r} />
          </p>
          {r.evidence.length > 0 && (
            <ul className="mt-1 list-disc pl-5 text-xs text-slate-700 dark:text-slate-300">
              {r.evidence.map((e) => (
                <li key={e} className="break-words">
                  {e}
                </li>
              ))}
            </ul>
          )}
        </div>
      ))}
    </section>
  );
}
