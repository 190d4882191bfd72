import { newRequestId, HttpError } from '@/lib/server/http/errors';
import { fromError } from '@/lib/server/http/respond';
import { kioskTokenOf } from '@/lib/server/kiosk/links';
import { kioskLinks } from '@/lib/server/kiosk/runtime';
import { sharedWalls, wallResponse } from '@/lib/server/kiosk/wall';
import { runtime } from '@/lib/server/runtime';

export const dynamic = 'force-dynamic';

/**
 * GET /api/kiosk/wall with `Authorization: Kiosk <token>`: the wall of the link's scope, and only
 * that. The one route a kiosk token opens; no session is looked at, and nothing here can write.
 */
export async function GET(request: Request): Promise<Response> {
  const requestId = newRequestId();
  try {
    const token = kioskTokenOf(request);
    if (!token) throw new HttpError(401, 'unauthenticated', 'A kiosk link is needed to show this wall');
    const link = await kioskLinks().verify(token);
    // Every link of the same scope shares one build; only the title and expiry are the link's own.
    return wallResponse(await sharedWalls(runtime()).text(link.scope, null, { title: link.title, expiresAt: link.expiresAt }), requestId);
  } catch (error) {
    return fromError(error, requestId, 'GET /api/kiosk/wall');
  }
}
