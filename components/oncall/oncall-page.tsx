'use client';

import Link from 'next/link';
import { useQuery } from '@tanstack/react-query';
import type { DeliveryRecord, IncidentView, OnCallStatus } from '@/lib/contracts/incidents';
import { oncallQuery } from '@/lib/queries/oncall';
import { Ago, formatLocal, useHydrated, useNow } from '@/components/ui/time';
import { failedDeliveries, failureCounters, incidentHref, leaseLapsed, recentDeliveries, retentionText, runbookFailures, type DeliveryRow } from './oncall-view';

const STATE_WORDS: Record<DeliveryRecord['state'], string> = { pending: 'sending', delivered: 'delivered', failed: 'FAILED', skipped: 'not sent' };
const STATE_CLASS: Record<DeliveryRecord['state'], string> = {
  pending: 'text-amber-800 dark:text-amber-300',
  delivered: 'text-emerald-800 dark:text-emerald-300',
  failed: 'font-semibold text-rose-700 dark:text-rose-300',
  skipped: 'text-slate-600 dark:text-slate-400',
};
const CHANNEL: Record<DeliveryRecord['channel'], string> = { pagerduty: 'PagerDuty', slack: 'Slack' };

/** A time in the future, relative ("in 40 seconds") once hydrated. */
function Until({ iso }: { iso: string }) {
  const hydrated = useHydrated();
  const now = useNow(5000);
  if (!hydrated) return <time>…</time>;
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  const format = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  const text = seconds <= 0 ? 'now' : seconds < 60 ? format.format(seconds, 'second') : seconds < 3600 ? format.format(Math.round(seconds / 60), 'minute') : format.format(Math.round(seconds / 3600), 'hour');
  return (
    <time dateTime={iso} title={formatLocal(iso)}>
      {text}
    </time>
  );
}

function IncidentLink({ i }: { i: IncidentView }) {
  return (
    <Link href={incidentHref(i)} className="font-medium text-sky-800 underline-offset-2 hover:underline dark:text-sky-300">
      {i.namespace}/{i.name}
    </Link>
  );
}

function Section({ title, children, testId }: { title: string; children: React.ReactNode; testId: string }) {
  return (
    <section className="mt-6" data-testid={testId} aria-label={title}>
      <h2 className="text-base font-semibold">{title}</h2>
      <div className="mt-2">{children}</div>
    </section>
  );
}

function Sender({ status }: { status: OnCallStatus }) {
  const hydrated = useHydrated();
  const now = useNow(5000);
  const { lease, replica } = status;
  const lapsed = hydrated && leaseLapsed(lease, now);
  return (
    <dl className="grid grid-cols-1 gap-x-6 gap-y-2 rounded-lg border border-slate-200 p-4 text-sm sm:grid-cols-[max-content_1fr] dark:border-slate-800" data-testid="oncall-lease">
      <dt className="text-slate-500">Sending replica</dt>
      <dd>
        {lease?.holder ? <span className="font-medium">{lease.holder}</span> : <span className="font-semibold text-rose-700 dark:text-rose-300">none holds the Lease</span>}
        {lapsed && lease?.holder && <span className="ml-2 font-semibold text-rose-700 dark:text-rose-300">not renewing — a takeover is due</span>}
        {status.leaseError && <span className="text-rose-700 dark:text-rose-300">the Lease could not be read: {status.leaseError}</span>}
      </dd>
      {lease && (
        <>
          <dt className="text-slate-500">Lease</dt>
          <dd>
            {lease.namespace}/{lease.name}: renewed {lease.renewTime ? <Ago iso={lease.renewTime} /> : 'never'}
            {lease.leaseSeconds !== null && `, expires after ${lease.leaseSeconds} s of silence`}
            {lease.acquireTime && (
              <>
                , held since <Ago iso={lease.acquireTime} />
              </>
            )}
            , {lease.transitions} hand-over{lease.transitions === 1 ? '' : 's'}
          </dd>
        </>
      )}
      <dt className="text-slate-500">This replica</dt>
      <dd>
        {replica.identity} — {replica.leading ? 'sending' : 'standing by'}; PagerDuty {replica.configured.pagerduty ? 'configured' : 'not configured'}, Slack {replica.configured.slack ? 'configured' : 'not configured'}
      </dd>
      <dt className="text-slate-500">Retention</dt>
      <dd>resolved incidents are deleted after {retentionText(status.retentionMs)}</dd>
    </dl>
  );
}

function Failures({ status }: { status: OnCallStatus }) {
  const failed = failedDeliveries(status);
  const hooks = runbookFailures(status);
  const counters = failureCounters(status.replica.counters);
  const total = failed.length + hooks.length;
  return (
    <Section title={total === 0 ? 'Failures' : `Failures (${total})`} testId="oncall-failures">
      {total === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">No delivery or runbook hook is failing.</p>
      ) : (
        <ul className="flex flex-col gap-2">
          {failed.map(({ key, incident, delivery: d }) => (
            <li key={key} data-testid="oncall-failure" className="rounded-lg border-2 border-rose-600 bg-rose-50 px-3 py-2 text-sm text-rose-950 dark:bg-rose-950 dark:text-rose-50">
              <p>
                <span className="font-semibold">
                  {CHANNEL[d.channel]} {d.action} FAILED
                </span>{' '}
                for <IncidentLink i={incident} /> (revision {incident.revision}): {d.lastError ?? 'no reason recorded'}
              </p>
              <p className="text-xs" data-testid="oncall-failure-detail">
                {d.attempts} attempt{d.attempts === 1 ? '' : 's'} in {d.rounds} round{d.rounds === 1 ? '' : 's'}
                {d.sender ? ` by ${d.sender}` : ''}
                {d.at && (
                  <>
                    , last <Ago iso={d.at} />
                  </>
                )}
                {d.nextAttemptAt ? (
                  <>
                    ; next round <Until iso={d.nextAttemptAt} />
                  </>
                ) : (
                  '; not retried (the receiver refused it)'
                )}
              </p>
            </li>
          ))}
          {hooks.map((h) => (
            <li key={h.key} data-testid="oncall-runbook-failure" className="rounded-lg border-2 border-rose-600 bg-rose-50 px-3 py-2 text-sm text-rose-950 dark:bg-rose-950 dark:text-rose-50">
              <span className="font-semibold">Runbook hook {h.hook} {h.state === 'failed' ? 'FAILED' : 'not configured'}</span> for <IncidentLink i={h.incident} />: {h.message} · <Ago iso={h.at} />
            </li>
          ))}
        </ul>
      )}
      {counters.length > 0 && (
        <p className="mt-2 text-xs text-slate-600 dark:text-slate-400" data-testid="oncall-failure-counters">
          Counted by this replica since it started: {counters.map(([name, n]) => `${name} ${n}`).join(', ')}
        </p>
      )}
    </Section>
  );
}

function DeliveryList({ rows }: { rows: DeliveryRow[] }) {
  return (
    <ol className="divide-y divide-slate-200 rounded-lg border border-slate-200 text-sm dark:divide-slate-800 dark:border-slate-800">
      {rows.map(({ key, incident, delivery: d }) => (
        <li key={key} className="flex flex-wrap items-baseline gap-x-2 px-3 py-1.5" data-testid="oncall-delivery" data-state={d.state}>
          <span className="w-36 shrink-0 text-slate-600 dark:text-slate-400">{d.at ? <Ago iso={d.at} /> : '—'}</span>
          <span className="w-32 shrink-0">
            {CHANNEL[d.channel]} {d.action}
          </span>
          <span className={`w-20 shrink-0 ${STATE_CLASS[d.state]}`}>{STATE_WORDS[d.state]}</span>
          <IncidentLink i={incident} />
          <span className="text-xs text-slate-600 dark:text-slate-400">
            {d.attempts} attempt{d.attempts === 1 ? '' : 's'}
            {d.sender ? ` · ${d.sender}` : ''}
            {d.state !== 'delivered' && d.lastError ? ` · ${d.lastError}` : ''}
          </span>
        </li>
      ))}
    </ol>
  );
}

/** /oncall: the on-call status page, for a person (the same data as GET /api/oncall). */
export function OnCallPage() {
  const { data, isError, error, dataUpdatedAt } = useQuery(oncallQuery());
  const open = (data?.incidents ?? []).filter((i) => i.state === 'open');
  const resolved = (data?.incidents ?? []).filter((i) => i.state === 'resolved');
  const recent = data ? recentDeliveries(data) : [];
  return (
    <main className="mx-auto max-w-5xl px-4 py-6" data-testid="oncall-page">
      <h1 className="text-xl font-bold">On call</h1>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
        Pages to PagerDuty and Slack for releases in trouble, sent by one replica (the Lease holder).{' '}
        {dataUpdatedAt > 0 && (
          <>
            Updated <Ago iso={new Date(dataUpdatedAt).toISOString()} />.
          </>
        )}
      </p>
      {isError && <p className="mt-4 rounded-md bg-rose-100 px-3 py-2 text-sm text-rose-900 dark:bg-rose-950 dark:text-rose-100">The on-call status could not be read: {error.message}</p>}
      {!data && !isError && <p className="mt-4 text-sm text-slate-500">Loading…</p>}
      {data && (
        <>
          <div className="mt-4">
            <Sender status={data} />
          </div>
          <Failures status={data} />
          <Section title={`Open incidents (${open.length})`} testId="oncall-open">
            {open.length === 0 ? (
              <p className="text-sm text-slate-600 dark:text-slate-400">None.</p>
            ) : (
              <ul className="flex flex-col gap-2">
                {open.map((i) => (
                  <li key={i.objectName} data-testid="oncall-incident" className="rounded-lg border border-slate-300 px-3 py-2 text-sm dark:border-slate-700">
                    <p>
                      <IncidentLink i={i} /> <span className="text-slate-600 dark:text-slate-400">in {i.cluster}</span>, revision {i.revision}: {i.cause.replace('-', ' ')} ({i.severity}) · opened{' '}
                      <Ago iso={i.openedAt} />
                    </p>
                    <p className="text-slate-700 dark:text-slate-300">{i.summary}</p>
                    <p className="text-xs text-slate-600 dark:text-slate-400">
                      {i.deliveries.map((d) => `${CHANNEL[d.channel]} ${d.action}: ${STATE_WORDS[d.state]}`).join(' · ') || 'no on-call channel configured for this namespace'}
                      {i.runbook ? ` · runbook ${i.runbook.hook}: ${i.runbook.state}` : ''}
                    </p>
                  </li>
                ))}
              </ul>
            )}
          </Section>
          <Section title="Last deliveries" testId="oncall-deliveries">
            {recent.length === 0 ? <p className="text-sm text-slate-600 dark:text-slate-400">Nothing sent yet.</p> : <DeliveryList rows={recent} />}
          </Section>
          <p className="mt-6 text-xs text-slate-500">
            {resolved.length} resolved incident{resolved.length === 1 ? '' : 's'} kept (deleted {retentionText(data.retentionMs)} after they resolve). Only namespaces you may read are shown.
          </p>
        </>
      )}
    </main>
  );
}
