import { DecisionBody, type ApprovalAccepted } from '@/lib/contracts/approvals';
import { decide } from '@/lib/server/approvals/service';
import { approvalWorld } from '@/lib/server/approvals/world';
import { authConfig } from '@/lib/server/auth/config';
import { mayRead } from '@/lib/server/auth/visibility';
import { checkCsrfToken, checkJson, checkOrigin, csrfKey } from '@/lib/server/http/csrf';
import { HttpError } from '@/lib/server/http/errors';
import { route } from '@/lib/server/http/handler';
import { json } from '@/lib/server/http/respond';
import { runtime } from '@/lib/server/runtime';

export const dynamic = 'force-dynamic';

/**
 * POST /api/approvals/decision: approve or reject. The rules (not your own request, one person once,
 * an approver by user or group, a comment to reject) are enforced in lib/rollouts/approvals on the
 * server; the decision that meets the quorum promotes the rollout.
 */
export const POST = route({}, async ({ request, viewer }) => {
  const session = authConfig().session;
  checkOrigin(request, session?.publicUrl ?? null);
  checkJson(request);
  if (viewer.kind === 'anonymous') throw new HttpError(403, 'read-only', 'This Aviary is read-only (AVIARY_AUTH=none): sign-in is needed to decide');
  checkCsrfToken(request, viewer.identity, csrfKey(session?.secret ?? null));
  const parsed = DecisionBody.safeParse(await request.json().catch(() => undefined));
  if (!parsed.success) throw new HttpError(400, 'bad-request', `invalid decision: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`);
  const body = parsed.data;
  const rt = runtime();
  if (!rt.kubeConfigs.has(body.cluster) || !(await mayRead(viewer, rt.access, { cluster: body.cluster, namespace: body.namespace, kind: 'Rollout' }))) {
    throw new HttpError(404, 'not-found', `no release approval ${body.namespace}/${body.approval}`);
  }
  const result: ApprovalAccepted = await decide(viewer.identity, body, approvalWorld(body.cluster));
  return json(result, { status: 202 });
});
