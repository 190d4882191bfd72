/**
 * Diagnosis on the real cluster: states the controller and the scheduler really produce, read
 * back through Aviary's cache and derivation, must be named — not fall through to "waiting for
 * the controller". Each case runs in a scratch namespace of its own (a ResourceQuota applies to a
 * whole namespace), deleted afterwards.
 *
 * Init containers: kwok's pod stages (sandbox/manifests/kwok/stages.yaml) decide a pod's fate from
 * `.spec.containers[].image` only and never write initContainerStatuses, so the sandbox cannot
 * produce Init:CrashLoopBackOff; that mapping is covered by lib/rollouts/pods.test.ts and
 * lib/rollouts/diagnosis.test.ts instead.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));

import { KubeConfig } from '@kubernetes/client-node';
import type { DiagnosisReason, WorkloadSummary } from '@/lib/contracts/workload';
import { ClusterCache } from '@/lib/server/cluster/cache';
import { ensureBuilt } from '@/sandbox/lib/build';
import { paths } from '@/sandbox/lib/config';
import { kubectl } from '@/sandbox/lib/kubectl';
import { core, waitFor } from '@/test/sandbox';

const QUOTA_NS = 'aviary-diag-quota';
const SCHED_NS = 'aviary-diag-sched';
const kc = new KubeConfig();
kc.loadFromFile(paths.kubeconfig);
const cache = new ClusterCache('sandbox', kc, [QUOTA_NS, SCHED_NS], 50);

async function k(args: string[], input?: string): Promise<void> {
  await kubectl(await ensureBuilt(() => undefined), args, input === undefined ? {} : { input });
}

const rollout = (name: string, resources = '') => `
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: { name: ${name} }
spec:
  replicas: 2
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers:
        - name: app
          image: registry.example.com/${name}:v1
          ${resources}
  strategy:
    canary: { steps: [{ setWeight: 50 }, { pause: {} }] }
`;

/** Waits until Aviary's derived summary of the Rollout has a diagnosis reason with `code`. */
async function reasonFor(namespace: string, name: string, code: DiagnosisReason['code']): Promise<{ workload: WorkloadSummary; reason: DiagnosisReason }> {
  let last: WorkloadSummary | undefined;
  try {
    return await waitFor(
      `${namespace}/${name}: a "${code}" diagnosis`,
      async () => {
        last = cache.workloads.get(`sandbox/Rollout/${namespace}/${name}`);
        const reason = last?.diagnosis?.reasons.find((r) => r.code === code);
        return last && reason ? { workload: last, reason } : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; last diagnosis: ${JSON.stringify(last?.diagnosis ?? null)}`);
  }
}

beforeAll(async () => {
  for (const ns of [QUOTA_NS, SCHED_NS]) {
    await k(['delete', 'namespace', ns, '--ignore-not-found', '--wait=true', '--timeout=120s']);
    await k(['create', 'namespace', ns]);
  }
  cache.start();
  await waitFor('the cache to sync', async () => (cache.currentHealth().connected ? true : undefined), { timeoutMs: 30_000 });
}, 300_000);

afterAll(async () => {
  cache.stop();
  for (const ns of [QUOTA_NS, SCHED_NS]) await k(['delete', 'namespace', ns, '--ignore-not-found', '--wait=false']);
});

describe('diagnosis of what the cluster really does', () => {
  it('a ResourceQuota that admits no pods: the ReplicaSet cannot create them (FailedCreate), named as a quota refusal', async () => {
    await k(['apply', '-n', QUOTA_NS, '-f', '-'], 'apiVersion: v1\nkind: ResourceQuota\nmetadata: { name: no-pods }\nspec: { hard: { pods: "0" } }\n');
    // Quota admission refuses everything until the controller-manager has computed the quota's usage.
    await waitFor('the quota to be in force', async () => {
      const quota = await core.readNamespacedResourceQuota({ namespace: QUOTA_NS, name: 'no-pods' });
      return quota.status?.hard?.pods === '0' && quota.status.used?.pods === '0' ? true : undefined;
    }, { timeoutMs: 60_000 });
    await k(['apply', '-n', QUOTA_NS, '-f', '-'], rollout('blocked'));

    const { workload, reason } = await reasonFor(QUOTA_NS, 'blocked', 'replica-failure');
    expect(reason).toMatchObject({ severity: 'critical', summary: 'Pods cannot be created: refused by a resource quota' });
    // The evidence is the ReplicaSet's own ReplicaFailure condition, in Kubernetes' words.
    expect(reason.evidence.join(' ')).toMatch(/^ReplicaSet blocked-[a-z0-9]+: FailedCreate: .*exceeded quota: no-pods/);
    expect(workload.diagnosis?.reasons[0].severity).toBe('critical');
    expect(workload.diagnosis?.reasons.map((r) => r.code)).not.toContain('waiting-for-controller');
    expect(workload.revisions.flatMap((r) => r.pods)).toHaveLength(0);
  });

  it('a pod larger than any node: unschedulable, with the scheduler\'s own message', async () => {
    // kwok nodes have 32 CPUs (sandbox/manifests/kwok/stages.yaml): 64 fits nowhere.
    await k(['apply', '-n', SCHED_NS, '-f', '-'], rollout('too-big', 'resources: { requests: { cpu: "64" } }'));

    const { workload, reason } = await reasonFor(SCHED_NS, 'too-big', 'unschedulable');
    expect(reason.severity).toBe('critical');
    expect(reason.summary).toMatch(/^2 pods cannot be scheduled: 0\/\d+ nodes are available: .*Insufficient cpu/);
    expect(reason.evidence).toHaveLength(2);
    const pods = workload.revisions.flatMap((r) => r.pods);
    expect(pods.map((p) => [p.state, p.reason, p.node])).toEqual([
      ['pending', 'Unschedulable', null],
      ['pending', 'Unschedulable', null],
    ]);
    expect(workload.diagnosis?.reasons.map((r) => r.code)).not.toContain('waiting-for-controller');
  });
});
