import { KioskCreate, type KioskCreated, type KioskLink } from '@/lib/contracts/kiosk';
import { authConfig } from '@/lib/server/auth/config';
import { mayRead } from '@/lib/server/auth/visibility';
import { checkCsrfToken, checkJson, checkOrigin, csrfKey, expectedOrigin } from '@/lib/server/http/csrf';
import { HttpError } from '@/lib/server/http/errors';
import { route } from '@/lib/server/http/handler';
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
export const POST = route({}, async ({ request, viewer }) => {
  const session = authConfig().session;
  checkOrigin(request, session?.publicUrl ?? null);
  checkJson(request);
  if (viewer.kind !== 'person') throw new HttpError(403, 'read-only', 'Sign in to create a kiosk link');
  checkCsrfToken(request, viewer.identity, csrfKey(session?.secret ?? null));
  const parsed = KioskCreate.safeParse(await request.json().catch(() => undefined));
  if (!parsed.success) throw new HttpError(400, 'bad-request', `invalid kiosk link: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`);
  const rt = runtime();
  const clusters = parsed.data.scope.clusters.length ? parsed.data.scope.clusters : rt.caches.map((c) => c.cluster);
  for (const cluster of clusters) {
    if (!rt.kubeConfigs.has(cluster)) throw new HttpError(400, 'bad-request', `no cluster ${cluster}`);
    for (const namespace of parsed.data.scope.namespaces) {
      for (const kind of ['Rollout', 'Deployment'] as const) {
        if (!(await mayRead(viewer, rt.access, { cluster, namespace, kind }))) {
          throw new HttpError(403, 'forbidden', `You may not read ${kind}s in ${namespace} (${cluster}), so a kiosk link cannot show them`);
        }
      }
    }
  }
  const { link, token } = await kioskLinks().create(viewer.identity.user, parsed.data);
  const origin = session?.publicUrl.origin ?? expectedOrigin(request, null) ?? '';
  const body: KioskCreated = { link, url: `${origin}/wall?k=${encodeURIComponent(token)}` };
  return json(body, { status: 201 });
});
