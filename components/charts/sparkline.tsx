'use client';

import { Line, LineChart, ResponsiveContainer, YAxis } from 'recharts';

/** A card-sized error-rate line; says "no data" or "metrics unavailable" instead of drawing zero. */
export function Sparkline({ points, role, unavailable }: { points: [number, number | null][] | null; role: 'canary' | 'stable' | 'preview' | 'active'; unavailable: boolean }) {
  if (unavailable) return <p className="text-[0.65rem] text-slate-400">5xx: metrics unavailable</p>;
  if (!points || !points.some(([, v]) => v !== null)) return <p className="text-[0.65rem] text-slate-400">5xx: no data</p>;
  const data = points.map(([t, v]) => ({ t, v }));
  const last = [...points].reverse().find(([, v]) => v !== null)?.[1] ?? null;
  return (
    <div className="flex items-center gap-2" data-testid="sparkline">
      <div className="h-6 flex-1">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={data}>
            <YAxis hide domain={[0, 'auto']} />
            <Line dataKey="v" stroke={role === 'canary' || role === 'preview' ? '#8b5cf6' : '#10b981'} dot={false} strokeWidth={1.5} connectNulls={false} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </div>
      <span className="text-[0.65rem] tabular-nums text-slate-500">
        {role} 5xx {last === null ? '—' : `${(last * 100).toFixed(1)} %`}
      </span>
    </div>
  );
}
