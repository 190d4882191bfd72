import { KioskCreate, type KioskCreated, type KioskLink } from '@/lib/contracts/kiosk';
import { authConfig } from '@/lib/server/auth/config';
import { mayRead } from '@/lib/server/auth/visibility';
import { expectedOrigin } from '@/lib/server/http/csrf';
import { HttpError } from '@/lib/server/http/errors';
import { route, writeRoute } from '@/lib/server/http/handler';
import { json } from '@/lib/server/http/respond';
import { kioskLinks } from '@/lib/server/kiosk/runtime';
import { runtime } from '@/lib/server/runtime';

export const dynamic = 'force-dynamic';

/** GET /api/kiosk: the kiosk links the signed-in person created, newest first. */
export const GET = route({}, async ({ viewer }) => {
  if (viewer.kind !== 'person') return { links: [] as KioskLink[] };
  const links = (await kioskLinks().list()).filter((l) => l.createdBy === viewer.identity.user);
  return { links: links.sort((a, b) => b.createdAt.localeCompare(a.createdAt)) };
});

/**
 * POST /api/kiosk: a kiosk link for a wall. Only a signed-in person, with the same defences as every
 * write, and only for namespaces they may read themselves (Rollouts and Deployments): a link never
 * shows more than its creator could see.
 */
export const POST = writeRoute({ body: KioskCreate, what: 'kiosk link', signIn: 'Sign in to create a kiosk link' }, async ({ request, viewer, body }) => {
  const session = authConfig().session;
  const rt = runtime();
  const clusters = body.scope.clusters.length ? body.scope.clusters : rt.caches.map((c) => c.cluster);
  for (const cluster of clusters) {
    if (!rt.kubeConfigs.has(cluster)) throw new HttpError(400, 'bad-request', `no cluster ${cluster}`);
    for (const namespace of body.scope.namespaces) {
      for (const kind of ['Rollout', 'Deployment'] as const) {
        if (!(await mayRead(viewer, rt.access, { cluster, namespace, kind }))) {
          throw new HttpError(403, 'forbidden', `You may not read ${kind}s in ${namespace} (${cluster}), so a kiosk link cannot show them`);
        }
      }
    }
  }
  const { link, token } = await kioskLinks().create(viewer.identity.user, body);
  const origin = session?.publicUrl.origin ?? expectedOrigin(request, null) ?? '';
  const created: KioskCreated = { link, url: `${origin}/wall?k=${encodeURIComponent(token)}` };
  return json(created, { status: 201 });
});
