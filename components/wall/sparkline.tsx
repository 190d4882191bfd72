import type { WallMetric, WallSide } from '@/lib/contracts/kiosk';
import { sparkPaths } from '@/components/charts/spark-path';

/** The two sides in colours that say nothing about health (red / green are the phase's): new = magenta, current = cyan. */
export const SIDE_COLOUR: Record<WallSide['role'], string> = { canary: '#e879f9', preview: '#e879f9', stable: '#22d3ee', active: '#22d3ee' };
const THRESHOLD_COLOUR = '#fbbf24';

const lastValue = (side: WallSide) => [...side.points].reverse().find(([, v]) => v !== null)?.[1] ?? null;

function format(value: number | null, unit: 'ratio' | 'ms'): string {
  if (value === null) return '–';
  if (unit === 'ratio') return `${(value * 100).toFixed(value < 0.1 ? 1 : 0)} %`;
  return value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}

const breaches = (value: number | null, t: WallMetric['threshold']) =>
  value !== null && t !== null && ((t.op === '<' && value >= t.value) || (t.op === '<=' && value > t.value) || (t.op === '>' && value <= t.value) || (t.op === '>=' && value < t.value));

/**
 * One of a tile's sparklines — error rate or p99 — with each side as a thick line and the
 * analysis threshold dashed; the last value of each side above it in the side's colour (rose when
 * over the threshold). Sizes follow the tile (container query units).
 */
export function WallSparkline({ title, unit, metric, label }: { title: string; unit: 'ratio' | 'ms'; metric: WallMetric; label: string }) {
  const sides = metric.sides.filter((s) => s.points.some(([, v]) => v !== null));
  const t = metric.threshold;
  const all = sides.flatMap((s) => s.points.map(([time]) => time));
  const values = sides.flatMap((s) => s.points.map(([, v]) => v)).filter((v): v is number => v !== null);
  const max = Math.max(t ? t.value * 1.25 : 0, ...values, unit === 'ratio' ? 0.01 : 1);
  const t0 = Math.min(...all);
  const t1 = Math.max(...all);
  const x = (time: number) => ((time - t0) / Math.max(1, t1 - t0)) * 100;
  const y = (v: number) => 31 - (v / max) * 29;
  const described = sides.map((s) => `${s.role} ${format(lastValue(s), unit)}`).join(', ');
  return (
    <div className="flex h-full min-w-0 flex-col" data-testid={`wall-spark-${unit === 'ratio' ? 'errors' : 'p99'}`}>
      <div className="flex shrink-0 items-baseline gap-[1.5cqw] text-[4.6cqw] leading-tight font-semibold whitespace-nowrap">
        <span className="text-slate-400">{title}</span>
        {sides.map((s) => {
          const value = lastValue(s);
          return (
            <span key={s.role} style={{ color: breaches(value, t) ? '#fb7185' : SIDE_COLOUR[s.role] }} data-role={s.role}>
              {format(value, unit)}
            </span>
          );
        })}
      </div>
      {sides.length === 0 || values.length < 2 ? (
        <div className="flex min-h-0 flex-1 items-end text-[4.2cqw] text-slate-500">no traffic now</div>
      ) : (
        <div className="relative min-h-0 flex-1">
          <svg viewBox="0 0 100 32" preserveAspectRatio="none" className="absolute inset-0 h-full w-full overflow-visible" role="img" aria-label={`${label}: ${described}${t ? ` (analysis: ${t.op} ${format(t.value, unit)})` : ''}`}>
            {t && (
              <line x1="0" x2="100" y1={y(t.value)} y2={y(t.value)} stroke={THRESHOLD_COLOUR} strokeDasharray="4 3" vectorEffect="non-scaling-stroke" style={{ strokeWidth: 'max(2px, 0.6cqw)' }} data-testid="wall-threshold" />
            )}
            {/* The current side first, so the new one is drawn on top of it. */}
            {[...sides].reverse().map((s) =>
              sparkPaths(s.points, x, y).map((d, i) => (
                <path key={`${s.role}-${i}`} d={d} fill="none" stroke={SIDE_COLOUR[s.role]} strokeLinejoin="round" strokeLinecap="round" vectorEffect="non-scaling-stroke" style={{ strokeWidth: 'max(4px, 1.2cqw)' }} />
              )),
            )}
          </svg>
        </div>
      )}
    </div>
  );
}

/** The wall's one legend (in its header): which colour is which side, and the dashed analysis bound. */
export function WallLegend() {
  return (
    <span className="ml-auto hidden items-center gap-[1.2vw] md:flex text-[max(1.125rem,0.95vw)] text-slate-400" data-testid="wall-legend">
      <span className="flex items-center gap-[0.4vw]">
        <span aria-hidden className="inline-block h-[max(5px,0.3vw)] w-[max(1.75rem,1.5vw)] rounded-full" style={{ background: SIDE_COLOUR.canary }} />
        canary / preview
      </span>
      <span className="flex items-center gap-[0.4vw]">
        <span aria-hidden className="inline-block h-[max(5px,0.3vw)] w-[max(1.75rem,1.5vw)] rounded-full" style={{ background: SIDE_COLOUR.stable }} />
        stable / active
      </span>
      <span className="flex items-center gap-[0.4vw]">
        <span aria-hidden className="inline-block w-[max(1.75rem,1.5vw)] border-t-[max(3px,0.2vw)] border-dashed" style={{ borderColor: THRESHOLD_COLOUR }} />
        analysis limit
      </span>
    </span>
  );
}
