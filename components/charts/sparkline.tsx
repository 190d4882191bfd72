import { sparkPaths } from './spark-path';

const COLOUR = { canary: '#8b5cf6', preview: '#8b5cf6', stable: '#10b981', active: '#10b981' } as const;

/**
 * A card-sized error-rate line, drawn as one small SVG (no chart library: a thousand cards mount
 * and scroll cheaply); says "no data" or "metrics unavailable" instead of drawing zero, and breaks
 * the line where Prometheus has no sample. The scale starts at 0 and tops at the largest value
 * (at least 1 %), so a flat 0 lies on the floor and a spike fills the height.
 */
export function Sparkline({ points, role, unavailable }: { points: [number, number | null][] | null; role: 'canary' | 'stable' | 'preview' | 'active'; unavailable: boolean }) {
  if (unavailable) return <p className="text-[0.65rem] text-slate-400">5xx: metrics unavailable</p>;
  const values = (points ?? []).map(([, v]) => v).filter((v): v is number => v !== null);
  if (!points || values.length === 0) return <p className="text-[0.65rem] text-slate-400">5xx: no data</p>;
  const last = [...points].reverse().find(([, v]) => v !== null)?.[1] ?? null;
  const max = Math.max(0.01, ...values);
  const t0 = points[0][0];
  const t1 = points[points.length - 1][0];
  const x = (t: number) => ((t - t0) / Math.max(1, t1 - t0)) * 100;
  const y = (v: number) => 22 - (v / max) * 20;
  return (
    <div className="flex items-center gap-2" data-testid="sparkline">
      <svg viewBox="0 0 100 24" preserveAspectRatio="none" className="h-6 min-w-0 flex-1 overflow-visible" aria-hidden="true">
        {sparkPaths(points, x, y).map((d, i) => (
          <path key={i} d={d} fill="none" stroke={COLOUR[role]} strokeWidth={1.5} strokeLinejoin="round" strokeLinecap="round" vectorEffect="non-scaling-stroke" />
        ))}
      </svg>
      <span className="text-[0.65rem] tabular-nums text-slate-500">
        {role} 5xx {last === null ? '—' : `${(last * 100).toFixed(1)} %`}
      </span>
    </div>
  );
}
