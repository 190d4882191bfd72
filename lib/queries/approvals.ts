'use client';

import { queryOptions, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { ApprovalAccepted, ApprovalList, GateInfo, type ApprovalRequestBody, type DecisionBody, type RetryBody } from '@/lib/contracts/approvals';
import { ApiError } from './actions';
import { apiFetch } from './session';
import { SseParser } from './sse';

export const approvalKeys = {
  all: ['approvals'] as const,
  gate: (cluster: string, namespace: string, name: string, resourceVersion: string) => ['approval-gate', cluster, namespace, name, resourceVersion] as const,
};

async function errorOf(res: Response, what: string): Promise<ApiError> {
  const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string; requestId?: string } } | null;
  return new ApiError(res.status, body?.error?.code ?? `http-${res.status}`, body?.error?.message ?? `${what}: HTTP ${res.status}`, body?.error?.requestId ?? null);
}

/** Every approval the viewer may see; kept live by useApprovalsStream (setQueryData), fetched once otherwise. */
export const approvalsQuery = () =>
  queryOptions({
    queryKey: approvalKeys.all,
    queryFn: async () => {
      const res = await apiFetch('/api/approvals', { cache: 'no-store' });
      if (!res.ok) throw await errorOf(res, 'GET /api/approvals');
      return ApprovalList.parse(await res.json());
    },
    staleTime: Infinity,
    retry: false,
  });

/** Whether a promote of this rollout is gated now; keyed by resourceVersion, so it follows the rollout. */
export const gateQuery = (cluster: string, namespace: string, name: string, resourceVersion: string) =>
  queryOptions({
    queryKey: approvalKeys.gate(cluster, namespace, name, resourceVersion),
    queryFn: async () => {
      const res = await apiFetch(`/api/approvals/gate?${new URLSearchParams({ cluster, namespace, name }).toString()}`, { cache: 'no-store' });
      if (!res.ok) throw await errorOf(res, 'GET /api/approvals/gate');
      return GateInfo.parse(await res.json());
    },
    staleTime: 30_000,
    retry: false,
  });

/**
 * Opens /api/approvals/stream once (the header does it, on every page) and writes each list it
 * carries into the query cache. Reconnects with capped, jittered backoff; a 401 stops (the session
 * banner asks to sign in again).
 */
export function useApprovalsStream(): void {
  const client = useQueryClient();
  useEffect(() => {
    const abort = new AbortController();
    let attempt = 0;
    const run = async () => {
      while (!abort.signal.aborted) {
        try {
          const res = await apiFetch('/api/approvals/stream', { cache: 'no-store', signal: abort.signal, headers: { Accept: 'text/event-stream' } });
          if (res.status === 401) return;
          if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
          attempt = 0;
          const parser = new SseParser();
          const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            for (const message of parser.push(value)) {
              if (message.event !== 'approvals') continue;
              const parsed = ApprovalList.safeParse(JSON.parse(message.data));
              if (parsed.success) client.setQueryData(approvalKeys.all, parsed.data);
            }
          }
        } catch {
          if (abort.signal.aborted) return;
        }
        attempt += 1;
        await new Promise((r) => setTimeout(r, Math.random() * Math.min(30_000, 1000 * 2 ** attempt)));
      }
    };
    void run();
    return () => abort.abort();
  }, [client]);
}

export type ApprovalOutcome = { kind: 'accepted'; message: string } | { kind: 'refused'; status: number; message: string };

async function post(path: string, body: ApprovalRequestBody | DecisionBody | RetryBody, csrfToken: string): Promise<ApprovalOutcome> {
  let res: Response;
  try {
    res = await apiFetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Aviary-CSRF': csrfToken }, body: JSON.stringify(body), cache: 'no-store' });
  } catch {
    return { kind: 'refused', status: 0, message: 'Aviary cannot be reached' };
  }
  if (res.status === 202) {
    const parsed = ApprovalAccepted.safeParse(await res.json().catch(() => null));
    return { kind: 'accepted', message: parsed.success ? parsed.data.message : 'accepted' };
  }
  const error = await errorOf(res, `POST ${path}`);
  return { kind: 'refused', status: res.status, message: error.message };
}

export const postApprovalRequest = (body: ApprovalRequestBody, csrfToken: string) => post('/api/approvals', body, csrfToken);
export const postDecision = (body: DecisionBody, csrfToken: string) => post('/api/approvals/decision', body, csrfToken);
export const postRetry = (body: RetryBody, csrfToken: string) => post('/api/approvals/promote', body, csrfToken);
