'use client';

import Link from 'next/link';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { WorkloadSummary } from '@/lib/contracts/workload';
import { PhaseBadge } from '@/components/ui/phase-badge';
import { Ago, Countdown } from '@/components/ui/time';
import { WeightBar } from '@/components/ui/weight-bar';
import { useWatchWorkload } from '@/lib/queries/stream';
import { detailQuery } from '@/lib/queries/workloads';
import { renderLink, type LinkTemplate } from '@/lib/rollouts/links';
import { sidesOf, stepText } from '@/lib/rollouts/labels';
import { ActionBar } from './actions/action-bar';
import { ActionHistory } from './actions/action-history';
import { AnalysisRuns } from './analysis-runs';
import { Conditions } from './conditions';
import { DiagnosisPanel } from './diagnosis';
import { EventsTimeline } from './events';
import { Revisions } from './revisions';
import { MetricsPanel } from './metrics-panel';
import { StepList } from './step-list';
import { RolloutFacts } from './rollout-facts';
import { IncidentBanner } from '@/components/wall/incident-banner';
import { useApprovalGate } from '@/components/approvals/request-approval';
import { withApprovalGate } from '@/lib/rollouts/approval-diagnosis';

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="rounded-xl border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <h2 className="mb-3 text-sm font-semibold uppercase tracking-wide text-slate-500">{title}</h2>
      {children}
    </section>
  );
}

/** Each pause condition, with how it ends: a countdown, a promotion, or (at a gated step) release approval. */
function PauseLines({ workload: w }: { workload: WorkloadSummary }) {
  const gate = useApprovalGate(w);
  const gated = Boolean(gate?.step && gate.policy);
  return w.pauses.map((p) => (
    <p key={p.reason} className="text-sm text-amber-800 dark:text-amber-200">
      Paused ({p.reason}) <Ago iso={p.startedAt} />
      {p.endsAt ? (
        <>
          {' '}· resumes in <Countdown until={p.endsAt} />
        </>
      ) : gated ? (
        ' — waiting for release approval'
      ) : (
        ' — waiting for a promotion'
      )}
    </p>
  ));
}

/** The diagnosis, told in terms of release approval when the step the rollout waits at is gated. */
function GatedDiagnosis({ workload, testId }: { workload: WorkloadSummary; testId: string }) {
  const gate = useApprovalGate(workload);
  return <DiagnosisPanel diagnosis={withApprovalGate(workload.diagnosis, gate)} testId={testId} />;
}

/**
 * Container for one workload: its full summary only (hydrated by the page, or fetched), kept live
 * by the stream, which carries the detail of the workloads a tab has open.
 */
export function WorkloadDetail({ id, links }: { id: string; links: LinkTemplate[] }) {
  useWatchWorkload(id);
  const { data: w, isPending } = useQuery(detailQuery(id));
  if (isPending) return null;
  if (!w) {
    return (
      <main className="mx-auto max-w-7xl px-4 py-6">
        <p className="rounded-lg border border-dashed p-8 text-center text-sm text-slate-500">
          {id.split('/').slice(1).join('/')} is not (or no longer) in the cluster. <Link className="underline" href="/">Back to the overview</Link>
        </p>
      </main>
    );
  }
  const testId = `rollout-${w.namespace}-${w.name}`;
  return (
    <main className="mx-auto flex max-w-7xl flex-col gap-4 px-4 py-6" data-testid={testId}>
      {w.derivationError && <p role="alert" data-testid={`${testId}-derivation-error`} className="text-sm text-amber-700 dark:text-amber-300">⚠ Last good state shown: {w.derivationError}</p>}
      <div className="flex flex-wrap items-center gap-3">
        <Link href="/" className="text-sm text-slate-500 hover:underline">
          ← Overview
        </Link>
        <h1 className="text-2xl font-bold">{w.name}</h1>
        <PhaseBadge phase={w.phase} testId={`${testId}-phase`} />
        <span className="text-sm text-slate-500">
          {w.cluster} · {w.namespace} · {w.kind} · {w.strategy}
          {w.trafficRouting ? ` · ${w.trafficRouting}` : ''}
        </span>
        {links.map((link) => {
          const canary = w.revisions.find((r) => r.roles.includes('canary') || r.roles.includes('preview')) ?? w.revisions[0];
          const href = renderLink(link.template, {
            cluster: w.cluster,
            namespace: w.namespace,
            name: w.name,
            service: w.services.canary ?? w.services.stable ?? w.name,
            revision: canary?.podTemplateHash ?? '',
          });
          return (
            <a key={link.name} href={href} target="_blank" rel="noreferrer" className="text-sm text-sky-700 underline dark:text-sky-300">
              {link.name} ↗
            </a>
          );
        })}
        <span className="ml-auto text-sm" data-testid={`${testId}-step`}>
          {stepText(w)}
        </span>
      </div>
      <IncidentBanner w={w} />
      <PauseLines workload={w} />
      {w.derivationError && (
        <p className="rounded-md border border-amber-500 px-3 py-2 text-sm text-amber-800 dark:text-amber-200">
          Aviary could not read part of this object ({w.derivationError}); showing the last good state.
        </p>
      )}
      <div className="grid gap-4 lg:grid-cols-3">
        <div className="flex flex-col gap-4 lg:col-span-2">
          <Section title="Why is it stuck?">
            <GatedDiagnosis workload={w} testId={`${testId}-diagnosis`} />
          </Section>
          {w.strategy === 'canary' && (
            <Section title="Canary weight">
              <WeightBar desired={w.desiredWeight} actual={w.actualWeight} testIdPrefix={testId} />
              {w.abortedAt && (
                <p className="mt-2 text-xs text-rose-700 dark:text-rose-300" data-testid={`${testId}-aborted-at`}>
                  {w.abortedAt.known && w.abortedAt.step !== null
                    ? `The release reached step ${w.abortedAt.step}/${w.abortedAt.total} with ${w.abortedAt.weight ?? 0} % on the canary before it was aborted; all traffic is back on stable.`
                    : 'The step the release had reached before the abort is unknown: none of the controller’s step-completed events for this release is left (events expire after about an hour, or no step had completed).'}
                </p>
              )}
            </Section>
          )}
          {w.kind === 'Rollout' && (
            <Section title={`${sidesOf(w).next} vs ${sidesOf(w).current}`}>
              <MetricsPanel cluster={w.cluster} namespace={w.namespace} name={w.name} />
            </Section>
          )}
          <Section title="Revisions and pods">
            <Revisions revisions={w.revisions} />
          </Section>
          <Section title="Analysis">
            <AnalysisRuns runs={w.analysisRuns} />
          </Section>
        </div>
        <div className="flex flex-col gap-4">
          <Section title="Actions">
            <ActionBar workload={w} />
          </Section>
          {w.kind === 'Rollout' && (
            <Section title="Steps">
              <StepList steps={w.steps} current={w.step.current} testIdPrefix={testId} />
            </Section>
          )}
          <Section title={w.kind === 'Rollout' ? 'Rollout' : 'Deployment'}>
            <RolloutFacts w={w} />
          </Section>
          <Section title="Replicas">
            <p className="text-sm tabular-nums">
              {w.replicas.desired} desired · {w.replicas.current} current · {w.replicas.updated} up-to-date · {w.replicas.ready} ready · {w.replicas.available} available
            </p>
            {w.hpa && (
              <p className="mt-2 text-xs text-slate-600 dark:text-slate-400">
                HPA {w.hpa.name}: {w.hpa.minReplicas}–{w.hpa.maxReplicas} replicas, target {w.hpa.target ?? '—'}, current {w.hpa.current ?? 'no metrics'}
                {w.hpa.problem ? ` — ${w.hpa.problem}` : ''}
              </p>
            )}
          </Section>
          <Section title="Conditions">
            <Conditions conditions={w.conditions} />
          </Section>
          <Section title="Action history">
            <ActionHistory history={w.history} testId={`${testId}-history`} />
          </Section>
          <Section title="Events">
            <EventsTimeline events={w.events} />
          </Section>
        </div>
      </div>
    </main>
  );
}
