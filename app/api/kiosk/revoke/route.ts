import { KioskRevoke } from '@/lib/contracts/kiosk';
import { authConfig } from '@/lib/server/auth/config';
import { checkCsrfToken, checkJson, checkOrigin, csrfKey } from '@/lib/server/http/csrf';
import { HttpError } from '@/lib/server/http/errors';
import { route } from '@/lib/server/http/handler';
import { kioskLinks } from '@/lib/server/kiosk/runtime';

export const dynamic = 'force-dynamic';

/** POST /api/kiosk/revoke {id}: the creator ends a kiosk link at once, on every replica (within a few seconds). */
export const POST = route({}, async ({ request, viewer }) => {
  const session = authConfig().session;
  checkOrigin(request, session?.publicUrl ?? null);
  checkJson(request);
  if (viewer.kind !== 'person') throw new HttpError(403, 'read-only', 'Sign in to revoke a kiosk link');
  checkCsrfToken(request, viewer.identity, csrfKey(session?.secret ?? null));
  const parsed = KioskRevoke.safeParse(await request.json().catch(() => undefined));
  if (!parsed.success) throw new HttpError(400, 'bad-request', 'invalid kiosk link id');
  return { link: await kioskLinks().revoke(parsed.data.id, viewer.identity.user) };
});
