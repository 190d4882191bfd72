import { ActionRequest, type ActionAccepted } from '@/lib/contracts/actions';
import type { ReplicaSetObject } from '@/lib/rollouts/objects';
import { performAction } from '@/lib/server/actions/perform';
import { mayRead } from '@/lib/server/auth/visibility';
import { HttpError } from '@/lib/server/http/errors';
import { READ_ONLY_ACT, writeRoute } from '@/lib/server/http/handler';
import { json } from '@/lib/server/http/respond';
import { runtime } from '@/lib/server/runtime';
import type { z } from 'zod';

export const dynamic = 'force-dynamic';

/**
 * POST /api/actions: the session (401), the request's own defences and the body (writeRoute: 403/415/400), then one call: performAction. 202 means the API server took it;
 * the new state arrives through the stream.
 */
export const POST = writeRoute({ body: ActionRequest, what: 'action', signIn: READ_ONLY_ACT }, async ({ viewer, body }) => {
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
