/**
 * SVG path segments of a sparkline, broken where Prometheus has no sample (a gap is never drawn as
 * zero); a lone sample is a dot (a zero-length line with round caps), not nothing.
 */
export function sparkPaths(points: [number, number | null][], x: (t: number) => number, y: (v: number) => number): string[] {
  const out: string[] = [];
  let current = '';
  for (const [t, v] of points) {
    if (v === null) {
      if (current) out.push(current);
      current = '';
      continue;
    }
    current += `${current ? ' L' : 'M'}${x(t).toFixed(1)},${y(v).toFixed(1)}`;
  }
  if (current) out.push(current);
  return out.map((d) => (d.includes('L') ? d : `${d} L${d.slice(1)}`));
}
