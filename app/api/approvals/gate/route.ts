import { z } from 'zod';
import type { GateInfo } from '@/lib/contracts/approvals';
import { pendingGate, stepKey } from '@/lib/rollouts/approvals-policy';
import type { RolloutObject } from '@/lib/rollouts/objects';
import { approvalsFor } from '@/lib/server/approvals/list';
import { policyFor } from '@/lib/server/approvals/store';
import { mayRead } from '@/lib/server/auth/visibility';
import { HttpError } from '@/lib/server/http/errors';
import { route } from '@/lib/server/http/handler';
import { runtime } from '@/lib/server/runtime';

export const dynamic = 'force-dynamic';

const Query = z.object({ cluster: z.string().min(1).max(253), namespace: z.string().min(1).max(253), name: z.string().min(1).max(253) });

const hours = (ms: number) => (ms % 86_400_000 === 0 ? `${ms / 86_400_000} d` : ms % 3_600_000 === 0 ? `${ms / 3_600_000} h` : `${Math.round(ms / 60_000)} min`);

/** GET /api/approvals/gate: is a promote of this rollout gated right now (the action bar shows "Request approval" then)? */
export const GET = route({ query: Query }, async ({ query, viewer }) => {
  const rt = runtime();
  const cache = rt.caches.find((c) => c.cluster === query.cluster);
  const kc = rt.kubeConfigs.get(query.cluster);
  const rollout = cache?.objects<RolloutObject>('rollouts').find((r) => r.metadata.namespace === query.namespace && r.metadata.name === query.name);
  if (!cache || !kc || !rollout || !(await mayRead(viewer, rt.access, { ...query, kind: 'Rollout' }))) {
    throw new HttpError(404, 'not-found', `no Rollout ${query.namespace}/${query.name} in cluster ${query.cluster}`);
  }
  const result = await policyFor(kc, rollout);
  const policy = result.kind === 'policy' ? result.policy : null;
  const gate = policy ? pendingGate(policy, rollout) : null;
  const step = gate === null ? null : stepKey(gate);
  const open = step === null ? null : ((await approvalsFor(viewer, rt)).find((a) => a.cluster === query.cluster && a.namespace === query.namespace && a.rollout === query.name && a.step === step && (a.state === 'pending' || a.state === 'approved')) ?? null);
  const info: GateInfo = {
    step,
    stepLabel: gate === null ? null : gate === 'bluegreen' ? 'the blue-green switch' : `step ${gate}`,
    policy: policy && {
      quorum: policy.quorum,
      approvers: [...policy.approvers.groups.map((g) => `group ${g}`), ...policy.approvers.users],
      reasonRequired: policy.reasonRequired,
      validFor: hours(policy.validForMs),
      source: policy.source,
    },
    invalid: result.kind === 'invalid' ? result.errors : null,
    open,
  };
  return info;
});
