'use client';

import type { ClusterHealthDto } from '@/lib/contracts/stream';
import type { ConnectionState } from '@/lib/queries/connection';
import { Ago, useNow } from './ui/time';

/** ", retry in 4 s", counting down; ", retrying…" once the attempt is due. */
function RetryIn({ at }: { at: string }) {
  const now = useNow(1000);
  const seconds = Math.ceil((Date.parse(at) - now) / 1000);
  return <>{seconds > 0 ? `, retry in ${seconds} s` : ', retrying…'}</>;
}

/**
 * live / reconnecting / stale since <time>: the browser's link to Aviary and Aviary's link to each
 * cluster are both part of "is what I see true right now". While reconnecting it says what failed
 * and when the next attempt is, so "Reconnecting" never hides a server that keeps answering 502.
 */
export function ConnectionIndicator({ connection, health }: { connection: ConnectionState; health: ClusterHealthDto[] }) {
  const staleCluster = health.find((h) => !h.connected);
  let state: 'live' | 'reconnecting' | 'stale' | 'connecting' = connection.status === 'live' ? 'live' : connection.status;
  if (state === 'live' && staleCluster) state = 'stale';
  const since = state === 'stale' ? (staleCluster?.staleSince ?? null) : state === 'live' ? null : connection.since;
  const styles = {
    live: 'bg-emerald-100 text-emerald-800 dark:bg-emerald-900/40 dark:text-emerald-200',
    connecting: 'bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300',
    reconnecting: 'bg-amber-100 text-amber-900 dark:bg-amber-900/40 dark:text-amber-200',
    stale: 'bg-rose-100 text-rose-800 dark:bg-rose-900/40 dark:text-rose-200',
  }[state];
  const reconnecting = connection.status === 'reconnecting' ? connection : null;
  const label = {
    live: 'Live',
    connecting: 'Connecting…',
    reconnecting: reconnecting?.reason ? `Reconnecting — ${reconnecting.reason}` : 'Reconnecting…',
    stale: 'Stale',
  }[state];
  const notice = connection.status === 'live' ? connection.notice : null;
  return (
    <div role="status" aria-live="polite" data-testid="connection-indicator" data-state={state} className={`inline-flex items-center gap-2 rounded-full px-3 py-1 text-xs font-medium ${styles}`}>
      <span aria-hidden className={`h-2 w-2 rounded-full ${state === 'live' ? 'animate-pulse bg-emerald-500' : state === 'stale' ? 'bg-rose-500' : 'bg-amber-500'}`} />
      <span>
        {label}
        {state === 'reconnecting' && reconnecting?.retryAt && <RetryIn at={reconnecting.retryAt} />}
      </span>
      {since && (
        <span className="opacity-80">
          since <Ago iso={since} />
        </span>
      )}
      {state === 'stale' && staleCluster?.lastError && <span className="hidden max-w-xs truncate opacity-70 md:inline" title={staleCluster.lastError}>{staleCluster.cluster}: {staleCluster.lastError}</span>}
      {state === 'live' && notice && <span className="hidden max-w-xs truncate opacity-70 md:inline" title={notice}>{notice}</span>}
    </div>
  );
}
