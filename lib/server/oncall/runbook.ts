import 'server-only';
import { hostname } from 'node:os';
import type { KubeConfig } from '@kubernetes/client-node';
import { z } from 'zod';
import type { RunbookOutcome } from '@/lib/contracts/incidents';
import type { Incident } from '@/lib/rollouts/incidents';
import { kubeRequest } from '@/lib/server/kube/impersonation';
import type { OnCallConfig } from './config';

/**
 * Runbook hooks: a Rollout opts in with the annotation `aviary.dev/runbook-hook: <name>` (and, for
 * a feature flag, `aviary.dev/feature-flag: <flag key>`); when its release is aborted (by a person
 * or by a failed analysis) the on-call sender calls the hook of that name from AVIARY_RUNBOOK_HOOKS
 * exactly once per incident. The endpoint and its credentials come from configuration only: the
 * annotation names a hook, it never carries a URL. The outcome is written to the Incident and as an
 * Event on the workload, next to the controller's own events and Aviary's audited actions.
 */
export const HOOK_ANNOTATION = 'aviary.dev/runbook-hook';
export const FLAG_ANNOTATION = 'aviary.dev/feature-flag';

const Annotated = z.object({ metadata: z.object({ annotations: z.record(z.string(), z.string()).nullish(), uid: z.string().optional() }) });

const PATH = { Rollout: (ns: string, n: string) => `/apis/argoproj.io/v1alpha1/namespaces/${ns}/rollouts/${n}`, Deployment: (ns: string, n: string) => `/apis/apps/v1/namespaces/${ns}/deployments/${n}` };

export interface RunbookDeps {
  fetch?: typeof fetch;
  env?: Record<string, string | undefined>;
  now?: () => Date;
  log?: (line: string) => void;
}

/** Runs the workload's hook if it has one; null when it opted into none. */
export async function runRunbookHook(kc: KubeConfig, config: OnCallConfig, incident: Incident, deps: RunbookDeps = {}): Promise<RunbookOutcome | null> {
  const doFetch = deps.fetch ?? fetch;
  const env = deps.env ?? process.env;
  const now = deps.now ?? (() => new Date());
  const log = deps.log ?? console.log;
  const object = Annotated.parse(await kubeRequest(kc, null, { method: 'GET', path: PATH[incident.kind](encodeURIComponent(incident.namespace), encodeURIComponent(incident.name)) }));
  const annotations = object.metadata.annotations ?? {};
  const hookName = annotations[HOOK_ANNOTATION];
  if (!hookName) return null;
  const hook = config.runbookHooks[hookName];
  const at = () => now().toISOString();
  let outcome: RunbookOutcome;
  if (!hook) {
    outcome = { hook: hookName, state: 'not-configured', message: `no runbook hook named "${hookName}" in AVIARY_RUNBOOK_HOOKS`, at: at() };
  } else {
    const headers: Record<string, string> = {};
    if (hook.authorizationEnv && env[hook.authorizationEnv]) headers.Authorization = env[hook.authorizationEnv] ?? '';
    let request: { url: string; method: string; body: string } | { error: string };
    if (hook.kind === 'launchdarkly-flag-off') {
      const flag = annotations[FLAG_ANNOTATION];
      request = flag && /^[A-Za-z0-9._-]+$/.test(flag)
        ? {
            url: `${hook.url.replace(/\/+$/, '')}/${encodeURIComponent(flag)}`,
            method: 'PATCH',
            body: JSON.stringify({
              instructions: [{ kind: 'turnFlagOff', environmentKey: hook.environmentKey ?? 'production' }],
              comment: `Turned off by Aviary: ${incident.namespace}/${incident.name} revision ${incident.revision} ${incident.cause === 'aborted' ? 'was aborted' : 'failed its analysis'}`,
            }),
          }
        : { error: `the ${FLAG_ANNOTATION} annotation is missing or not a flag key` };
      headers['Content-Type'] = 'application/json; domain-model=launchdarkly.semanticpatch';
    } else {
      request = { url: hook.url, method: 'POST', body: JSON.stringify({ event: 'aborted', cluster: incident.cluster, namespace: incident.namespace, kind: incident.kind, name: incident.name, revision: incident.revision, cause: incident.cause, summary: incident.summary }) };
      headers['Content-Type'] = 'application/json';
    }
    if ('error' in request) outcome = { hook: hookName, state: 'failed', message: request.error, at: at() };
    else {
      let message = '';
      let ok = false;
      for (let attempt = 1; attempt <= 3 && !ok; attempt++) {
        try {
          const response = await doFetch(request.url, { method: request.method, headers, body: request.body, signal: AbortSignal.timeout(10_000) });
          await response.body?.cancel();
          ok = response.ok;
          message = `${request.method} ${new URL(request.url).host} answered ${response.status}`;
          if (!ok && response.status < 500 && response.status !== 429) break;
        } catch (error) {
          message = `${request.method} ${new URL(request.url).host}: ${error instanceof Error ? error.message : String(error)}`;
        }
        if (!ok && attempt < 3) await new Promise((r) => setTimeout(r, 500 * attempt));
      }
      outcome = { hook: hookName, state: ok ? 'done' : 'failed', message: hook.kind === 'launchdarkly-flag-off' && ok ? `feature flag ${annotations[FLAG_ANNOTATION]} turned off (${message})` : message, at: at() };
    }
  }
  log(JSON.stringify({ level: outcome.state === 'done' ? 'info' : 'error', msg: 'aviary.oncall.runbook', dedupKey: incident.dedupKey, ...outcome }));
  // The outcome next to the workload's history (kubectl describe shows it with the controller's events).
  await kubeRequest(kc, null, {
    method: 'POST',
    path: `/api/v1/namespaces/${encodeURIComponent(incident.namespace)}/events`,
    body: {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { generateName: `${incident.name}.aviary-runbook-`, namespace: incident.namespace, labels: { 'app.kubernetes.io/managed-by': 'aviary' } },
      involvedObject: { apiVersion: incident.kind === 'Rollout' ? 'argoproj.io/v1alpha1' : 'apps/v1', kind: incident.kind, namespace: incident.namespace, name: incident.name, ...(object.metadata.uid ? { uid: object.metadata.uid } : {}) },
      reason: outcome.state === 'done' ? 'AviaryRunbookHook' : 'AviaryRunbookHookFailed',
      message: `runbook hook ${outcome.hook}: ${outcome.state} — ${outcome.message}`.slice(0, 1024),
      type: outcome.state === 'done' ? 'Normal' : 'Warning',
      source: { component: 'aviary' },
      reportingComponent: 'aviary.dev/aviary',
      reportingInstance: hostname().slice(0, 128),
      firstTimestamp: outcome.at,
      lastTimestamp: outcome.at,
      count: 1,
    },
  }).catch((error: unknown) => log(JSON.stringify({ level: 'error', msg: 'aviary.oncall.runbook-event-failed', error: error instanceof Error ? error.message : String(error) })));
  return outcome;
}
