'use client';

import { useEffect, useState } from 'react';

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
  const now = useNow(5000);
  return (
    <time dateTime={iso ?? undefined} title={iso ?? undefined} suppressHydrationWarning>
      {formatAgo(iso, now)}
    </time>
  );
}

export function Countdown({ until }: { until: string }) {
  const now = useNow(1000);
  const left = Math.max(0, Math.round((Date.parse(until) - now) / 1000));
  return <span className="tabular-nums" suppressHydrationWarning>{left}s left</span>;
}
