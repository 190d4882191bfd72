import 'server-only';
import type { KubeConfig } from '@kubernetes/client-node';
import { z } from 'zod';
import type { RunbookOutcome, RunbookRequest } from '@/lib/contracts/incidents';
import type { Incident } from '@/lib/rollouts/incidents';
import { kubeRequest } from '@/lib/server/kube/impersonation';
import type { OnCallConfig } from './config';

/**
 * Runbook hooks: a Rollout opts in with the annotation `aviary.dev/runbook-hook: <name>` (and, for
 * a feature flag, `aviary.dev/feature-flag: <flag key>`); when its release is aborted (by a person
 * or by a failed analysis) the on-call sender calls the hook of that name from AVIARY_RUNBOOK_HOOKS
 * exactly once per incident. The endpoint and its credentials come from configuration only: the
 * annotation names a hook, it never carries a URL. The sender writes the outcome to the Incident,
 * then once as an AuditRecord (and an Event) so the rollout page's history shows it next to people's
 * actions, attributed to Aviary (see engine.ts).
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
  /** Backoff between the (three) attempts: this times the attempt number; default 500 ms. */
  retryDelayMs?: number;
}

export interface RunbookRun {
  outcome: RunbookOutcome;
  /** The workload's uid (for the Event's involvedObject). */
  uid: string | null;
}

/**
 * Runs the workload's hook if it has one; null when it opted into none. The outcome says what was
 * sent (method, host, flag — never the credentials or the URL's path) and how it went; the caller
 * records it on the Incident and as an AuditRecord (lib/server/audit).
 */
export async function runRunbookHook(kc: KubeConfig, config: OnCallConfig, incident: Incident, deps: RunbookDeps = {}): Promise<RunbookRun | null> {
  const doFetch = deps.fetch ?? fetch;
  const env = deps.env ?? process.env;
  const now = deps.now ?? (() => new Date());
  const log = deps.log ?? console.log;
  const retryDelayMs = deps.retryDelayMs ?? 500;
  const object = Annotated.parse(await kubeRequest(kc, null, { method: 'GET', path: PATH[incident.kind](encodeURIComponent(incident.namespace), encodeURIComponent(incident.name)) }));
  const annotations = object.metadata.annotations ?? {};
  const hookName = annotations[HOOK_ANNOTATION];
  if (!hookName) return null;
  const hook = config.runbookHooks[hookName];
  const at = () => now().toISOString();
  let outcome: RunbookOutcome;
  if (!hook) {
    outcome = { hook: hookName, state: 'not-configured', message: `no runbook hook named "${hookName}" in AVIARY_RUNBOOK_HOOKS`, at: at(), kind: null, request: null, status: null, attempts: 0, auditRecord: null };
  } else {
    const headers: Record<string, string> = {};
    if (hook.authorizationEnv && env[hook.authorizationEnv]) headers.Authorization = env[hook.authorizationEnv] ?? '';
    const host = new URL(hook.url).host;
    let request: { url: string; method: string; body: string; shown: RunbookRequest } | { error: string };
    if (hook.kind === 'launchdarkly-flag-off') {
      const flag = annotations[FLAG_ANNOTATION];
      const environmentKey = hook.environmentKey ?? 'production';
      request = flag && /^[A-Za-z0-9._-]+$/.test(flag)
        ? {
            url: `${hook.url.replace(/\/+$/, '')}/${encodeURIComponent(flag)}`,
            method: 'PATCH',
            body: JSON.stringify({
              instructions: [{ kind: 'turnFlagOff', environmentKey }],
              comment: `Turned off by Aviary: ${incident.namespace}/${incident.name} revision ${incident.revision} ${incident.cause === 'aborted' ? 'was aborted' : 'failed its analysis'}`,
            }),
            shown: { method: 'PATCH', host, flag, instruction: 'turnFlagOff', environmentKey },
          }
        : { error: `the ${FLAG_ANNOTATION} annotation is missing or not a flag key` };
      headers['Content-Type'] = 'application/json; domain-model=launchdarkly.semanticpatch';
    } else {
      request = {
        url: hook.url,
        method: 'POST',
        body: JSON.stringify({ event: 'aborted', cluster: incident.cluster, namespace: incident.namespace, kind: incident.kind, name: incident.name, revision: incident.revision, cause: incident.cause, summary: incident.summary }),
        shown: { method: 'POST', host, flag: null, instruction: null, environmentKey: null },
      };
      headers['Content-Type'] = 'application/json';
    }
    if ('error' in request) outcome = { hook: hookName, state: 'failed', message: request.error, at: at(), kind: hook.kind, request: null, status: null, attempts: 0, auditRecord: null };
    else {
      let message = '';
      let ok = false;
      let status: number | null = null;
      let attempts = 0;
      for (let attempt = 1; attempt <= 3 && !ok; attempt++) {
        attempts = attempt;
        try {
          const response = await doFetch(request.url, { method: request.method, headers, body: request.body, signal: AbortSignal.timeout(10_000) });
          await response.body?.cancel();
          ok = response.ok;
          status = response.status;
          message = `${request.method} ${host} answered ${response.status}`;
          if (!ok && response.status < 500 && response.status !== 429) break;
        } catch (error) {
          status = null;
          message = `${request.method} ${host}: ${error instanceof Error ? error.message : String(error)}`;
        }
        if (!ok && attempt < 3) await new Promise((r) => setTimeout(r, retryDelayMs * attempt));
      }
      const flag = request.shown.flag;
      outcome = {
        hook: hookName,
        state: ok ? 'done' : 'failed',
        message: flag && ok ? `feature flag ${flag} turned off (${message})` : `${message}${attempts > 1 ? ` after ${attempts} attempts` : ''}`,
        at: at(),
        kind: hook.kind,
        request: request.shown,
        status,
        attempts,
        auditRecord: null,
      };
    }
  }
  log(JSON.stringify({ level: outcome.state === 'done' ? 'info' : 'error', msg: 'aviary.oncall.runbook', dedupKey: incident.dedupKey, ...outcome }));
  return { outcome, uid: object.metadata.uid ?? null };
}
