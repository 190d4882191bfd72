import { DecisionBody, type ApprovalAccepted } from '@/lib/contracts/approvals';
import { decide } from '@/lib/server/approvals/service';
import { approvalWorld } from '@/lib/server/approvals/world';
import { mayRead } from '@/lib/server/auth/visibility';
import { HttpError } from '@/lib/server/http/errors';
import { writeRoute } from '@/lib/server/http/handler';
import { json } from '@/lib/server/http/respond';
import { runtime } from '@/lib/server/runtime';

export const dynamic = 'force-dynamic';

/**
 * POST /api/approvals/decision: approve or reject. The rules (not your own request, one person once,
 * an approver by user or group, a comment to reject) are enforced in lib/rollouts/approvals on the
 * server; the decision that meets the quorum promotes the rollout.
 */
const signIn = 'This Aviary is read-only (AVIARY_AUTH=none): sign-in is needed to decide';
export const POST = writeRoute({ body: DecisionBody, what: 'decision', signIn }, async ({ viewer, body }) => {
  const rt = runtime();
  if (!rt.kubeConfigs.has(body.cluster) || !(await mayRead(viewer, rt.access, { cluster: body.cluster, namespace: body.namespace, kind: 'Rollout' }))) {
    throw new HttpError(404, 'not-found', `no release approval ${body.namespace}/${body.approval}`);
  }
  const result: ApprovalAccepted = await decide(viewer.identity, body, approvalWorld(body.cluster));
  return json(result, { status: 202 });
});
