import 'server-only';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Permissions } from '@/lib/contracts/actions';
import { accessNeeded, accessNeedKey, type AccessNeed } from '@/lib/rollouts/action-access';
import { ROLLOUT_ACTIONS } from '@/lib/rollouts/actions';
import { subjectKey, type Subject } from '@/lib/server/auth/access';
import { selfSubjectAccessReview } from '@/lib/server/kube/access-review';

export interface PermissionTarget {
  cluster: string;
  kind: 'Rollout' | 'Deployment';
  namespace: string;
  name: string;
}

type Review = (subject: Subject, target: PermissionTarget, need: AccessNeed) => Promise<boolean>;

/**
 * Which actions the cluster's RBAC lets a person take on one workload: a SelfSubjectAccessReview
 * per needed permission, sent under impersonation (so every authorizer of the API server answers,
 * exactly as for the real request), cached `ttlMs` per (cluster, person, namespace, name, permission).
 */
export class PermissionCache {
  private readonly entries = new Map<string, { expiresAt: number; allowed: Promise<boolean> }>();

  constructor(
    private readonly review: Review,
    private readonly ttlMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  private allowed(subject: Subject, target: PermissionTarget, need: AccessNeed): Promise<boolean> {
    const key = JSON.stringify([target.cluster, subjectKey(subject), target.namespace, target.name, accessNeedKey(need)]);
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > this.now()) return entry.allowed;
    // A failed review is "not allowed" now, and asked again next time.
    const allowed = this.review(subject, target, need).catch(() => {
      this.entries.delete(key);
      return false;
    });
    this.entries.set(key, { expiresAt: this.now() + this.ttlMs, allowed });
    if (this.entries.size > 10_000) this.prune();
    return allowed;
  }

  private prune(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }

  async permissions(subject: Subject, target: PermissionTarget): Promise<Permissions> {
    const pairs = await Promise.all(
      ROLLOUT_ACTIONS.map(async (action) => {
        const needs = accessNeeded(target.kind, action);
        if (!needs) return [action, false] as const;
        const answers = await Promise.all(needs.map((need) => this.allowed(subject, target, need)));
        return [action, answers.every(Boolean)] as const;
      }),
    );
    return { actions: Object.fromEntries(pairs) as Permissions['actions'] };
  }
}

/** The review behind the cache: SelfSubjectAccessReview as the person, against the workload's cluster. */
export function impersonatedReview(kubeConfigs: Map<string, KubeConfig>): Review {
  return (subject, target, need) => {
    const kc = kubeConfigs.get(target.cluster);
    if (!kc) return Promise.resolve(false);
    // Reading ReplicaSets is about the namespace (undo lists them), not about one named object.
    const name = need.resource === 'replicasets' ? undefined : target.name;
    return selfSubjectAccessReview(kc, subject, { namespace: target.namespace, verb: need.verb, group: need.group, resource: need.resource, subresource: need.subresource, name });
  };
}
