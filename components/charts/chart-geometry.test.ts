import { describe, expect, it } from 'vitest';
import type { ChartPanel } from '@/lib/contracts/metrics';
import { chartRows, niceCeil, niceStep, seriesColors, thinMarkers, thresholdLabelBox, timeTicks, yAxis, yDomain } from './chart-geometry';

const panel = (unit: ChartPanel['unit'], values: (number | null)[], thresholds: number[] = []) => ({
  unit,
  series: [{ name: 'preview (abc)', role: 'preview' as const, points: values.map((v, i) => [1000 + i * 10, v] as [number, number | null]) }],
  thresholds: thresholds.map((value) => ({ op: '<', value, label: `success: result[0] < ${value}` })),
  measurements: [],
});

describe('yDomain', () => {
  it('blue-green error rate: 0 to 1.1 × the larger of data and threshold, never 400 %', () => {
    // 12 % errors, threshold 1 %: 0 .. 13.2 % rounded up to a readable 15 %.
    expect(yDomain(panel('ratio', [0, 0.02, 0.12], [0.01]))).toEqual([0, 0.15]);
    expect(yDomain(panel('ratio', [0, 0.001], [0.05]))).toEqual([0, 0.06]);
    // A glitch sample of 4 (rate extrapolation at a series start) must not stretch the axis to 400 %.
    expect(yDomain(panel('ratio', [0.01, 4]))).toEqual([0, 1]);
    expect(yDomain(panel('percent', [5, 250], [25]))).toEqual([0, 100]);
  });

  it('gives a readable scale when everything is zero or missing, and leaves other units uncapped', () => {
    expect(yDomain(panel('ratio', [0, 0, null]))).toEqual([0, 0.01]);
    expect(yDomain(panel('ms', [120, 900], [500]))).toEqual([0, 1000]);
    expect(yDomain(panel('value', [-2, 1]))).toEqual([-2.5, 1.5]);
    expect([0.0132, 0.055, 28.6, 563, 1.1].map(niceCeil)).toEqual([0.015, 0.06, 30, 600, 1.5]);
  });
});

describe('yAxis', () => {
  const evenlySpaced = (ticks: number[]) => ticks.slice(1).every((t, i) => Math.abs(t - ticks[i] - (ticks[1] - ticks[0])) < 1e-9);

  it('evenly spaced ticks on whole steps, both ends labelled (seen on the sandbox: 0, 15, 30, 50/s and 0, 7, 14, 21, 25)', () => {
    const rps = yAxis(panel('rps', [13, 41.5]));
    expect(rps).toEqual({ domain: [0, 50], ticks: [0, 10, 20, 30, 40, 50] });
    expect(yAxis(panel('value', [8.2], [20])).ticks).toEqual([0, 5, 10, 15, 20, 25]);
    expect(yAxis(panel('value', [0.9], [0.99])).ticks).toEqual([0, 0.5, 1, 1.5]);
    expect(yAxis(panel('ratio', [0.02, 0.12], [0.05])).ticks).toEqual([0, 0.05, 0.1, 0.15]);
    expect(yAxis(panel('percent', [8.8])).ticks).toEqual([0, 2, 4, 6, 8, 10]);
  });

  it('stays capped at 100 % and extends a negative bottom to a whole step', () => {
    expect(yAxis(panel('ratio', [0.01, 4]))).toEqual({ domain: [0, 1], ticks: [0, 0.2, 0.4, 0.6, 0.8, 1] });
    const negative = yAxis(panel('value', [-2, 1]));
    expect(negative.domain).toEqual([-3, 2]);
    expect(negative.ticks).toContain(0);
    expect(evenlySpaced(negative.ticks)).toBe(true);
    for (const top of [0.0132, 0.055, 1.1, 28.6, 563, 7]) {
      const { domain, ticks } = yAxis(panel('value', [top]));
      expect(ticks.at(-1), String(top)).toBe(domain[1]);
      expect(ticks.length, String(top)).toBeGreaterThanOrEqual(3);
      expect(ticks.length, String(top)).toBeLessThanOrEqual(6);
      expect(evenlySpaced(ticks), String(top)).toBe(true);
    }
    expect([1, 25, 50, 0.15, 600].map((span) => niceStep(span))).toEqual([0.2, 5, 10, 0.05, 200]);
  });
});

describe('timeTicks', () => {
  const minute = 60;
  const start = Math.floor(Date.UTC(2026, 10, 22, 22, 7, 13) / 1000);

  it('puts ticks on round clock times, evenly, as many as fit (seen: 10:07, 10:08, 10:10, 10:12 and 10:11, 10:11, 10:12, 10:12)', () => {
    const wide = timeTicks([start, start + 5 * minute], 700);
    expect(wide.withSeconds).toBe(false);
    expect(wide.ticks.every((t) => t % 60 === 0)).toBe(true);
    expect(wide.ticks.slice(1).every((t, i) => t - wide.ticks[i] === 60)).toBe(true);
    const narrow = timeTicks([start, start + 15 * minute], 300);
    expect(narrow.ticks.length).toBeLessThanOrEqual(300 / 64);
    expect(new Set(narrow.ticks.slice(1).map((t, i) => t - narrow.ticks[i])).size).toBe(1);
  });

  it('labels with seconds when a step is under a minute, and keeps the last label inside the chart', () => {
    const short = timeTicks([start, start + 90], 600);
    expect(short.withSeconds).toBe(true);
    expect(short.ticks.every((t) => t % 15 === 0 || t % 10 === 0)).toBe(true);
    const { ticks } = timeTicks([start, start + 10 * minute - 1], 300, 64, 8);
    const x = (t: number) => ((t - start) / (10 * minute - 1)) * 300;
    expect(ticks.every((t) => x(t) + 32 <= 308)).toBe(true);
  });
});

describe('thinMarkers', () => {
  const m = (at: number, label: string) => ({ at, label, detail: `event ${label}` });

  it('merges markers closer than the minimum gap into one, keeping every event in the detail', () => {
    // The controller logs step N completed, weight updated and step N+1 within a second or two.
    const markers = [m(1000, 'step 1/11'), m(1000, '→ 5 %'), m(1001, 'step 2/11'), m(1015, 'step 3/11'), m(1015, '→ 10 %'), m(1016, 'step 4/11')];
    const placed = thinMarkers(markers, [100, 1900], 600);
    expect(placed).toHaveLength(1);
    expect(placed[0].label).toBe('→ 10 % +5');
    expect(placed[0].detail.split('\n')).toHaveLength(6);
    expect(placed[0].detail).toContain('event → 10 %');
  });

  it('labels only markers that have room; the others stay as lines with a title', () => {
    const markers = [m(0, 'step 1/11'), m(50, 'step 2/11'), m(120, 'step 3/11'), m(600, 'step 4/11'), m(995, 'step 5/11')];
    const placed = thinMarkers(markers, [0, 1000], 500);
    expect(placed.map((p) => p.showLabel)).toEqual([true, false, true, true, false]);
    const shown = placed.filter((p) => p.showLabel).map((p) => (p.at / 1000) * 500);
    for (let i = 1; i < shown.length; i += 1) expect(shown[i] - shown[i - 1]).toBeGreaterThan('step 1/11'.length * 5.2);
    expect(thinMarkers(markers, [0, 1000], 0).every((p) => !p.showLabel)).toBe(true);
  });

  it('drops markers outside the window and copes with an empty window', () => {
    expect(thinMarkers([m(5, 'a'), m(50, 'b')], [10, 100], 300).map((p) => p.label)).toEqual(['b']);
    expect(thinMarkers([m(5, 'a')], [10, 10], 300)).toEqual([]);
  });
});

describe('thresholdLabelBox', () => {
  const plot = { x: 56, y: 80, width: 400 };

  it('sits inside the plot, right-aligned, above the line and clear of the y axis', () => {
    const { text, background } = thresholdLabelBox(plot, 6, 120);
    expect(background.x).toBeGreaterThan(plot.x);
    expect(background.x + background.width).toBeLessThanOrEqual(plot.x + plot.width);
    expect(background.y + background.height).toBeLessThanOrEqual(plot.y);
    expect(text.x).toBeLessThanOrEqual(plot.x + plot.width);
    expect(text.x).toBeGreaterThan(background.x);
  });

  it('goes below a line that runs along the top of the plot, and never wider than the plot', () => {
    const { background } = thresholdLabelBox({ ...plot, y: 8 }, 6, 1000);
    expect(background.y).toBeGreaterThanOrEqual(8);
    expect(background.x).toBeGreaterThanOrEqual(plot.x);
  });
});

describe('chartRows and colours', () => {
  it('keys series by position (names with dots or quotes are not paths) and leaves gaps as gaps', () => {
    const rows = chartRows({
      series: [
        { name: 'pod="checkout-6b.x"', role: 'value', points: [[1, 0.5], [2, null]] },
        { name: 'pod="checkout-7c.y"', role: 'value', points: [[2, 0.25]] },
      ],
      measurements: [{ at: 3, value: 0.1, phase: 'Successful' }],
    });
    expect(rows).toEqual([{ t: 1, s0: 0.5 }, { t: 2, s0: null, s1: 0.25 }, { t: 3, measurement: 0.1 }]);
  });

  it('breaks a line where Prometheus skipped steps, even when every series skipped them, but not the desired weight', () => {
    const rows = chartRows({
      series: [
        { name: 'canary', role: 'canary', points: [[0, 0.1], [15, 0.1], [90, 0.2], [105, 0.2]] },
        { name: 'stable', role: 'stable', points: [[0, 0.01], [15, 0.01], [90, 0.02]] },
        { name: 'desired', role: 'desired', points: [[3, 5], [95, 10]] },
      ],
      measurements: [],
    });
    expect(rows.find((r) => r.t === 30)).toEqual({ t: 30, s0: null, s1: null });
    expect(rows.map((r) => r.t)).toEqual([0, 3, 15, 30, 90, 95, 105]);
    expect(rows.filter((r) => r.s2 === null)).toEqual([]);
  });

  it('adds nothing to a series without gaps, nor to one lone sample', () => {
    const rows = chartRows({ series: [{ name: 'a', role: 'value', points: [[0, 1], [15, 2], [30, 3]] }, { name: 'b', role: 'value', points: [[30, 4]] }], measurements: [] });
    expect(rows).toEqual([{ t: 0, s0: 1 }, { t: 15, s0: 2 }, { t: 30, s0: 3, s1: 4 }]);
  });

  it('gives every analysis series its own colour and keeps role colours for canary/preview and stable/active', () => {
    const series = Array.from({ length: 8 }, (_, i) => ({ name: `s${i}`, role: 'value' as const, points: [] }));
    expect(new Set(seriesColors(series)).size).toBe(8);
    expect(seriesColors([{ name: 'a', role: 'preview', points: [] }, { name: 'b', role: 'active', points: [] }])).toEqual(
      seriesColors([{ name: 'a', role: 'canary', points: [] }, { name: 'b', role: 'stable', points: [] }]),
    );
  });
});
