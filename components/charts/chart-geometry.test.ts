import { describe, expect, it } from 'vitest';
import type { ChartPanel } from '@/lib/contracts/metrics';
import { chartRows, niceCeil, seriesColors, thinMarkers, thresholdLabelBox, yDomain } from './chart-geometry';

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

  it('gives every analysis series its own colour and keeps role colours for canary/preview and stable/active', () => {
    const series = Array.from({ length: 8 }, (_, i) => ({ name: `s${i}`, role: 'value' as const, points: [] }));
    expect(new Set(seriesColors(series)).size).toBe(8);
    expect(seriesColors([{ name: 'a', role: 'preview', points: [] }, { name: 'b', role: 'active', points: [] }])).toEqual(
      seriesColors([{ name: 'a', role: 'canary', points: [] }, { name: 'b', role: 'stable', points: [] }]),
    );
  });
});
