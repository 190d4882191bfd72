'use client';

import type { ClusterHealthDto } from '@/lib/contracts/stream';
import type { ConnectionState } from '@/lib/queries/connection';
import { Ago } from './ui/time';

/**
 * live / reconnecting / stale since <time>: the browser's link to Aviary and Aviary's link to each
 * cluster are both part of "is what I see true right now".
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
  const label = { live: 'Live', connecting: 'Connecting…', reconnecting: 'Reconnecting…', stale: 'Stale' }[state];
  return (
    <div role="status" aria-live="polite" data-testid="connection-indicator" data-state={state} className={`inline-flex items-center gap-2 rounded-full px-3 py-1 text-xs font-medium ${styles}`}>
      <span aria-hidden className={`h-2 w-2 rounded-full ${state === 'live' ? 'animate-pulse bg-emerald-500' : state === 'stale' ? 'bg-rose-500' : 'bg-amber-500'}`} />
      <span>{label}</span>
      {since && (
        <span className="opacity-80">
          since <Ago iso={since} />
        </span>
      )}
      {state === 'stale' && staleCluster?.lastError && <span className="hidden max-w-xs truncate opacity-70 md:inline" title={staleCluster.lastError}>{staleCluster.cluster}: {staleCluster.lastError}</span>}
    </div>
  );
}
