import { ActionRequest, type Permissions } from '@/lib/contracts/actions';
import { ROLLOUT_ACTIONS } from '@/lib/rollouts/actions';
import { mayRead } from '@/lib/server/auth/visibility';
import { HttpError } from '@/lib/server/http/errors';
import { route } from '@/lib/server/http/handler';
import { runtime } from '@/lib/server/runtime';

export const dynamic = 'force-dynamic';

const Query = ActionRequest.pick({ cluster: true, kind: true, namespace: true, name: true });
const NOTHING: Permissions = { actions: Object.fromEntries(ROLLOUT_ACTIONS.map((a) => [a, false])) as Permissions['actions'] };

/** GET /api/permissions?cluster&kind&namespace&name: which actions the cluster's RBAC lets this person take. */
export const GET = route({ query: Query }, async ({ query, viewer }): Promise<Permissions> => {
  // The read-only escape hatch (AVIARY_AUTH=none) never acts.
  if (viewer.kind === 'anonymous') return NOTHING;
  const rt = runtime();
  if (!rt.kubeConfigs.has(query.cluster) || !(await mayRead(viewer, rt.access, query))) {
    throw new HttpError(404, 'not-found', `no ${query.kind} ${query.namespace}/${query.name} in cluster ${query.cluster}`);
  }
  return rt.permissions.permissions(viewer.identity, query);
});
