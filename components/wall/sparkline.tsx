/** An error-rate sparkline with its threshold line (seed 002: 5 % fails the canary). */
export function WallSparkline({ points, threshold = 0.05, label }: { points: [number, number | null][]; threshold?: number; label: string }) {
  const values = points.map(([, v]) => v).filter((v): v is number => v !== null);
  if (values.length < 2) return <div className="flex h-full items-end text-[4.5cqw] text-slate-500">no traffic now</div>;
  const max = Math.max(threshold * 2, ...values);
  const t0 = points[0][0];
  const t1 = points[points.length - 1][0];
  const x = (t: number) => ((t - t0) / Math.max(1, t1 - t0)) * 100;
  const y = (v: number) => 30 - (v / max) * 28;
  const segments: string[] = [];
  let current = '';
  for (const [t, v] of points) {
    if (v === null) {
      if (current) segments.push(current);
      current = '';
      continue;
    }
    current += `${current ? ' L' : 'M'}${x(t).toFixed(1)},${y(v).toFixed(1)}`;
  }
  if (current) segments.push(current);
  const last = values[values.length - 1];
  const over = last > threshold;
  return (
    <svg viewBox="0 0 100 32" preserveAspectRatio="none" className="h-full w-full" role="img" aria-label={`${label}: ${(last * 100).toFixed(1)} % errors (threshold ${threshold * 100} %)`}>
      <line x1="0" x2="100" y1={y(threshold)} y2={y(threshold)} stroke="#f59e0b" strokeWidth="0.6" strokeDasharray="2 2" vectorEffect="non-scaling-stroke" />
      {segments.map((d, i) => (
        <path key={i} d={d} fill="none" stroke={over ? '#fb7185' : '#34d399'} strokeWidth="2" vectorEffect="non-scaling-stroke" />
      ))}
    </svg>
  );
}
