import 'server-only';
import { request, type RequestOptions } from 'node:https';
import { request as plainRequest, type IncomingMessage } from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';

export class KubeHttpError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** Requests this process has sent to API servers, by kind of request: proof that viewers cost none. */
export const kubeRequestCounts = { list: 0, watch: 0, other: 0 };

/** A bound on a LIST (whole body) and on a watch's response headers: an API server that accepts the
 * connection and then says nothing must not hold a reflector forever. */
export const REQUEST_TIMEOUT_MS = 30_000;

export interface KubeGetOptions {
  signal?: AbortSignal;
  /** Fail when the response headers have not arrived by then. */
  headersTimeoutMs?: number;
}

/**
 * Opens a GET against the cluster with the kubeconfig's credentials (certificates, tokens, exec
 * plugins: client-node applies them), returning the raw response for the caller to read or stream.
 */
export async function kubeGet(kc: KubeConfig, path: string, signalOrOptions?: AbortSignal | KubeGetOptions): Promise<IncomingMessage> {
  const { signal, headersTimeoutMs }: KubeGetOptions =
    signalOrOptions instanceof AbortSignal ? { signal: signalOrOptions } : (signalOrOptions ?? {});
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('kubeconfig has no current cluster');
  const url = new URL(cluster.server.replace(/\/$/, '') + path);
  if (url.searchParams.get('watch')) kubeRequestCounts.watch += 1;
  else if (url.searchParams.has('limit')) kubeRequestCounts.list += 1;
  else kubeRequestCounts.other += 1;
  const options: RequestOptions = { method: 'GET', headers: { Accept: 'application/json' } };
  await kc.applyToHTTPSOptions(options);
  const send = url.protocol === 'http:' ? plainRequest : request;
  return new Promise((resolve, reject) => {
    const req = send(url, { ...options, signal }, (res) => {
      clearTimeout(timer);
      resolve(res);
    });
    const timer =
      headersTimeoutMs === undefined
        ? undefined
        : setTimeout(() => req.destroy(new Error(`GET ${url.pathname}: no response within ${headersTimeoutMs / 1000} s`)), headersTimeoutMs);
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end();
  });
}

export async function readBody(res: IncomingMessage): Promise<string> {
  res.setEncoding('utf8');
  let body = '';
  for await (const chunk of res) body += chunk as string;
  return body;
}

/** The API server's error as a KubeHttpError, with its Status reason and message when it sent one. */
export function statusError(statusCode: number, body: string, what: string): KubeHttpError {
  let reason = 'Unknown';
  let message = body.slice(0, 300);
  try {
    const status = JSON.parse(body) as { reason?: string; message?: string };
    reason = status.reason ?? reason;
    message = status.message ?? message;
  } catch {
    /* not a Status object */
  }
  return new KubeHttpError(statusCode, reason, `${what}: ${statusCode} ${message}`);
}

/** GET and parse JSON, the whole exchange bounded by `timeoutMs`. */
export async function kubeGetJson<T>(kc: KubeConfig, path: string, signal?: AbortSignal, timeoutMs = REQUEST_TIMEOUT_MS): Promise<T> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const bounded = signal ? AbortSignal.any([signal, timeout]) : timeout;
  try {
    const res = await kubeGet(kc, path, bounded);
    const body = await readBody(res);
    if ((res.statusCode ?? 0) >= 300) throw statusError(res.statusCode ?? 0, body, `GET ${path}`);
    return JSON.parse(body) as T;
  } catch (error) {
    if (timeout.aborted && !signal?.aborted) throw new Error(`GET ${path}: no complete answer within ${timeoutMs / 1000} s`);
    throw error;
  }
}
