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

export function formatAgo(iso: string | null, now: number): string {
  if (!iso) return '—';
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h ago`;
  return `${Math.floor(seconds / 86400)}d ago`;
}

export function Ago({ iso }: { iso: string | null }) {
  const hydrated = useHydrated();
  const now = useNow(5000);
  if (!hydrated) return <time>…</time>;
  return (
    <time dateTime={iso ?? undefined} title={iso ?? undefined}>
      {formatAgo(iso, now)}
    </time>
  );
}

export function Countdown({ until }: { until: string }) {
  const hydrated = useHydrated();
  const now = useNow(1000);
  if (!hydrated) return <span className="tabular-nums">…</span>;
  const left = Math.max(0, Math.round((Date.parse(until) - now) / 1000));
  return <span className="tabular-nums">{left}s left</span>;
}
