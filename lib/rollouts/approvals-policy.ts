import type { RolloutObject } from './objects';

/**
 * Release-approval policy, read from annotations under `approvals.aviary.dev/` — on the Rollout, or
 * else on its Namespace (the namespace-wide default). Annotations rather than an Aviary setting so
 * that the cluster's admission policy (deploy/admission) reads exactly the same policy as Aviary:
 * a ValidatingAdmissionPolicy sees the object and its Namespace, nothing else.
 *
 *   approvals.aviary.dev/gate             manual-pauses | steps:5 | steps:3,5 | bluegreen-switch
 *   approvals.aviary.dev/approvers        group:release-managers,user:erin
 *   approvals.aviary.dev/quorum           2            (distinct people; default 1)
 *   approvals.aviary.dev/reason-required  true|false   (default false)
 *   approvals.aviary.dev/valid-for        30m | 4h | 2d (how long an approval counts; default 24h)
 */
export const POLICY_PREFIX = 'approvals.aviary.dev/';
export const GATE_ANNOTATION = `${POLICY_PREFIX}gate`;

export type Gate = { kind: 'manual-pauses' } | { kind: 'steps'; steps: number[] } | { kind: 'bluegreen-switch' };

export interface ApprovalPolicy {
  gate: Gate;
  approvers: { users: string[]; groups: string[] };
  quorum: number;
  reasonRequired: boolean;
  validForMs: number;
  /** Where the policy came from. */
  source: 'rollout' | 'namespace';
}

/** No policy, a valid one, or one that is invalid — reported on the rollout, never silently ignored. */
export type PolicyResult = { kind: 'none' } | { kind: 'policy'; policy: ApprovalPolicy } | { kind: 'invalid'; errors: string[]; source: 'rollout' | 'namespace' };

/** The step a promotion would pass: a canary step index, or the blue-green switch. */
export type GatedStep = number | 'bluegreen';

const DEFAULT_VALID_FOR_MS = 24 * 3600_000;
const UNIT_MS: Record<string, number> = { m: 60_000, h: 3600_000, d: 86_400_000 };

export function parseValidFor(text: string): number | null {
  const match = /^(\d{1,4})([mhd])$/.exec(text.trim());
  if (!match) return null;
  const ms = Number(match[1]) * UNIT_MS[match[2]];
  return ms > 0 ? ms : null;
}

function parseGate(text: string, errors: string[]): Gate | null {
  const value = text.trim();
  if (value === 'manual-pauses') return { kind: 'manual-pauses' };
  if (value === 'bluegreen-switch') return { kind: 'bluegreen-switch' };
  const steps = /^steps:(\d{1,3}(?:,\d{1,3})*)$/.exec(value.replace(/\s+/g, ''));
  if (steps) return { kind: 'steps', steps: [...new Set(steps[1].split(',').map(Number))].sort((a, b) => a - b) };
  errors.push(`gate "${value}" is not one of manual-pauses, steps:<n>[,<n>…], bluegreen-switch`);
  return null;
}

function parseApprovers(text: string | undefined, errors: string[]): ApprovalPolicy['approvers'] {
  const approvers = { users: [] as string[], groups: [] as string[] };
  for (const raw of (text ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const match = /^(user|group):(.+)$/.exec(raw);
    if (!match) errors.push(`approver "${raw}" must be user:<name> or group:<name>`);
    else (match[1] === 'user' ? approvers.users : approvers.groups).push(match[2].trim());
  }
  if (approvers.users.length + approvers.groups.length === 0) errors.push('approvers: name at least one user:<name> or group:<name>');
  return approvers;
}

const isIndefinitePause = (rollout: RolloutObject, index: number) => {
  const step = rollout.spec.strategy.canary?.steps?.[index];
  return step?.pause !== undefined && step.pause.duration === undefined;
};

/** Whether the gate fits the rollout's strategy (a gated step must be an indefinite pause). */
function checkGateFits(gate: Gate, rollout: RolloutObject, errors: string[]): void {
  const canary = rollout.spec.strategy.canary;
  const blueGreen = rollout.spec.strategy.blueGreen as { autoPromotionEnabled?: boolean; autoPromotionSeconds?: number } | undefined;
  if (gate.kind === 'bluegreen-switch') {
    if (!blueGreen) errors.push('gate bluegreen-switch needs a blue-green rollout');
    else if (blueGreen.autoPromotionEnabled !== false || blueGreen.autoPromotionSeconds) {
      errors.push('gate bluegreen-switch needs autoPromotionEnabled: false and no autoPromotionSeconds (the controller would switch by itself)');
    }
    return;
  }
  if (!canary) {
    errors.push(`gate ${gate.kind} needs a canary rollout`);
    return;
  }
  if (gate.kind === 'steps') {
    for (const index of gate.steps) {
      if (!isIndefinitePause(rollout, index)) errors.push(`step ${index} is not an indefinite pause ({pause: {}}): only those can wait for approval`);
    }
  } else if (!(canary.steps ?? []).some((_, i) => isIndefinitePause(rollout, i))) {
    errors.push('gate manual-pauses: the rollout has no indefinite pause step');
  }
}

/** Reads the policy of a rollout: its own annotations if it has a gate, else its namespace's. */
export function readPolicy(rollout: RolloutObject, namespaceAnnotations: Record<string, string> = {}): PolicyResult {
  const own = rollout.metadata.annotations ?? {};
  const source = GATE_ANNOTATION in own ? 'rollout' : GATE_ANNOTATION in namespaceAnnotations ? 'namespace' : null;
  if (!source) return { kind: 'none' };
  const annotations = source === 'rollout' ? own : namespaceAnnotations;
  const get = (key: string) => annotations[`${POLICY_PREFIX}${key}`];
  const errors: string[] = [];
  const gate = parseGate(get('gate') ?? '', errors);
  const approvers = parseApprovers(get('approvers'), errors);
  const quorumText = get('quorum')?.trim() ?? '1';
  const quorum = /^\d{1,2}$/.test(quorumText) ? Number(quorumText) : NaN;
  if (!(quorum >= 1)) errors.push(`quorum "${quorumText}" must be a whole number of at least 1`);
  const reasonText = get('reason-required')?.trim() ?? 'false';
  if (reasonText !== 'true' && reasonText !== 'false') errors.push(`reason-required "${reasonText}" must be true or false`);
  const validText = get('valid-for');
  const validForMs = validText === undefined ? DEFAULT_VALID_FOR_MS : parseValidFor(validText);
  if (validForMs === null) errors.push(`valid-for "${validText}" must be a duration like 30m, 4h or 2d`);
  if (gate) checkGateFits(gate, rollout, errors);
  if (errors.length > 0 || !gate || validForMs === null) return { kind: 'invalid', errors, source };
  return { kind: 'policy', policy: { gate, approvers, quorum, reasonRequired: reasonText === 'true', validForMs, source } };
}

/** Is this step gated by the policy (a canary index, or the blue-green switch)? */
export function isGated(policy: ApprovalPolicy, rollout: RolloutObject, step: GatedStep): boolean {
  if (step === 'bluegreen') return policy.gate.kind === 'bluegreen-switch' && rollout.spec.strategy.blueGreen !== undefined;
  if (!isIndefinitePause(rollout, step)) return false;
  return policy.gate.kind === 'manual-pauses' || (policy.gate.kind === 'steps' && policy.gate.steps.includes(step));
}

/**
 * The gated step a promote would pass right now, or null when a plain promote is not gated: a
 * canary paused at a gated indefinite pause, or a blue-green waiting for its switch.
 */
export function pendingGate(policy: ApprovalPolicy, rollout: RolloutObject): GatedStep | null {
  const status = rollout.status;
  if (!status || status.currentPodHash === undefined || status.currentPodHash === status.stableRS) return null;
  if (rollout.spec.strategy.blueGreen) return isGated(policy, rollout, 'bluegreen') ? 'bluegreen' : null;
  const index = status.currentStepIndex;
  return index !== undefined && isGated(policy, rollout, index) ? index : null;
}

/** The step's name in approvals, admission and Impersonate-Extra: "5" or "bluegreen". */
export const stepKey = (step: GatedStep) => String(step);

/** What the admission policy checks an approved promotion against: rollout UID / pod-template hash / step. */
export function grantValue(uid: string, podHash: string, step: GatedStep): string {
  return `${uid}/${podHash}/${stepKey(step)}`;
}

/**
 * Why a direct promote (or promote --full) is refused because a gated step is in the way, or null:
 * the same rule the admission policy enforces, said before the request is sent.
 */
export function directPromoteRefusal(policy: ApprovalPolicy, rollout: RolloutObject, full: boolean): string | null {
  const status = rollout.status;
  if (!status || status.currentPodHash === undefined || status.currentPodHash === status.stableRS) return null;
  const target = `${rollout.metadata.namespace}/${rollout.metadata.name}`;
  const gate = pendingGate(policy, rollout);
  if (gate !== null) {
    return `${target} waits for release approval at ${gate === 'bluegreen' ? 'the blue-green switch' : `step ${gate}`}: ask for approval instead (${policy.quorum} needed)`;
  }
  if (!full) return null;
  const from = status.currentStepIndex ?? 0;
  const ahead = rollout.spec.strategy.blueGreen ? isGated(policy, rollout, 'bluegreen') : (rollout.spec.strategy.canary?.steps ?? []).some((_, i) => i >= from && isGated(policy, rollout, i));
  return ahead ? `${target} has a release-approval gate ahead: a full promotion would skip it` : null;
}
