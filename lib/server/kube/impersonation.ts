import 'server-only';
import { request, type RequestOptions } from 'node:https';
import { request as plainRequest, type OutgoingHttpHeaders } from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';
import { PATCH_CONTENT_TYPE, type JsonValue, type PatchRequest } from '@/lib/rollouts/actions';
import { KubeHttpError, readBody, REQUEST_TIMEOUT_MS, statusError } from './http';

/** The person a write is made for: the API server's RBAC decides, and its audit log names them. */
export interface Identity {
  user: string;
  groups: string[];
  /** Impersonation extras (`Impersonate-Extra-<key>`), e.g. the approval grant an approved promotion carries. */
  extra?: Record<string, string[]>;
}

/** The object changed since the user saw it (their resourceVersion is stale). */
export class ConflictError extends KubeHttpError {}
/** RBAC refused. `serverMessage` is the API server's words: for the server log, not the browser. */
export class ForbiddenError extends KubeHttpError {
  constructor(readonly serverMessage: string) {
    super(403, 'Forbidden', 'forbidden by the cluster');
  }
}
export class NotFoundError extends KubeHttpError {}
/** The API server rejected the request itself (400 / 422: a malformed patch, an invalid object). */
export class InvalidError extends KubeHttpError {}

// Header values go on the wire verbatim: a CR or LF would let a name forge further headers.
const HEADER_SAFE = /^[^\r\n\0]+$/;

/**
 * Impersonation headers with ONE `Impersonate-Group` line per group. Node's http module sends each
 * element of an array value as its own header line; fetch/undici (Headers) would join them with
 * commas, and the API server would then see a single group named "a, b".
 */
export function impersonationHeaders(identity: Identity): OutgoingHttpHeaders {
  for (const value of [identity.user, ...identity.groups]) {
    if (!HEADER_SAFE.test(value)) throw new Error(`cannot impersonate ${JSON.stringify(value)}: empty or contains a line break`);
  }
  const headers: OutgoingHttpHeaders = { 'Impersonate-User': identity.user };
  if (identity.groups.length > 0) headers['Impersonate-Group'] = [...identity.groups];
  for (const [key, values] of Object.entries(identity.extra ?? {})) {
    if (!values.every((v) => HEADER_SAFE.test(v))) throw new Error(`cannot impersonate extra ${key}: empty or contains a line break`);
    // The key is percent-encoded in the header name (the API server decodes it: "aviary.dev/approval").
    headers[`Impersonate-Extra-${encodeURIComponent(key)}`] = [...values];
  }
  return headers;
}

export interface KubeRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  contentType?: string;
  /** Sent as JSON. */
  body?: unknown;
}

/** The API server's answer as a typed error: 409 Conflict, 403 Forbidden, 404 NotFound, 400/422 Invalid. */
export function typedError(statusCode: number, body: string, what: string): KubeHttpError {
  const generic = statusError(statusCode, body, what);
  switch (statusCode) {
    case 409:
      return new ConflictError(409, generic.reason, generic.message);
    case 403:
      return new ForbiddenError(generic.message);
    case 404:
      return new NotFoundError(404, generic.reason, generic.message);
    case 400:
    case 422:
      return new InvalidError(statusCode, generic.reason, generic.message);
    default:
      return generic;
  }
}

/**
 * Sends one request as `identity`, with the kubeconfig's own credentials (client certificate,
 * token…) proving Aviary may impersonate. Bounded by `timeoutMs`; answers the parsed JSON body.
 */
export function impersonatedRequest<T>(kc: KubeConfig, identity: Identity, req: KubeRequest, timeoutMs = REQUEST_TIMEOUT_MS): Promise<T> {
  return kubeRequest<T>(kc, identity, req, timeoutMs);
}

/** The same, as Aviary itself when `identity` is null: for what only Aviary may write (the audit). */
export async function kubeRequest<T>(kc: KubeConfig, identity: Identity | null, req: KubeRequest, timeoutMs = REQUEST_TIMEOUT_MS): Promise<T> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('kubeconfig has no current cluster');
  const url = new URL(cluster.server.replace(/\/$/, '') + req.path);
  const options: RequestOptions = { method: req.method, headers: { Accept: 'application/json' } };
  await kc.applyToHTTPSOptions(options);
  const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
  // Impersonation last, so nothing in the kubeconfig can replace it.
  options.headers = {
    ...options.headers,
    ...(identity ? impersonationHeaders(identity) : {}),
    ...(payload === undefined ? {} : { 'Content-Type': req.contentType ?? 'application/json', 'Content-Length': Buffer.byteLength(payload) }),
  };
  const what = `${req.method} ${url.pathname}`;
  const send = url.protocol === 'http:' ? plainRequest : request;
  const signal = AbortSignal.timeout(timeoutMs);
  const { statusCode, body } = await new Promise<{ statusCode: number; body: string }>((resolve, reject) => {
    const outgoing = send(url, { ...options, signal }, (res) => {
      readBody(res).then((text) => resolve({ statusCode: res.statusCode ?? 0, body: text }), reject);
    });
    outgoing.on('error', (error) => reject(signal.aborted ? new Error(`${what}: no complete answer within ${timeoutMs / 1000} s`) : error));
    outgoing.end(payload);
  });
  if (statusCode >= 300) throw typedError(statusCode, body, what);
  return JSON.parse(body) as T;
}

/**
 * The patch with its resourceVersion precondition inside: `metadata.resourceVersion` in a merge
 * or strategic merge patch, a replace of it in a JSON patch. Either way the API server compares
 * it with the stored object's and answers 409 Conflict when they differ.
 */
export function patchBody(patch: PatchRequest): JsonValue | readonly unknown[] {
  const rv = patch.resourceVersion;
  if (rv === null) return patch.body as JsonValue | readonly unknown[];
  if (Array.isArray(patch.body)) return [...patch.body, { op: 'replace', path: '/metadata/resourceVersion', value: rv }];
  const body = patch.body as { [key: string]: JsonValue };
  const metadata = typeof body.metadata === 'object' && body.metadata !== null && !Array.isArray(body.metadata) ? body.metadata : {};
  return { ...body, metadata: { ...metadata, resourceVersion: rv } };
}

export interface PatchedObject {
  metadata: { name: string; namespace?: string; resourceVersion?: string; uid?: string };
}

/** Sends one patch as `identity`, its content type set explicitly (client libraries guess otherwise). */
export function sendPatch(kc: KubeConfig, identity: Identity, patch: PatchRequest): Promise<PatchedObject> {
  return impersonatedRequest<PatchedObject>(kc, identity, {
    method: 'PATCH',
    path: patch.path,
    contentType: PATCH_CONTENT_TYPE[patch.patchType],
    body: patchBody(patch),
  });
}

/**
 * Sends an action's requests in order, stopping at the first failure (as upstream's CLI does).
 * Answers the object as the last request left it.
 */
export async function sendPatches(kc: KubeConfig, identity: Identity, patches: PatchRequest[]): Promise<PatchedObject | null> {
  let last: PatchedObject | null = null;
  for (const patch of patches) last = await sendPatch(kc, identity, patch);
  return last;
}
