import 'server-only';
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { z } from 'zod';
import { PAGERDUTY_EVENTS_URL } from '@/lib/server/notify/pagerduty';

/**
 * On-call configuration, from the environment only (endpoint URLs never come from a request):
 *   AVIARY_PAGERDUTY_EVENTS_URL    Events API v2 endpoint; default PagerDuty's.
 *   AVIARY_PAGERDUTY_ROUTING_KEY   integration key for every namespace without a route; none: no pages.
 *   AVIARY_SLACK_WEBHOOK_URL       Slack-compatible incoming webhook for incidents; none: no messages.
 *   AVIARY_ONCALL_ROUTES           JSON, per namespace: {"payments":{"routingKey":"…","slackWebhookUrl":"…"}}
 *                                  (either field may be null to send nothing for that namespace).
 *   AVIARY_ONCALL_LEASE_NAMESPACE  where the sender Lease lives; default aviary.
 *   AVIARY_ONCALL_LEASE_NAME       default aviary-oncall.
 *   AVIARY_ONCALL_LEASE_SECONDS    how long a silent sender keeps the Lease; default 15 (renewed every third of it).
 *   AVIARY_ONCALL_IDENTITY         this replica's name in the Lease; default hostname-pid.
 *   AVIARY_ONCALL_RETRY_BASE_MS    first retry backoff; default 500 (5 attempts per round, full jitter).
 *   AVIARY_ONCALL_DISABLED         "true": this process never sends (it still shows incidents).
 *   AVIARY_INCIDENT_RETENTION      how long a resolved Incident is kept before the sender deletes it:
 *                                  a duration such as 7d (the default), 36h, 1h30m, 45s; at least 1s.
 *                                  Open incidents are never deleted.
 *   AVIARY_RUNBOOK_HOOKS           JSON, named hooks a Rollout opts into with the annotation
 *                                  aviary.dev/runbook-hook: <name> (see lib/server/oncall/runbook.ts).
 */
const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 } as const;

/** "7d", "36h", "1h30m", "45s" → milliseconds. */
export const Duration = z
  .string()
  .regex(/^(\d+[dhms])+$/, 'a duration such as 7d, 36h, 1h30m or 45s')
  .transform((text) => [...text.matchAll(/(\d+)([dhms])/g)].reduce((ms, [, n, unit]) => ms + Number(n) * UNIT_MS[unit as keyof typeof UNIT_MS], 0))
  .pipe(z.number().int().min(1000, 'at least 1s').max(3650 * 86_400_000, 'at most 3650d'));

const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const Route = z.object({ routingKey: z.string().min(1).nullable().optional(), slackWebhookUrl: z.url({ protocol: /^https?$/ }).nullable().optional() });

export const RunbookHook = z.object({
  /** launchdarkly-flag-off: PATCH <url>/<flag> with a semantic patch turning the flag off in `environmentKey`. webhook: POST the abort as JSON. */
  kind: z.enum(['launchdarkly-flag-off', 'webhook']),
  url: z.url({ protocol: /^https?$/ }),
  environmentKey: z.string().min(1).optional(),
  /** Name of an environment variable holding the Authorization header value (never the secret itself). */
  authorizationEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/).optional(),
});
export type RunbookHook = z.infer<typeof RunbookHook>;

const OnCallConfig = z.object({
  pagerDutyUrl: z.url({ protocol: /^https?$/ }),
  routingKey: z.string().min(1).nullable(),
  slackWebhookUrl: z.url({ protocol: /^https?$/ }).nullable(),
  routes: z.record(z.string().max(63).regex(NAMESPACE, 'a namespace name'), Route),
  leaseNamespace: z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/),
  leaseName: z.string().regex(/^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/),
  leaseSeconds: z.number().int().min(2).max(300),
  identity: z.string().min(1).max(128),
  retryBaseMs: z.number().int().min(1).max(60_000),
  disabled: z.boolean(),
  publicUrl: z.url({ protocol: /^https?$/ }).nullable(),
  runbookHooks: z.record(z.string().regex(/^[a-z0-9-]+$/), RunbookHook),
  /** How long a resolved Incident is kept (ms). */
  incidentRetentionMs: Duration,
});
export type OnCallConfig = z.infer<typeof OnCallConfig>;

/** Which variable each field comes from, so an error names what to fix. */
const ENV_NAMES: Record<string, string> = {
  pagerDutyUrl: 'AVIARY_PAGERDUTY_EVENTS_URL',
  routingKey: 'AVIARY_PAGERDUTY_ROUTING_KEY',
  slackWebhookUrl: 'AVIARY_SLACK_WEBHOOK_URL',
  routes: 'AVIARY_ONCALL_ROUTES',
  leaseNamespace: 'AVIARY_ONCALL_LEASE_NAMESPACE',
  leaseName: 'AVIARY_ONCALL_LEASE_NAME',
  leaseSeconds: 'AVIARY_ONCALL_LEASE_SECONDS',
  identity: 'AVIARY_ONCALL_IDENTITY',
  retryBaseMs: 'AVIARY_ONCALL_RETRY_BASE_MS',
  publicUrl: 'AVIARY_PUBLIC_URL',
  runbookHooks: 'AVIARY_RUNBOOK_HOOKS',
  incidentRetentionMs: 'AVIARY_INCIDENT_RETENTION',
};

function json(name: string, value: string | undefined): unknown {
  if (!value) return {};
  try {
    return JSON.parse(value);
  } catch {
    throw new Error(`invalid Aviary configuration: ${name} is not JSON`);
  }
}

export function parseOnCallConfig(env: Record<string, string | undefined>): OnCallConfig {
  const result = OnCallConfig.safeParse({
    pagerDutyUrl: env.AVIARY_PAGERDUTY_EVENTS_URL || PAGERDUTY_EVENTS_URL,
    routingKey: env.AVIARY_PAGERDUTY_ROUTING_KEY || null,
    slackWebhookUrl: env.AVIARY_SLACK_WEBHOOK_URL || null,
    routes: json('AVIARY_ONCALL_ROUTES', env.AVIARY_ONCALL_ROUTES),
    leaseNamespace: env.AVIARY_ONCALL_LEASE_NAMESPACE || 'aviary',
    leaseName: env.AVIARY_ONCALL_LEASE_NAME || 'aviary-oncall',
    leaseSeconds: env.AVIARY_ONCALL_LEASE_SECONDS ? Number(env.AVIARY_ONCALL_LEASE_SECONDS) : 15,
    identity: env.AVIARY_ONCALL_IDENTITY || `${hostname()}-${process.pid}`.slice(0, 128),
    retryBaseMs: env.AVIARY_ONCALL_RETRY_BASE_MS ? Number(env.AVIARY_ONCALL_RETRY_BASE_MS) : 500,
    disabled: env.AVIARY_ONCALL_DISABLED === 'true',
    publicUrl: env.AVIARY_PUBLIC_URL || null,
    runbookHooks: json('AVIARY_RUNBOOK_HOOKS', env.AVIARY_RUNBOOK_HOOKS),
    incidentRetentionMs: env.AVIARY_INCIDENT_RETENTION || '7d',
  });
  if (!result.success) {
    throw new Error(`invalid Aviary configuration: ${result.error.issues.map((i) => `${ENV_NAMES[String(i.path[0])] ?? (i.path.join('.') || 'on-call')}${i.path.length > 1 ? ` (${i.path.slice(1).join('.')})` : ''}: ${i.message}`).join('; ')}`);
  }
  return result.data;
}

/** Where a namespace's incidents go: its route, else the defaults. */
export function routeFor(config: OnCallConfig, namespace: string): { routingKey: string | null; slackWebhookUrl: string | null } {
  const route = config.routes[namespace];
  return {
    routingKey: route && route.routingKey !== undefined ? route.routingKey : config.routingKey,
    slackWebhookUrl: route && route.slackWebhookUrl !== undefined ? route.slackWebhookUrl : config.slackWebhookUrl,
  };
}

/** A routing key's fingerprint, recorded on the Incident instead of the key (an integration key is a credential). */
export function routingKeyId(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 12);
}

/**
 * The routing key a PagerDuty resolve must carry: the one its trigger was sent with (PagerDuty finds
 * the incident by routing key and dedup key together), wherever it is still configured — the
 * namespace's route may have changed since. A trigger recorded without a fingerprint (older
 * Incidents) resolves with the namespace's key now. A key no longer configured anywhere is an error
 * to show, never a resolve sent to another service.
 */
export function resolveRoutingKey(config: OnCallConfig, namespace: string, triggerKeyId: string | null | undefined): { key: string } | { error: string } {
  const current = routeFor(config, namespace).routingKey;
  if (!triggerKeyId) return current ? { key: current } : { error: 'no PagerDuty routing key configured for this namespace any more' };
  const candidates = [current, config.routingKey, ...Object.values(config.routes).map((r) => r.routingKey ?? null)];
  const key = candidates.find((k): k is string => typeof k === 'string' && routingKeyId(k) === triggerKeyId);
  return key ? { key } : { error: `the routing key that paged this incident (fingerprint ${triggerKeyId}) is no longer configured; resolve it in PagerDuty by hand` };
}
