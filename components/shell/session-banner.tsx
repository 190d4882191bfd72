'use client';

import { useSyncExternalStore } from 'react';
import { session, signInHref } from '@/lib/queries/session';

const ended = () => session.get();
const serverEnded = () => false;

/**
 * Shown when the stream or an API call answered 401 in an open tab: the page stays as it is (no
 * reload, no redirect loop) and a link signs in again and comes back to this very page.
 */
export function SessionBanner() {
  const isEnded = useSyncExternalStore(session.subscribe, ended, serverEnded);
  if (!isEnded) return null;
  const href = typeof window === 'undefined' ? '/auth/login' : signInHref(window.location);
  return (
    <div role="alert" data-testid="session-ended" className="border-b border-amber-400 bg-amber-50 px-4 py-2 text-center text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
      Your session has ended — <a className="font-semibold underline" href={href}>sign in again</a>. What you see below is no longer updated.
    </div>
  );
}
