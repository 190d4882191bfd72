/**
 * Impersonation against the sandbox's real API server: a user in two groups is seen in both (each
 * group its own header line), RBAC bound to the second group applies, and the typed errors come
 * from real answers (403, 404, 409 for a stale resourceVersion in merge and JSON patches).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));

import { KubeConfig } from '@kubernetes/client-node';
import { paths } from '@/sandbox/lib/config';
import { ensureBuilt } from '@/sandbox/lib/build';
import { kubectl } from '@/sandbox/lib/kubectl';
import { ConflictError, ForbiddenError, impersonatedRequest, NotFoundError, sendPatch, type PatchedObject } from './impersonation';

const NS = 'aviary-impersonation';
const kc = new KubeConfig();
kc.loadFromFile(paths.kubeconfig);
const CM = `/api/v1/namespaces/${NS}/configmaps/target`;

const manifest = `
apiVersion: v1
kind: ConfigMap
metadata: {name: target, namespace: ${NS}}
data: {step: "0"}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: editors, namespace: ${NS}}
rules:
- {apiGroups: [""], resources: [configmaps], verbs: [get, patch]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: editors, namespace: ${NS}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: editors}
subjects:
- {apiGroup: rbac.authorization.k8s.io, kind: Group, name: "aviary-test:editors"}
`;

beforeAll(async () => {
  const tools = await ensureBuilt(() => undefined);
  await kubectl(tools, ['delete', 'namespace', NS, '--ignore-not-found', '--wait=true', '--timeout=120s']);
  await kubectl(tools, ['create', 'namespace', NS]);
  await kubectl(tools, ['apply', '-f', '-'], { input: manifest });
}, 300_000);

afterAll(async () => {
  const tools = await ensureBuilt(() => undefined);
  await kubectl(tools, ['delete', 'namespace', NS, '--ignore-not-found', '--wait=false']);
});

interface SelfSubjectReview {
  status: { userInfo: { username: string; groups?: string[] } };
}

describe('impersonation against the API server', () => {
  it('a user in two groups is seen as in both (SelfSubjectReview)', async () => {
    const review = await impersonatedRequest<SelfSubjectReview>(
      kc,
      { user: 'dana@example.com', groups: ['aviary-test:viewers', 'aviary-test:editors'] },
      { method: 'POST', path: '/apis/authentication.k8s.io/v1/selfsubjectreviews', body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } },
    );
    expect(review.status.userInfo.username).toBe('dana@example.com');
    expect(review.status.userInfo.groups).toEqual(expect.arrayContaining(['aviary-test:viewers', 'aviary-test:editors']));
    expect(review.status.userInfo.groups).not.toContain('aviary-test:viewers, aviary-test:editors');
  });

  it('RBAC bound to the second group lets the patch through; without it the cluster refuses', async () => {
    const dana = { user: 'dana@example.com', groups: ['aviary-test:viewers', 'aviary-test:editors'] };
    const current = await impersonatedRequest<PatchedObject>(kc, dana, { method: 'GET', path: CM });
    const patched = await sendPatch(kc, dana, { method: 'PATCH', path: CM, patchType: 'merge', body: { data: { step: '1' } }, resourceVersion: current.metadata.resourceVersion ?? null });
    expect(patched.metadata.resourceVersion).not.toBe(current.metadata.resourceVersion);

    const victor = { user: 'victor@example.com', groups: ['aviary-test:viewers'] };
    const refused = await sendPatch(kc, victor, { method: 'PATCH', path: CM, patchType: 'merge', body: { data: { step: '2' } }, resourceVersion: null }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ForbiddenError);
    expect((refused as ForbiddenError).serverMessage).toContain('victor@example.com');
  });

  it('a stale resourceVersion answers Conflict, for merge and JSON patches alike', async () => {
    const dana = { user: 'dana@example.com', groups: ['aviary-test:editors'] };
    const seen = await impersonatedRequest<PatchedObject>(kc, dana, { method: 'GET', path: CM });
    const rv = seen.metadata.resourceVersion ?? null;
    await sendPatch(kc, dana, { method: 'PATCH', path: CM, patchType: 'merge', body: { data: { step: '3' } }, resourceVersion: rv });
    const merge = await sendPatch(kc, dana, { method: 'PATCH', path: CM, patchType: 'merge', body: { data: { step: '4' } }, resourceVersion: rv }).catch((e: unknown) => e);
    expect(merge).toBeInstanceOf(ConflictError);
    const json = await sendPatch(kc, dana, { method: 'PATCH', path: CM, patchType: 'json', body: [{ op: 'replace', path: '/data/step', value: '5' }], resourceVersion: rv }).catch((e: unknown) => e);
    expect(json).toBeInstanceOf(ConflictError);
    const strategic = await sendPatch(kc, dana, { method: 'PATCH', path: CM, patchType: 'strategic', body: { data: { step: '6' } }, resourceVersion: rv }).catch((e: unknown) => e);
    expect(strategic).toBeInstanceOf(ConflictError);
  });

  it('a missing object answers NotFound', async () => {
    const error = await impersonatedRequest(kc, { user: 'dana@example.com', groups: ['aviary-test:editors'] }, { method: 'GET', path: `/api/v1/namespaces/${NS}/configmaps/absent` }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
  });
});
