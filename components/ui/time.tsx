'use client';

import { useEffect, useState, useSyncExternalStore } from 'react';

const noSubscription = () => () => undefined;

/**
 * False during server rendering and hydration, true after. Times relative to "now" differ between
 * the server's clock and the browser's (and between render and hydration), so they are drawn only
 * once hydrated: the server HTML holds a placeholder instead of a value React would reject.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(noSubscription, () => true, () => false);
}

/** Re-renders every `ms` so relative times and countdowns stay true without new data. */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

/** "3 minutes ago", "2 hours ago" in the viewer's own locale (Intl), never an ISO string. */
export function formatAgo(iso: string | null, now: number, locale?: string): string {
  if (!iso) return '—';
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'long' });
  if (seconds < 60) return format.format(-seconds, 'second');
  if (seconds < 3600) return format.format(-Math.floor(seconds / 60), 'minute');
  if (seconds < 86400) return format.format(-Math.floor(seconds / 3600), 'hour');
  return format.format(-Math.floor(seconds / 86400), 'day');
}

/** A countdown as m:ss (h:mm:ss past an hour): "0:42". */
export function formatCountdown(until: string, now: number): string {
  const left = Math.max(0, Math.round((Date.parse(until) - now) / 1000));
  const h = Math.floor(left / 3600);
  const m = Math.floor((left % 3600) / 60);
  const s = String(left % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** The absolute time in the viewer's locale and time zone, for tooltips. */
export function formatLocal(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

export function Ago({ iso }: { iso: string | null }) {
  const hydrated = useHydrated();
  const now = useNow(5000);
  if (!hydrated) return <time>…</time>;
  return (
    <time dateTime={iso ?? undefined} title={iso ? formatLocal(iso) : undefined}>
      {formatAgo(iso, now)}
    </time>
  );
}

export function Countdown({ until }: { until: string }) {
  const hydrated = useHydrated();
  const now = useNow(1000);
  if (!hydrated) return <span className="tabular-nums">…</span>;
  return (
    <time className="tabular-nums" dateTime={until} title={formatLocal(until)}>
      {formatCountdown(until, now)}
    </time>
  );
}
