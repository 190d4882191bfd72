'use client';

import { useQuery } from '@tanstack/react-query';
import { meQuery } from '@/lib/queries/actions';

/** Who is signed in (user and groups) and the way out: a same-origin POST form, as /auth/logout requires. */
export function SessionMenu() {
  const { data: me, isError } = useQuery(meQuery());
  if (!me) return isError ? null : <span className="text-xs text-slate-400">…</span>;
  return (
    <div className="flex items-center gap-2 text-sm" data-testid="session-menu">
      <span className="flex flex-col leading-tight">
        <span className="font-medium" data-testid="session-user">
          {me.user}
        </span>
        <span className="text-xs text-slate-500" data-testid="session-groups">
          {me.groups.length > 0 ? me.groups.join(', ') : 'no groups'}
        </span>
      </span>
      <form method="post" action="/auth/logout">
        <button type="submit" className="rounded-md border border-slate-300 px-2 py-1 text-xs hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800">
          Sign out
        </button>
      </form>
    </div>
  );
}
