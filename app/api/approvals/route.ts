import { z } from 'zod';
import { ApprovalRequestBody, type ApprovalAccepted, type ApprovalList } from '@/lib/contracts/approvals';
import { approvalsFor } from '@/lib/server/approvals/list';
import { requestApproval } from '@/lib/server/approvals/service';
import { approvalWorld } from '@/lib/server/approvals/world';
import { mayRead } from '@/lib/server/auth/visibility';
import { HttpError } from '@/lib/server/http/errors';
import { READ_ONLY_ACT, route, writeRoute } from '@/lib/server/http/handler';
import { json } from '@/lib/server/http/respond';
import { runtime } from '@/lib/server/runtime';

export const dynamic = 'force-dynamic';

const Query = z.object({
  state: z.enum(['pending', 'approved', 'rejected', 'void', 'promoted', 'all']).default('all'),
  namespace: z.string().max(253).optional(),
});

/** GET /api/approvals: the release approvals the viewer may see, newest first, state evaluated now. */
export const GET = route({ query: Query }, async ({ query, viewer }) => {
  const approvals = (await approvalsFor(viewer, runtime())).filter(
    (a) => (query.state === 'all' || a.state === query.state) && (!query.namespace || a.namespace === query.namespace),
  );
  const body: ApprovalList = { approvals };
  return body;
});

/**
 * POST /api/approvals: ask for approval to pass the gated step a rollout waits at. The same defences
 * as every write (Origin, JSON, CSRF token); only someone the cluster lets promote may ask.
 */
export const POST = writeRoute({ body: ApprovalRequestBody, what: 'approval request', signIn: READ_ONLY_ACT }, async ({ viewer, body }) => {
  const rt = runtime();
  const target = { cluster: body.cluster, kind: 'Rollout' as const, namespace: body.namespace, name: body.name };
  if (!rt.kubeConfigs.has(body.cluster) || !(await mayRead(viewer, rt.access, target))) throw new HttpError(404, 'not-found', `no Rollout ${body.namespace}/${body.name} in cluster ${body.cluster}`);
  const permissions = await rt.permissions.permissions(viewer.identity, target);
  if (!permissions.actions.promote) throw new HttpError(403, 'forbidden', `The cluster’s RBAC does not let ${viewer.identity.user} promote ${body.namespace}/${body.name}, so they cannot ask for its approval`);
  const approval = await requestApproval(viewer.identity, body, approvalWorld(body.cluster));
  const accepted: ApprovalAccepted = { approval, message: `Approval requested: ${approval.quorum} needed` };
  return json(accepted, { status: 202 });
});
