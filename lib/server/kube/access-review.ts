import 'server-only';
import type { KubeConfig } from '@kubernetes/client-node';
import type { NamespaceReads, Subject } from '@/lib/server/auth/access';
import { kubeRequest } from './impersonation';

/** What one request of an action needs: a verb on a resource (and subresource) in a namespace. */
export interface ResourceAttributes {
  namespace: string;
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  name?: string;
}

interface ReviewAnswer {
  status?: { allowed?: boolean };
}

const PATH = '/apis/authorization.k8s.io/v1';

/** A SubjectAccessReview asked as Aviary itself: may `subject` do this? (Aviary needs `create subjectaccessreviews`.) */
export async function subjectAccessReview(kc: KubeConfig, subject: Subject, attributes: ResourceAttributes): Promise<boolean> {
  const answer = await kubeRequest<ReviewAnswer>(kc, null, {
    method: 'POST',
    path: `${PATH}/subjectaccessreviews`,
    body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { user: subject.user, groups: subject.groups, resourceAttributes: attributes } },
  });
  return answer.status?.allowed === true;
}

/**
 * A SelfSubjectAccessReview sent UNDER IMPERSONATION of `subject`: the API server answers for the
 * person exactly as it will judge their request — never SelfSubjectRulesReview, whose answer is
 * incomplete with webhook authorizers and aggregated roles.
 */
export async function selfSubjectAccessReview(kc: KubeConfig, subject: Subject, attributes: ResourceAttributes): Promise<boolean> {
  const answer = await kubeRequest<ReviewAnswer>(kc, subject, {
    method: 'POST',
    path: `${PATH}/selfsubjectaccessreviews`,
    body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: attributes } },
  });
  return answer.status?.allowed === true;
}

/** What `subject` may list in `namespace`: the two kinds Aviary shows, asked in parallel. */
export async function reviewReads(kc: KubeConfig, subject: Subject, namespace: string): Promise<NamespaceReads> {
  const [rollouts, deployments] = await Promise.all([
    subjectAccessReview(kc, subject, { namespace, verb: 'list', group: 'argoproj.io', resource: 'rollouts' }),
    subjectAccessReview(kc, subject, { namespace, verb: 'list', group: 'apps', resource: 'deployments' }),
  ]);
  return { rollouts, deployments };
}
