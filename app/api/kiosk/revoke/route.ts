import { KioskRevoke } from '@/lib/contracts/kiosk';
import { writeRoute } from '@/lib/server/http/handler';
import { kioskLinks } from '@/lib/server/kiosk/runtime';

export const dynamic = 'force-dynamic';

/** POST /api/kiosk/revoke {id}: the creator ends a kiosk link at once, on every replica (within a few seconds). */
export const POST = writeRoute({ body: KioskRevoke, what: 'kiosk link id', signIn: 'Sign in to revoke a kiosk link' }, async ({ viewer, body }) => ({
  link: await kioskLinks().revoke(body.id, viewer.identity.user),
}));
