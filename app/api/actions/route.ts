import { ActionRequest, type ActionAccepted } from '@/lib/contracts/actions';
import type { ReplicaSetObject } from '@/lib/rollouts/objects';
import { performAction } from '@/lib/server/actions/perform';
import { authConfig } from '@/lib/server/auth/config';
import { mayRead } from '@/lib/server/auth/visibility';
import { checkCsrfToken, checkJson, checkOrigin, csrfKey } from '@/lib/server/http/csrf';
import { HttpError } from '@/lib/server/http/errors';
import { route } from '@/lib/server/http/handler';
import { json } from '@/lib/server/http/respond';
import { runtime } from '@/lib/server/runtime';
import type { z } from 'zod';

export const dynamic = 'force-dynamic';

/**
 * POST /api/actions: the session (401), the request's own defences (same Origin, JSON, the CSRF
 * token — 403/415), the body (400), then one call: performAction. 202 means the API server took it;
 * the new state arrives through the stream.
 */
export const POST = route({}, async ({ request, viewer }) => {
  const session = authConfig().session;
  checkOrigin(request, session?.publicUrl ?? null);
  checkJson(request);
  if (viewer.kind === 'anonymous') throw new HttpError(403, 'read-only', 'This Aviary is read-only (AVIARY_AUTH=none): sign-in is needed to act');
  checkCsrfToken(request, viewer.identity, csrfKey(session?.secret ?? null));
  const parsed = ActionRequest.safeParse(await request.json().catch(() => undefined));
  if (!parsed.success) throw new HttpError(400, 'bad-request', `invalid action: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`);
  const body = parsed.data;
  const rt = runtime();
  const kc = rt.kubeConfigs.get(body.cluster);
  const cache = rt.caches.find((c) => c.cluster === body.cluster);
  const summary = cache?.workloads.get(`${body.cluster}/${body.kind}/${body.namespace}/${body.name}`);
  if (!kc || !cache || !summary || !(await mayRead(viewer, rt.access, body))) {
    throw new HttpError(404, 'not-found', `no ${body.kind} ${body.namespace}/${body.name} in cluster ${body.cluster}`);
  }
  const replicaSets = cache.objects<ReplicaSetObject>('replicaSets').filter((rs) => rs.metadata.namespace === body.namespace);
  const { description } = await performAction(viewer.identity, body, { kc, summary, replicaSets, now: new Date() });
  const accepted: z.infer<typeof ActionAccepted> = { accepted: true, description };
  return json(accepted, { status: 202 });
});
