import { queryOptions } from '@tanstack/react-query';
import { ActionAccepted, Me, Permissions, type ActionRequest } from '@/lib/contracts/actions';
import { apiFetch } from './session';

export const actionKeys = {
  me: ['me'] as const,
  permissions: (cluster: string, kind: string, namespace: string, name: string) => ['permissions', cluster, kind, namespace, name] as const,
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | null,
  ) {
    super(message);
  }
}

async function errorOf(res: Response, what: string): Promise<ApiError> {
  const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string; requestId?: string } } | null;
  return new ApiError(res.status, body?.error?.code ?? `http-${res.status}`, body?.error?.message ?? `${what}: HTTP ${res.status}`, body?.error?.requestId ?? null);
}

/** Who is signed in, and the CSRF token every action carries. */
export const meQuery = () =>
  queryOptions({
    queryKey: actionKeys.me,
    queryFn: async () => {
      const res = await apiFetch('/api/me', { cache: 'no-store' });
      if (!res.ok) throw await errorOf(res, 'GET /api/me');
      return Me.parse(await res.json());
    },
    staleTime: 60_000,
    retry: false,
  });

/** What the cluster's RBAC lets this user do to one workload (the server caches its access reviews briefly). */
export const permissionsQuery = (cluster: string, kind: string, namespace: string, name: string) =>
  queryOptions({
    queryKey: actionKeys.permissions(cluster, kind, namespace, name),
    queryFn: async () => {
      const params = new URLSearchParams({ cluster, kind, namespace, name });
      const res = await apiFetch(`/api/permissions?${params.toString()}`, { cache: 'no-store' });
      if (!res.ok) throw await errorOf(res, 'GET /api/permissions');
      return Permissions.parse(await res.json());
    },
    staleTime: 30_000,
    retry: false,
  });

export type ActionOutcome =
  | { kind: 'accepted'; description: string }
  | { kind: 'refused-rbac' | 'conflict' | 'invalid' | 'signed-out' | 'failed'; message: string; requestId: string | null };

/** POST /api/actions. The new state arrives through the stream; the answer only says whether it was taken. */
export async function postAction(request: ActionRequest, csrfToken: string): Promise<ActionOutcome> {
  let res: Response;
  try {
    res = await apiFetch('/api/actions', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Aviary-CSRF': csrfToken },
      body: JSON.stringify(request),
      cache: 'no-store',
    });
  } catch {
    return { kind: 'failed', message: 'Aviary cannot be reached', requestId: null };
  }
  if (res.status === 202) {
    const body = ActionAccepted.safeParse(await res.json().catch(() => null));
    return { kind: 'accepted', description: body.success ? body.data.description : 'accepted' };
  }
  const error = await errorOf(res, 'POST /api/actions');
  const kind = res.status === 403 ? 'refused-rbac' : res.status === 409 ? 'conflict' : res.status === 400 ? 'invalid' : res.status === 401 ? 'signed-out' : 'failed';
  return { kind, message: error.message, requestId: error.requestId };
}

/** The outcome in words, as the dialog and the page say it. */
export function outcomeText(outcome: ActionOutcome): string {
  switch (outcome.kind) {
    case 'accepted':
      return `Accepted — watching for the change: ${outcome.description}`;
    case 'refused-rbac':
      return `Refused by the cluster's RBAC: ${outcome.message}`;
    case 'conflict':
      return `Conflict — the rollout changed since you looked; look again and retry if it still makes sense (${outcome.message})`;
    case 'invalid':
      return `Invalid: ${outcome.message}`;
    case 'signed-out':
      return 'Your session has ended — sign in again, then retry';
    case 'failed':
      return `Failed: ${outcome.message}`;
  }
}
