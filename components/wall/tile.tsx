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
  return (
    <article
      data-testid="wall-tile"
      data-phase={row.phase}
      data-name={`${row.namespace}/${row.name}`}
      data-attention={attention ? 'true' : approval ? 'waiting' : 'false'}
      className={`@container flex min-h-0 flex-col overflow-hidden rounded-xl border-4 ${style.ring} ${style.bg} p-[3cqw] text-slate-100 ${attention ? 'shadow-[0_0_0_4px_rgba(244,63,94,0.35)]' : ''}`}
    >
      <div className="flex items-baseline gap-[2cqw]">
        <span aria-hidden className={`${style.text} text-[7cqw] leading-none`}>
          {style.icon}
        </span>
        <h2 className="min-w-0 flex-1 truncate text-[8.5cqw] leading-tight font-bold" title={`${row.namespace}/${row.name}`}>
          {row.name}
        </h2>
        <span className={`text-[5.5cqw] font-bold uppercase ${style.text}`}>{row.phase}</span>
      </div>
      <div className="truncate text-[4.2cqw] text-slate-300">
        {row.namespace} · {STRATEGY[row.strategy]}
        {row.cluster ? ` · ${row.cluster}` : ''}
      </div>
      <div className="mt-[1.5cqw] flex flex-wrap items-baseline gap-x-[3cqw] text-[5cqw] font-semibold">
        {steps && <span>{steps}</span>}
        {weight && <span className="text-slate-200">{weight}</span>}
        {until && (
          <span className="text-amber-300" data-testid="wall-countdown">
            ⏱ {formatCountdown(until, now)}
          </span>
        )}
      </div>
      {incident && (
        <div className="mt-[1.5cqw] rounded bg-rose-600 px-[2cqw] py-[0.5cqw] text-[4.6cqw] font-bold text-white" data-testid="wall-incident">
          PAGED {formatAgo(incident.openedAt, now)} · {incident.cause.replace('-', ' ')}
        </div>
      )}
      {approval && (
        <div className="mt-[1.5cqw] rounded bg-amber-400 px-[2cqw] py-[0.5cqw] text-[4.6cqw] font-bold text-slate-950" data-testid="wall-approval">
          Waiting for approval · {approval.approvals}/{approval.quorum}
        </div>
      )}
      {alerts.length > 0 && (
        <div className="mt-[1.5cqw] truncate text-[4.4cqw] font-semibold text-rose-300" data-testid="wall-alerts">
          🔔 {alerts.map((a) => a.name).join(', ')}
        </div>
      )}
      {analysis && <div className="mt-[1cqw] text-[4.4cqw] text-amber-200">{analysis}</div>}
      {row.phase !== 'Healthy' && row.headline && <p className="mt-[1cqw] line-clamp-2 text-[4.4cqw] text-slate-200">{row.headline}</p>}
      <div className="mt-auto flex h-[16cqw] items-end gap-[2cqw] pt-[1.5cqw]">
        {spark ? (
          <>
            <span className="w-[18cqw] shrink-0 text-[3.6cqw] text-slate-400">{spark.role} 5xx</span>
            <div className="h-full flex-1">
              <WallSparkline points={spark.points} label={`${row.name} ${spark.role} error rate`} />
            </div>
          </>
        ) : (
          <span className="text-[3.6cqw] text-slate-500">{row.kind}</span>
        )}
      </div>
    </article>
  );
}
