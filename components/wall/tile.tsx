'use client';

import type { FiringAlert } from '@/lib/contracts/alerts';
import type { IncidentView } from '@/lib/contracts/incidents';
import type { WallApproval, WallSparklines } from '@/lib/contracts/kiosk';
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
  approval: Pick<WallApproval, 'approvals' | 'quorum'> | null;
  spark: WallSparklines['byId'][string] | null;
  /** Prometheus did not answer: the tile says so instead of "no metrics". */
  metricsDown?: boolean;
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
export function WallTile({ row, now, alerts, incident, approval, spark, metricsDown = false }: TileProps) {
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
        className={`flex h-full flex-col overflow-hidden rounded-xl border-[max(4px,0.9cqw)] ${style.ring} ${style.bg} px-[4cqw] py-[2.2cqw] text-slate-100 ${attention ? 'shadow-[0_0_0_4px_rgba(244,63,94,0.35)]' : ''}`}
      >
        <div className="flex shrink-0 items-baseline gap-[2cqw]">
          <span aria-hidden className={`${style.text} text-[7.5cqw] leading-none`}>
            {style.icon}
          </span>
          <h2 className="min-w-0 flex-1 truncate text-[10cqw] leading-[1.1] font-bold" title={`${row.namespace}/${row.name}`}>
            {row.name}
          </h2>
        </div>
        <div className="flex shrink-0 items-baseline justify-between gap-[2cqw]">
          <span className="min-w-0 truncate text-[4.8cqw] leading-snug text-slate-300" title={image ?? undefined}>
            {row.namespace} · {STRATEGY[row.strategy]} · {row.replicas.ready}/{row.replicas.desired} ready
          </span>
          <span className={`text-[6cqw] leading-snug font-extrabold uppercase ${style.text}`}>{row.phase}</span>
        </div>
        <div className="flex shrink-0 flex-wrap items-baseline gap-x-[3cqw] text-[5.4cqw] leading-snug font-semibold">
          {steps && <span>{steps}</span>}
          {weight && <span className="text-slate-200">{weight}</span>}
          {until && (
            <span className="text-amber-300" data-testid="wall-countdown">
              ⏱ {formatCountdown(until, now)}
            </span>
          )}
        </div>
        {incident && (
          <div className="mt-[1cqw] shrink-0 truncate rounded bg-rose-600 px-[2cqw] py-[0.3cqw] text-[5cqw] leading-snug font-bold text-white" data-testid="wall-incident">
            {incident.deliveries.some((d) => d.action === 'trigger' && d.state === 'delivered') ? 'PAGED' : 'INCIDENT'} {formatAgo(incident.openedAt, now)} · {incident.cause.replace('-', ' ')}
          </div>
        )}
        {approval && (
          <div className="mt-[1cqw] shrink-0 truncate rounded bg-amber-400 px-[2cqw] py-[0.3cqw] text-[5cqw] leading-snug font-bold text-slate-950" data-testid="wall-approval">
            Waiting for approval · {approval.approvals}/{approval.quorum}
          </div>
        )}
        {alerts.length > 0 && (
          <div className="mt-[0.5cqw] shrink-0 truncate text-[5cqw] leading-snug font-semibold text-rose-300" data-testid="wall-alerts">
            ▲ {alerts.map((a) => a.name).join(', ')}
          </div>
        )}
        {analysis && <div className="shrink-0 truncate text-[4.8cqw] leading-snug text-amber-200">{analysis}</div>}
        {row.phase !== 'Healthy' && row.headline && <p className={`${incident || approval || alerts.length > 0 ? 'line-clamp-1' : 'line-clamp-2'} shrink-0 text-[4.6cqw] leading-snug text-slate-200`}>{row.headline}</p>}
        {spark && (spark.errorRate.sides.length > 0 || spark.latencyP99.sides.length > 0) ? (
          <div className="mt-auto grid min-h-[12cqw] flex-1 grid-cols-2 gap-[4cqw] pt-[1cqw]">
            <WallSparkline title="5xx" unit="ratio" metric={spark.errorRate} label={`${row.name} error rate`} />
            <WallSparkline title="p99" unit="ms" metric={spark.latencyP99} label={`${row.name} p99 latency`} />
          </div>
        ) : (
          <span className="mt-auto shrink-0 text-[4.5cqw] text-slate-500">{row.kind !== 'Rollout' ? row.kind : metricsDown ? 'metrics unavailable (Prometheus)' : 'no metrics'}</span>
        )}
      </article>
    </div>
  );
}
