import { RetryBody, type ApprovalAccepted } from '@/lib/contracts/approvals';
import { retryPromotion } from '@/lib/server/approvals/service';
import { approvalWorld } from '@/lib/server/approvals/world';
import { mayRead } from '@/lib/server/auth/visibility';
import { HttpError } from '@/lib/server/http/errors';
import { READ_ONLY_ACT, writeRoute } from '@/lib/server/http/handler';
import { json } from '@/lib/server/http/respond';
import { runtime } from '@/lib/server/runtime';

export const dynamic = 'force-dynamic';

/**
 * POST /api/approvals/promote: the quorum met but the cluster did not accept the promotion; the
 * requester or an approver sends it again (as the requester, with the approval's grant).
 */
export const POST = writeRoute({ body: RetryBody, what: 'retry', signIn: READ_ONLY_ACT }, async ({ viewer, body }) => {
  const rt = runtime();
  if (!rt.kubeConfigs.has(body.cluster) || !(await mayRead(viewer, rt.access, { cluster: body.cluster, namespace: body.namespace, kind: 'Rollout' }))) {
    throw new HttpError(404, 'not-found', `no release approval ${body.namespace}/${body.approval}`);
  }
  const result: ApprovalAccepted = await retryPromotion(viewer.identity, body, approvalWorld(body.cluster));
  return json(result, { status: 202 });
});
