import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ClusterHealthDto } from '@/lib/contracts/stream';
import { ConnectionIndicator } from './connection-indicator';

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
const since = new Date(Date.now() - 60_000).toISOString();
const healthy: ClusterHealthDto[] = [{ cluster: 'c', connected: true, staleSince: null, lastError: null }];

describe('ConnectionIndicator', () => {
  it('says what failed and when it retries while reconnecting', () => {
    const retryAt = new Date(Date.now() + 3_500).toISOString();
    const html = renderToStaticMarkup(
      <ConnectionIndicator connection={{ status: 'reconnecting', since, lastLiveAt: null, reason: 'server answered 502', retryAt }} health={healthy} />,
    );
    expect(html).toContain('data-state="reconnecting"');
    expect(text(html)).toMatch(/^Reconnecting — server answered 502, retry in 4 s since/);
  });

  it('says "retrying…" while an attempt is under way, and plain "Reconnecting…" when it knows no reason', () => {
    const underway = renderToStaticMarkup(
      <ConnectionIndicator connection={{ status: 'reconnecting', since, lastLiveAt: null, reason: null, retryAt: null }} health={healthy} />,
    );
    expect(text(underway)).toMatch(/^Reconnecting… since/);
  });

  it('is Live, with the note of a recent resync, and Stale when a cluster is not connected', () => {
    const live = renderToStaticMarkup(<ConnectionIndicator connection={{ status: 'live', since, notice: 'resynced at 10:00:00: an upsert event did not match the expected shape' }} health={healthy} />);
    expect(live).toContain('data-state="live"');
    expect(text(live)).toBe('Live resynced at 10:00:00: an upsert event did not match the expected shape');
    const stale = renderToStaticMarkup(
      <ConnectionIndicator connection={{ status: 'live', since, notice: null }} health={[{ cluster: 'c', connected: false, staleSince: since, lastError: 'watch pods: 500' }]} />,
    );
    expect(stale).toContain('data-state="stale"');
    expect(text(stale)).toContain('c: watch pods: 500');
  });
});
