import 'server-only';
import { AuthConfigError } from '@/lib/server/auth/config';
import { ConfigError } from '@/lib/server/config';

/** An error whose status, code and message were written for the browser: sent as is. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** What the browser may learn about a failure: a stable code for the UI, and a message with no internals. */
export interface PublicError {
  status: number;
  code: string;
  message: string;
}

/** One fixed sentence per Prometheus error kind: the client's own messages name its address and socket errors. */
const PROMETHEUS_MESSAGES: Record<string, string> = {
  unreachable: 'Prometheus is unreachable',
  timeout: 'Prometheus did not answer in time',
  'bad-query': 'Prometheus rejected the query',
  server: 'Prometheus answered with an error',
  'not-configured': 'Prometheus is not configured (AVIARY_PROMETHEUS_URL)',
};

export function publicUpstreamMessage(kind: string): string {
  return PROMETHEUS_MESSAGES[kind] ?? PROMETHEUS_MESSAGES.server;
}

/**
 * Prometheus error kinds (see lib/server/prometheus/client.ts) to public codes. The UI keys on the
 * code ("Prometheus unreachable" is not "no data"), so these strings are a contract.
 */
const PROMETHEUS: Record<string, PublicError> = {
  unreachable: { status: 502, code: 'prometheus-unreachable', message: PROMETHEUS_MESSAGES.unreachable },
  timeout: { status: 504, code: 'prometheus-timeout', message: PROMETHEUS_MESSAGES.timeout },
  'bad-query': { status: 502, code: 'prometheus-bad-query', message: PROMETHEUS_MESSAGES['bad-query'] },
  server: { status: 502, code: 'prometheus-error', message: PROMETHEUS_MESSAGES.server },
};

/** Prometheus's errors are matched by shape: Next may bundle the client into another chunk, so `instanceof` can miss. */
function prometheusKind(error: unknown): string | null {
  if (!(error instanceof Error)) return null;
  const kind = (error as { kind?: unknown }).kind;
  return typeof kind === 'string' && Object.hasOwn(PROMETHEUS, kind) ? kind : null;
}

/**
 * Maps any thrown value to what the browser may see. Upstream messages (Prometheus and API-server
 * URLs, `ECONNREFUSED 127.0.0.1:…`, stack traces) never pass: only messages written for the browser do.
 */
export function toPublicError(error: unknown): PublicError {
  if (error instanceof HttpError) return { status: error.status, code: error.code, message: error.message };
  if (error instanceof ConfigError || error instanceof AuthConfigError) return { status: 500, code: 'configuration', message: 'Aviary is not configured correctly; the server log says why' };
  const kind = prometheusKind(error);
  if (kind) return PROMETHEUS[kind];
  return { status: 500, code: 'internal', message: 'Internal error' };
}

/** A short id that ties what the browser shows to the server log line with the full error. */
export function newRequestId(): string {
  return crypto.randomUUID().slice(0, 8);
}

/** Logs the full error server-side, keyed by request id; the browser gets only the id. */
export function logError(requestId: string, where: string, error: unknown): void {
  console.error(`aviary: [${requestId}] ${where} failed:`, error);
}

const KUBE_STATUS: Record<number, string> = {
  401: 'the API server rejected our credentials (401)',
  404: 'the API server does not serve this kind (404)',
  410: 'the watch expired and is being re-listed (410)',
  429: 'the API server is throttling us (429)',
};

/**
 * A cluster's last error as the browser may see it: the kind of failure (and which resource, for
 * RBAC), never the API server's address, the socket error (`connect ECONNREFUSED 10.0.0.1:6443`)
 * or the API server's own sentence. The original goes to the server log.
 */
export function publicKubeError(status: number | null, message: string | null, resource?: string): string | null {
  if (!message) return null;
  if (status === 403) return `${resource ?? 'this kind'} is forbidden (403)`;
  if (status !== null) return KUBE_STATUS[status] ?? (status >= 500 ? `the API server failed (${status})` : `the API server answered ${status}`);
  if (/timeout|timed out|ETIMEDOUT|aborted|nothing received/i.test(message)) return 'the API server did not answer in time';
  return 'the API server is unreachable';
}
