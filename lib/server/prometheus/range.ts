import 'server-only';

const NICE_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400];

export interface AlignedRange {
  start: number;
  end: number;
  step: number;
  points: number;
}

/**
 * Chooses a step so a series has at most `maxPoints` points (Prometheus refuses 11,000), rounds it
 * to a step people recognise, and aligns start and end to it so the same window asked twice is the
 * same query (and hits the cache).
 */
export function alignRange(startSeconds: number, endSeconds: number, maxPoints = 500, minStepSeconds = 1): AlignedRange {
  if (!(endSeconds > startSeconds)) throw new RangeError('end must be after start');
  const raw = Math.max(minStepSeconds, (endSeconds - startSeconds) / maxPoints);
  const step = NICE_STEPS.find((s) => s >= raw) ?? Math.ceil(raw / 86400) * 86400;
  const start = Math.floor(startSeconds / step) * step;
  const end = Math.ceil(endSeconds / step) * step;
  let points = Math.floor((end - start) / step) + 1;
  let alignedStart = start;
  while (points > maxPoints) {
    alignedStart += step;
    points -= 1;
  }
  return { start: alignedStart, end, step, points };
}
