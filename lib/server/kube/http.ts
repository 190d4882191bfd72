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

/**
 * Opens a GET against the cluster with the kubeconfig's credentials (certificates, tokens, exec
 * plugins: client-node applies them), returning the raw response for the caller to read or stream.
 */
export async function kubeGet(kc: KubeConfig, path: string, signal?: AbortSignal): Promise<IncomingMessage> {
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
    const req = send(url, { ...options, signal }, (res) => resolve(res));
    req.on('error', reject);
    req.end();
  });
}

export async function readBody(res: IncomingMessage): Promise<string> {
  res.setEncoding('utf8');
  let body = '';
  for await (const chunk of res) body += chunk as string;
  return body;
}

export async function kubeGetJson<T>(kc: KubeConfig, path: string, signal?: AbortSignal): Promise<T> {
  const res = await kubeGet(kc, path, signal);
  const body = await readBody(res);
  if ((res.statusCode ?? 0) >= 300) {
    let reason = 'Unknown';
    let message = body.slice(0, 300);
    try {
      const status = JSON.parse(body) as { reason?: string; message?: string };
      reason = status.reason ?? reason;
      message = status.message ?? message;
    } catch {
      /* not a Status object */
    }
    throw new KubeHttpError(res.statusCode ?? 0, reason, `GET ${path}: ${res.statusCode} ${message}`);
  }
  return JSON.parse(body) as T;
}
