import 'server-only';
import type { KubeConfig } from '@kubernetes/client-node';
import { directPromoteRefusal } from '@/lib/rollouts/approvals-policy';
import type { RolloutObject } from '@/lib/rollouts/objects';
import { policyFor } from './store';

/**
 * Why a direct promote of this rollout is refused because of its release-approval policy, or null.
 * An invalid policy does not block here (it is reported on the rollout); the admission policy stays
 * the last word either way.
 */
export async function approvalGateRefusal(kc: KubeConfig, rollout: RolloutObject, full: boolean): Promise<string | null> {
  const result = await policyFor(kc, rollout);
  return result.kind === 'policy' ? directPromoteRefusal(result.policy, rollout, full) : null;
}
