import 'server-only';
import { logError, publicKubeError, publicUpstreamMessage } from './errors';

/*
 * Prometheus failures that a 200 answer carries inside its body (a chart panel in its error state,
 * the sparklines' error): the Prometheus client's messages name its address and the socket error,
 * so the browser gets a fixed sentence per kind and the server log keeps the original.
 */

type PanelError = { kind: string; message: string } | null;

function publicMessage(kind: string, requestId: string): string {
  // "Not configured" is the server's own state, not a failure worth a log line to look up.
  return kind === 'not-configured' ? publicUpstreamMessage(kind) : `${publicUpstreamMessage(kind)} (request ${requestId})`;
}

/** Keeps each panel's error kind (the UI keys on it) and replaces its message; logs the originals once per request. */
export function redactPanelErrors<P extends { id: string; error: PanelError }, B extends { panels: P[] }>(body: B, requestId: string, where: string): B {
  const failures = body.panels.filter((p) => p.error && p.error.kind !== 'not-configured').map((p) => `${p.id}: ${p.error?.message}`);
  if (failures.length > 0) logError(requestId, where, failures.join('; '));
  const panels = body.panels.map((panel) => (panel.error ? { ...panel, error: { kind: panel.error.kind, message: publicMessage(panel.error.kind, requestId) } } : panel));
  return { ...body, panels };
}

/** The sparklines carry a bare message; its kind is recognised from the sentence the Prometheus client wrote. */
export function redactSparklineError<B extends { error: string | null }>(body: B, requestId: string, where: string): B {
  if (!body.error) return body;
  const kind = /not configured/i.test(body.error) ? 'not-configured' : /unreachable/i.test(body.error) ? 'unreachable' : /did not answer/i.test(body.error) ? 'timeout' : 'server';
  if (kind !== 'not-configured') logError(requestId, where, body.error);
  return { ...body, error: publicMessage(kind, requestId) };
}

interface ErrorStatus {
  lastError: string | null;
  lastErrorStatus?: number | null;
}

/** Reflector statuses with their errors reduced to public sentences (see publicKubeError). */
export function redactKindStatuses<S extends ErrorStatus>(kinds: Record<string, S[]>): Record<string, S[]> {
  return Object.fromEntries(
    Object.entries(kinds).map(([kind, list]) => [kind, list.map((s) => ({ ...s, lastError: publicKubeError(s.lastErrorStatus ?? null, s.lastError, kind) }))]),
  );
}
