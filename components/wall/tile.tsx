'use client';

import type { FiringAlert } from '@/lib/contracts/alerts';
import type { IncidentView } from '@/lib/contracts/incidents';
import type { WorkloadRow } from '@/lib/contracts/overview';
import { formatAgo, formatCountdown } from '@/components/ui/time';
import { WallSparkline } from './sparkline';

const PHASE: Record<WorkloadRow['phase'], { ring: string; bg: string; text: string; icon: string }> = {
  Healthy: { ring: 'border-emerald-500/60', bg: 'bg-slate-900', text: 'text-emerald-300', icon: '●' },
  Progressing: { ring: 'border-sky-400', bg: 'bg-slate-900', text: 'text-sky-300', icon: '◐' },
  Paused: { ring: 'border-amber-400', bg: 'bg-amber-950/60', text: 'text-amber-300', icon: '❚❚' },
  Degraded: { ring: 'border-rose-500', bg: 'bg-rose-950', text: 'text-rose-200', icon: '▲' },
  Aborted: { ring: 'border-rose-500', bg: 'bg-rose-950', text: 'text-rose-200', icon: '✕' },
};

const STRATEGY: Record<WorkloadRow['strategy'], string> = { canary: 'canary', blueGreen: 'blue-green', rollingUpdate: 'rolling', recreate: 'recreate' };

export interface TileProps {
  row: WorkloadRow;
  now: number;
  alerts: FiringAlert[];
  incident: IncidentView | null;
  approval: { approvals: number; quorum: number } | null;
  spark: { role: string; points: [number, number | null][] } | null;
}

function analysisWords(row: WorkloadRow): string | null {
  switch (row.reason?.code) {
    case 'analysis-failing':
      return 'analysis failing';
    case 'analysis-running':
      return 'analysis running';
    case 'analysis-inconclusive':
      return 'analysis inconclusive';
    case 'metric-failing-within-limit':
      return 'metric failing (within limit)';
    default:
      return null;
  }
}

/** One workload on the wall: readable from across the room (sizes follow the tile's width). */
export function WallTile({ row, now, alerts, incident, approval, spark }: TileProps) {
  const style = PHASE[row.phase];
  const attention = row.phase === 'Degraded' || row.phase === 'Aborted' || incident !== null;
  const until = row.reason?.time?.role === 'until' ? row.reason.time.at : null;
  const analysis = analysisWords(row);
  const steps = row.step.total > 0 && row.step.current !== null ? `step ${Math.min(row.step.current, row.step.total)}/${row.step.total}` : null;
  const weight = row.strategy === 'canary' && row.desiredWeight !== null && !row.settledCanary ? `${row.desiredWeight} % set · ${row.actualWeight ?? '—'} % actual` : null;
  const image = row.images[row.images.length - 1]?.split('/').pop() ?? null;
  return (
    <div className="@container min-h-0 min-w-0" data-testid="wall-tile" data-phase={row.phase} data-name={`${row.namespace}/${row.name}`} data-attention={attention ? 'true' : approval ? 'waiting' : 'false'}>
      <article
        className={`flex h-full flex-col overflow-hidden rounded-xl border-4 ${style.ring} ${style.bg} px-[4cqw] py-[3cqw] text-slate-100 ${attention ? 'shadow-[0_0_0_4px_rgba(244,63,94,0.35)]' : ''}`}
      >
        <div className="flex shrink-0 items-baseline gap-[2cqw]">
          <span aria-hidden className={`${style.text} text-[8cqw] leading-none`}>
            {style.icon}
          </span>
          <h2 className="min-w-0 flex-1 truncate text-[11cqw] leading-[1.1] font-bold" title={`${row.namespace}/${row.name}`}>
            {row.name}
          </h2>
        </div>
        <div className="flex shrink-0 items-baseline justify-between gap-[2cqw]">
          <span className="min-w-0 truncate text-[5.5cqw] leading-snug text-slate-300">
            {row.namespace} · {STRATEGY[row.strategy]}
          </span>
          <span className={`text-[7cqw] leading-snug font-extrabold uppercase ${style.text}`}>{row.phase}</span>
        </div>
        <div className="mt-[1.5cqw] flex shrink-0 flex-wrap items-baseline gap-x-[3cqw] text-[6.5cqw] leading-snug font-semibold">
          {steps && <span>{steps}</span>}
          {weight && <span className="text-slate-200">{weight}</span>}
          {until && (
            <span className="text-amber-300" data-testid="wall-countdown">
              ⏱ {formatCountdown(until, now)}
            </span>
          )}
        </div>
        <div className="shrink-0 truncate text-[5cqw] leading-snug text-slate-400">
          {row.replicas.ready}/{row.replicas.desired} ready{image ? ` · ${image}` : ''}
        </div>
        {incident && (
          <div className="mt-[1.5cqw] shrink-0 truncate rounded bg-rose-600 px-[2cqw] py-[0.5cqw] text-[5.8cqw] font-bold text-white" data-testid="wall-incident">
            {incident.deliveries.some((d) => d.action === 'trigger' && d.state === 'delivered') ? 'PAGED' : 'INCIDENT'} {formatAgo(incident.openedAt, now)} · {incident.cause.replace('-', ' ')}
          </div>
        )}
        {approval && (
          <div className="mt-[1.5cqw] shrink-0 truncate rounded bg-amber-400 px-[2cqw] py-[0.5cqw] text-[5.8cqw] font-bold text-slate-950" data-testid="wall-approval">
            Waiting for approval · {approval.approvals}/{approval.quorum}
          </div>
        )}
        {alerts.length > 0 && (
          <div className="mt-[1.5cqw] shrink-0 truncate text-[5.5cqw] font-semibold text-rose-300" data-testid="wall-alerts">
            ▲ {alerts.map((a) => a.name).join(', ')}
          </div>
        )}
        {analysis && <div className="mt-[1cqw] shrink-0 text-[5.5cqw] text-amber-200">{analysis}</div>}
        {row.phase !== 'Healthy' && row.headline && <p className="mt-[1cqw] line-clamp-2 text-[5.2cqw] leading-snug text-slate-200">{row.headline}</p>}
        <div className="mt-auto flex h-[14cqw] shrink-0 items-end gap-[2cqw] pt-[1.5cqw]">
          {spark ? (
            <>
              <span className="shrink-0 text-[4.5cqw] whitespace-nowrap text-slate-400">{spark.role} 5xx</span>
              <div className="h-full flex-1">
                <WallSparkline points={spark.points} label={`${row.name} ${spark.role} error rate`} />
              </div>
            </>
          ) : (
            <span className="text-[4.5cqw] text-slate-500">{row.kind}</span>
          )}
        </div>
      </article>
    </div>
  );
}
