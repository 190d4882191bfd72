import { queryOptions } from '@tanstack/react-query';
import { KioskCreated, KioskLink, WallData, type KioskCreate } from '@/lib/contracts/kiosk';
import { z } from 'zod';

/** How often the wall asks for its data; the stale banner shows after a few missed answers. */
export const WALL_POLL_MS = 2000;

export class WallError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function wallFetch(url: string, init: RequestInit): Promise<WallData> {
  const res = await fetch(url, { ...init, cache: 'no-store' });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    throw new WallError(res.status, body?.error?.code ?? `http-${res.status}`, body?.error?.message ?? `HTTP ${res.status}`);
  }
  return WallData.parse(await res.json());
}

/** The wall's data: a kiosk token's (Authorization: Kiosk) or the signed-in person's, for the URL's scope. */
export const wallQuery = (source: { token: string } | { search: string }) =>
  queryOptions({
    queryKey: ['wall', 'token' in source ? 'kiosk' : source.search] as const,
    queryFn: () =>
      'token' in source ? wallFetch('/api/kiosk/wall', { headers: { Authorization: `Kiosk ${source.token}` } }) : wallFetch(`/api/wall${source.search}`, {}),
    refetchInterval: WALL_POLL_MS,
    refetchIntervalInBackground: true,
    retry: false,
    staleTime: 0,
    gcTime: 10_000,
  });

export const kioskLinksQuery = () =>
  queryOptions({
    queryKey: ['kiosk', 'links'] as const,
    queryFn: async () => {
      const res = await fetch('/api/kiosk', { cache: 'no-store' });
      if (!res.ok) throw new Error(`GET /api/kiosk: ${res.status}`);
      return z.object({ links: z.array(KioskLink) }).parse(await res.json()).links;
    },
  });

async function post<T>(url: string, body: unknown, csrfToken: string, schema: z.ZodType<T>): Promise<T> {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Aviary-CSRF': csrfToken }, body: JSON.stringify(body), cache: 'no-store' });
  const json = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
  if (!res.ok) throw new Error(json?.error?.message ?? `HTTP ${res.status}`);
  return schema.parse(json);
}

export const createKioskLink = (body: KioskCreate, csrfToken: string) => post('/api/kiosk', body, csrfToken, KioskCreated);
export const revokeKioskLink = (id: string, csrfToken: string) => post('/api/kiosk/revoke', { id }, csrfToken, z.object({ link: KioskLink }));
