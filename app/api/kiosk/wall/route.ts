import { newRequestId, HttpError } from '@/lib/server/http/errors';
import { fromError, json } from '@/lib/server/http/respond';
import { kioskTokenOf } from '@/lib/server/kiosk/links';
import { kioskLinks } from '@/lib/server/kiosk/runtime';
import { wallData } from '@/lib/server/kiosk/wall';
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
    const body = await wallData(runtime(), link.scope, () => true, { title: link.title, expiresAt: link.expiresAt });
    const response = json(body);
    response.headers.set('X-Request-Id', requestId);
    return response;
  } catch (error) {
    return fromError(error, requestId, 'GET /api/kiosk/wall');
  }
}
