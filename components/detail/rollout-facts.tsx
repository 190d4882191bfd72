import type { ReactNode } from 'react';
import type { WorkloadSummary } from '@/lib/contracts/workload';
import { STRATEGY_NAME } from '@/lib/rollouts/labels';

function Fact({ term, children, testId }: { term: string; children: ReactNode; testId?: string }) {
  return (
    <>
      <dt className="text-slate-500">{term}</dt>
      <dd className="min-w-0 break-words" data-testid={testId}>
        {children}
      </dd>
    </>
  );
}

/** Strategy specifics and running images, as `kubectl argo rollouts get rollout` lists them. */
export function RolloutFacts({ w }: { w: WorkloadSummary }) {
  const bg = w.blueGreen;
  return (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-3 gap-y-1 text-sm">
      <Fact term="Strategy">{STRATEGY_NAME[w.strategy]}</Fact>
      {bg && (
        <>
          <Fact term="Active Service" testId="bluegreen-active-service">
            <span className="font-mono">{bg.activeService}</span>
          </Fact>
          <Fact term="Preview Service" testId="bluegreen-preview-service">
            <span className="font-mono">{bg.previewService ?? 'none'}</span>
          </Fact>
          <Fact term="Scale-down delay" testId="bluegreen-scale-down-delay">
            {bg.scaleDownDelaySeconds} s after promotion
          </Fact>
          <Fact term="Promotion">
            {bg.autoPromotionEnabled ? (bg.autoPromotionSeconds ? `automatic after ${bg.autoPromotionSeconds} s` : 'automatic once the preview is ready') : 'manual'}
          </Fact>
        </>
      )}
      {w.strategy === 'canary' && w.kind === 'Rollout' && (w.services.canary || w.services.stable) && (
        <Fact term="Services">
          <span className="font-mono">{w.services.canary ?? '—'}</span> (canary) · <span className="font-mono">{w.services.stable ?? '—'}</span> (stable)
        </Fact>
      )}
      {w.templateRef && (
        <Fact term="Pod template" testId="template-ref">
          from {w.templateRef.kind} <span className="font-mono">{w.templateRef.name}</span>
          {!w.templateRef.found && <span className="text-rose-700 dark:text-rose-300"> (not found)</span>}
          {w.templateRef.scaleDown && ` · scale-down: ${w.templateRef.scaleDown}`}
        </Fact>
      )}
      <Fact term="Images" testId="running-images">
        <ul>
          {w.runningImages.map((i) => (
            <li key={i.image} className="font-mono text-xs">
              {i.image}
              {i.tags.length > 0 && <span className="font-sans text-slate-500"> ({i.tags.join(', ')})</span>}
            </li>
          ))}
        </ul>
      </Fact>
    </dl>
  );
}
