import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ChartPanel } from '@/lib/contracts/metrics';
import { MetricChart } from './metric-chart';
import { Sparkline } from './sparkline';

const base: ChartPanel = {
  id: 'analysis-error-rate',
  title: 'Analysis: error-rate',
  unit: 'value',
  source: 'analysis',
  query: 'sum(rate(x[1m]))',
  state: 'data',
  error: null,
  series: [],
  seriesTotal: 0,
  thresholds: [],
  measurements: [],
  markers: [],
  notices: [],
};

describe('MetricChart states', () => {
  it('loading, unreachable, empty: each says what it is, none draws a line', () => {
    expect(renderToStaticMarkup(<MetricChart panel={null} loading />)).toContain('data-chart-state="loading"');
    const down = renderToStaticMarkup(<MetricChart panel={{ ...base, state: 'error', error: { kind: 'unreachable', message: 'Prometheus is unreachable (request r1)' } }} />);
    expect(down).toContain('Prometheus unreachable');
    expect(down).not.toContain('recharts');
    expect(renderToStaticMarkup(<MetricChart panel={{ ...base, state: 'empty' }} />)).toContain('No data for this window');
  });

  it('says plainly when another Prometheus was queried than the template names, in every state', () => {
    const notice = "This chart queried Aviary's own Prometheus, not the one the AnalysisTemplate names: the template's address is not in AVIARY_PROMETHEUS_ALLOWED_URLS.";
    for (const state of ['data', 'empty', 'error'] as const) {
      const html = renderToStaticMarkup(<MetricChart panel={{ ...base, state, error: state === 'error' ? { kind: 'server', message: 'x' } : null, notices: [notice] }} />);
      expect(html, state).toContain('This chart queried Aviary&#x27;s own Prometheus, not the one the AnalysisTemplate names');
    }
  });

  it('labels every series of a multi-series query in a legend and shows the cap notice', () => {
    const series = ['pod="a"', 'pod="b"', 'pod="c"'].map((name) => ({ name, role: 'value' as const, points: [[1, 0.1], [2, 0.2]] as [number, number | null][] }));
    const html = renderToStaticMarkup(<MetricChart panel={{ ...base, series, seriesTotal: 12, notices: ['Showing 3 of 12 series: the 3 that reach highest.'] }} />);
    for (const s of series) expect(html).toContain(s.name.replace(/"/g, '&quot;'));
    expect(html).toContain('Showing 3 of 12 series');
  });
});

describe('Sparkline', () => {
  it('speaks blue-green: preview, not canary', () => {
    const html = renderToStaticMarkup(<Sparkline points={[[1, 0.02], [2, 0.03]]} role="preview" unavailable={false} />);
    expect(html).toContain('preview 5xx 3.0 %');
  });

  it('draws one small SVG, breaks the line at a gap instead of dropping to zero, and says when there is nothing to draw', () => {
    const html = renderToStaticMarkup(<Sparkline points={[[0, 0.1], [60, 0.2], [120, null], [180, 0.05]]} role="canary" unavailable={false} />);
    expect(html).not.toContain('recharts');
    // Two segments: the first two samples, then a lone dot after the gap; 0.2 (the largest) at the top.
    expect([...html.matchAll(/<path[^>]* d="([^"]+)"/g)].map((m) => m[1])).toEqual(['M0.0,12.0 L33.3,2.0', 'M100.0,17.0 L100.0,17.0']);
    expect(html).toContain('canary 5xx 5.0 %');
    expect(renderToStaticMarkup(<Sparkline points={[[0, null]]} role="stable" unavailable={false} />)).toContain('5xx: no data');
    expect(renderToStaticMarkup(<Sparkline points={null} role="stable" unavailable />)).toContain('5xx: metrics unavailable');
  });
});
