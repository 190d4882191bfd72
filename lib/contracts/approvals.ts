import { z } from 'zod';

const Name = z.string().min(1).max(253);
const Comment = z.string().max(1000).nullable().optional();

/** POST /api/approvals: ask for approval to pass the gated step the rollout waits at. */
export const ApprovalRequestBody = z.object({
  cluster: Name,
  namespace: Name,
  name: Name,
  /** The rollout's resourceVersion the person saw (a changed rollout answers 409). */
  resourceVersion: z.string().min(1).max(64),
  reason: Comment,
});
export type ApprovalRequestBody = z.infer<typeof ApprovalRequestBody>;

/** POST /api/approvals/decision: approve or reject one request. */
export const DecisionBody = z.object({
  cluster: Name,
  namespace: Name,
  /** The ReleaseApproval's name. */
  approval: Name,
  verdict: z.enum(['approve', 'reject']),
  comment: Comment,
});
export type DecisionBody = z.infer<typeof DecisionBody>;

/** POST /api/approvals/promote: send again the promotion of an approved request the cluster did not accept. */
export const RetryBody = z.object({ cluster: Name, namespace: Name, approval: Name });
export type RetryBody = z.infer<typeof RetryBody>;

export const ApprovalState = z.enum(['pending', 'approved', 'rejected', 'void', 'promoted']);

export const DecisionDto = z.object({
  user: z.string(),
  groups: z.array(z.string()),
  verdict: z.enum(['approve', 'reject']),
  comment: z.string().nullable(),
  time: z.string(),
});

/** One release approval as the page shows it, with its state evaluated on the server. */
export const ApprovalDto = z.object({
  cluster: z.string(),
  namespace: z.string(),
  /** The ReleaseApproval's name. */
  name: z.string(),
  rollout: z.string(),
  /** The detail page's workload id (cluster/Rollout/namespace/name). */
  workloadId: z.string(),
  podHash: z.string(),
  step: z.string(),
  stepLabel: z.string(),
  requester: z.object({ user: z.string(), groups: z.array(z.string()) }),
  reason: z.string().nullable(),
  requestedAt: z.string(),
  quorum: z.number().int(),
  decisions: z.array(DecisionDto),
  state: ApprovalState,
  approvedBy: z.array(z.string()),
  why: z.string().nullable(),
  promotion: z
    .object({ time: z.string(), actor: z.string(), approvedBy: z.array(z.string()), result: z.string(), message: z.string().nullable() })
    .nullable(),
});
export type ApprovalDto = z.infer<typeof ApprovalDto>;

export const ApprovalList = z.object({ approvals: z.array(ApprovalDto) });
export type ApprovalList = z.infer<typeof ApprovalList>;

/** What a request or a decision answers (202): the approval as it now stands. */
export const ApprovalAccepted = z.object({ approval: ApprovalDto, message: z.string() });
export type ApprovalAccepted = z.infer<typeof ApprovalAccepted>;

/** GET /api/approvals/gate: whether a plain promote of this rollout is gated now, and by what. */
export const GateInfo = z.object({
  /** The gated step the rollout waits at ("5", "bluegreen"), null when a promote is not gated now. */
  step: z.string().nullable(),
  stepLabel: z.string().nullable(),
  policy: z
    .object({ quorum: z.number().int(), approvers: z.array(z.string()), reasonRequired: z.boolean(), validFor: z.string(), source: z.enum(['rollout', 'namespace']) })
    .nullable(),
  /** An invalid policy's problems (it is reported, never ignored). */
  invalid: z.array(z.string()).nullable(),
  /** The open (pending or approved) request for this step and revision, if any. */
  open: ApprovalDto.nullable(),
});
export type GateInfo = z.infer<typeof GateInfo>;
