'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { KioskCreated } from '@/lib/contracts/kiosk';
import { meQuery } from '@/lib/queries/actions';
import { createKioskLink, kioskLinksQuery, revokeKioskLink } from '@/lib/queries/wall';
import { Ago, useNow } from '@/components/ui/time';

const split = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);

/** /wall/links: open the wall for some namespaces, and create or revoke kiosk links for screens. */
export function KioskLinksPage() {
  const client = useQueryClient();
  const me = useQuery(meQuery());
  const links = useQuery(kioskLinksQuery());
  const [title, setTitle] = useState('Team room');
  const [namespaces, setNamespaces] = useState('shop,search');
  const [labels, setLabels] = useState('');
  const [hours, setHours] = useState(24 * 30);
  const [created, setCreated] = useState<KioskCreated | null>(null);
  const now = useNow(30_000);
  const create = useMutation({
    mutationFn: () =>
      createKioskLink(
        { title, scope: { clusters: [], namespaces: split(namespaces), labels: Object.fromEntries(split(labels).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)])) }, ttlHours: hours },
        me.data?.csrfToken ?? '',
      ),
    onSuccess: (result) => {
      setCreated(result);
      void client.invalidateQueries({ queryKey: kioskLinksQuery().queryKey });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => revokeKioskLink(id, me.data?.csrfToken ?? ''),
    onSuccess: () => void client.invalidateQueries({ queryKey: kioskLinksQuery().queryKey }),
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setCreated(null);
    create.mutate();
  };
  const wallHref = `/wall?${new URLSearchParams({ namespace: split(namespaces).join(','), ...(labels ? { label: split(labels).join(',') } : {}) }).toString()}`;
  const field = 'mt-1 w-full rounded border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-900';
  return (
    <main className="mx-auto max-w-4xl space-y-8 px-4 py-6">
      <section>
        <h1 className="text-2xl font-bold">Wall screen</h1>
        <p className="mt-1 text-slate-600 dark:text-slate-400">
          A dark, high-contrast view for a team-room screen: what needs attention first, paging through the rest. Open it signed in, or create a kiosk link for a
          screen nobody signs in to — read-only, limited to the namespaces you choose, expiring, and revocable here.
        </p>
      </section>
      <form onSubmit={onSubmit} className="grid gap-4 rounded-lg border border-slate-200 p-4 sm:grid-cols-2 dark:border-slate-800" aria-label="Create a kiosk link">
        <label className="text-sm font-medium">
          Title
          <input className={field} value={title} onChange={(e) => setTitle(e.target.value)} maxLength={80} required />
        </label>
        <label className="text-sm font-medium">
          Namespaces (comma-separated)
          <input className={field} value={namespaces} onChange={(e) => setNamespaces(e.target.value)} required />
        </label>
        <label className="text-sm font-medium">
          Labels (key=value, comma-separated, optional)
          <input className={field} value={labels} onChange={(e) => setLabels(e.target.value)} />
        </label>
        <label className="text-sm font-medium">
          Valid for (hours)
          <input className={field} type="number" min={1} max={24 * 90} value={hours} onChange={(e) => setHours(Number(e.target.value))} />
        </label>
        <div className="flex items-center gap-3 sm:col-span-2">
          <button type="submit" disabled={create.isPending || !me.data} className="rounded bg-slate-900 px-3 py-1.5 text-sm font-semibold text-white disabled:opacity-50 dark:bg-slate-100 dark:text-slate-900">
            Create kiosk link
          </button>
          <a href={wallHref} className="text-sm text-sky-700 underline dark:text-sky-300">
            Open this wall signed in
          </a>
          {create.error && <span className="text-sm text-rose-700 dark:text-rose-300" role="alert">{create.error.message}</span>}
        </div>
        {created && (
          <div className="rounded bg-emerald-50 p-3 text-sm sm:col-span-2 dark:bg-emerald-950" data-testid="kiosk-created">
            <p className="font-semibold">Kiosk link created — open it on the screen (it is shown only now):</p>
            <code className="mt-1 block break-all" data-testid="kiosk-url">
              {created.url}
            </code>
          </div>
        )}
      </form>
      <section>
        <h2 className="text-lg font-semibold">Your kiosk links</h2>
        {links.data && links.data.length === 0 && <p className="text-slate-500">None yet.</p>}
        <ul className="mt-2 divide-y divide-slate-200 dark:divide-slate-800">
          {links.data?.map((l) => {
            const expired = Date.parse(l.expiresAt) <= now;
            return (
              <li key={l.id} className="flex flex-wrap items-center gap-3 py-2 text-sm" data-testid="kiosk-link">
                <span className="font-medium">{l.title}</span>
                <span className="text-slate-500">{l.scope.namespaces.join(', ')}</span>
                <span className="text-slate-500">
                  created <Ago iso={l.createdAt} />
                </span>
                <span className={l.revoked || expired ? 'font-semibold text-rose-700 dark:text-rose-300' : 'text-slate-500'}>
                  {l.revoked ? 'revoked' : expired ? 'expired' : 'active'}
                </span>
                {!l.revoked && !expired && (
                  <button type="button" className="ml-auto rounded border border-rose-300 px-2 py-0.5 text-rose-700 dark:border-rose-800 dark:text-rose-300" onClick={() => revoke.mutate(l.id)} disabled={revoke.isPending}>
                    Revoke
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      </section>
    </main>
  );
}
