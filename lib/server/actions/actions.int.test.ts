/**
 * The action and read APIs against the sandbox, called as Next calls them (the exported route
 * handlers with a Request), with Aviary's own identity and the sandbox's RBAC: no session → 401;
 * victor is refused by the cluster (403) and never sees `restricted`; alice's promote is recorded
 * and shows in the workload's history; two promotes of the same view advance one step (202 + 409).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));

import type { WorkloadSummary } from '@/lib/contracts/workload';
import type { StreamSnapshot } from '@/lib/contracts/stream';
import { ensureBuilt } from '@/sandbox/lib/build';
import { paths } from '@/sandbox/lib/config';
import { kubectl } from '@/sandbox/lib/kubectl';
import { identities } from '@/sandbox/lib/pki';
import { sandboxSignInEnv } from '@/sandbox/lib/oidc';
import { run } from '@/sandbox/lib/run';
import { argoCli } from '@/test/argo-cli';

const PORT = 3977;
const ORIGIN = `http://127.0.0.1:${PORT}`;
const NS = 'aviary-actions';
Object.assign(process.env, { KUBECONFIG: paths.kubeconfigFor(identities.aviary.name), ...sandboxSignInEnv(PORT) });

const { authConfig } = await import('@/lib/server/auth/config');
const { sealSession } = await import('@/lib/server/auth/session');
const { runtime } = await import('@/lib/server/runtime');
const actions = await import('@/app/api/actions/route');
const me = await import('@/app/api/me/route');
const permissions = await import('@/app/api/permissions/route');
const stream = await import('@/app/api/stream/route');
const workloads = await import('@/app/api/workloads/route');
const { kubeRequestCounts } = await import('@/lib/server/kube/http');

const tools = () => ensureBuilt(() => undefined);
const ctx = { params: Promise.resolve({}) };
const people = {
  alice: { user: 'alice', groups: ['release-managers'] },
  carol: { user: 'carol', groups: ['oncall'] },
  victor: { user: 'victor', groups: ['viewers'] },
};
type Person = keyof typeof people;

async function cookie(person: Person): Promise<string> {
  const session = authConfig().session;
  if (!session) throw new Error('sandbox sign-in env not applied');
  return `aviary-session=${(await sealSession(people[person], session)).value}`;
}

async function get(handler: (r: Request, c: typeof ctx) => Promise<Response>, path: string, person: Person | null, signal?: AbortSignal): Promise<Response> {
  return handler(new Request(`${ORIGIN}${path}`, { headers: person ? { cookie: await cookie(person) } : {}, signal }), ctx);
}

async function act(person: Person, body: Record<string, unknown>): Promise<Response> {
  const session = await cookie(person);
  const token = ((await (await me.GET(new Request(`${ORIGIN}/api/me`, { headers: { cookie: session } }), ctx)).json()) as { csrfToken: string }).csrfToken;
  return actions.POST(
    new Request(`${ORIGIN}/api/actions`, {
      method: 'POST',
      headers: { cookie: session, origin: ORIGIN, 'content-type': 'application/json', 'x-aviary-csrf': token },
      body: JSON.stringify(body),
    }),
    ctx,
  );
}

const id = (name: string) => `${runtime().caches[0].cluster}/Rollout/${NS}/${name}`;
const summary = (name: string): WorkloadSummary | undefined => runtime().caches[0].workloads.get(id(name));

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const rollout = (name: string) => `
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: ${name}, namespace: ${NS}}
spec:
  replicas: 2
  selector: {matchLabels: {app: ${name}}}
  strategy: {canary: {steps: [{setWeight: 25}, {pause: {}}, {setWeight: 50}, {pause: {}}]}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: app, image: "registry.example.com/actions/app:v1"}]}
`;

const bindings = ['viewers', 'oncall', 'release-managers']
  .map((group) => `{apiVersion: rbac.authorization.k8s.io/v1, kind: RoleBinding, metadata: {name: view-${group}, namespace: ${NS}}, roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: aviary-viewer}, subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: ${group}}]}`)
  .concat([
    `{apiVersion: rbac.authorization.k8s.io/v1, kind: RoleBinding, metadata: {name: oncall, namespace: ${NS}}, roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: aviary-oncall}, subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: oncall}]}`,
    `{apiVersion: rbac.authorization.k8s.io/v1, kind: RoleBinding, metadata: {name: release, namespace: ${NS}}, roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: aviary-release-manager}, subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: release-managers}]}`,
  ])
  .join('\n---\n');

/** Puts a fresh Rollout at its first pause (step 1, 25 %): created healthy, then updated to v2. */
async function pausedRollout(name: string): Promise<WorkloadSummary> {
  const t = await tools();
  await kubectl(t, ['apply', '-f', '-'], { input: rollout(name) });
  await until(`${name} healthy`, () => summary(name)?.phase === 'Healthy');
  await kubectl(t, ['-n', NS, 'patch', 'rollout', name, '--type=merge', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"app","image":"registry.example.com/actions/app:v2"}]}}}}']);
  return until(`${name} paused at step 1`, () => {
    const w = summary(name);
    return w?.phase === 'Paused' && w.step.current === 1 && w.pauses.length > 0 ? w : undefined;
  });
}

const request = (w: WorkloadSummary, action: string) => ({ cluster: w.cluster, kind: w.kind, namespace: w.namespace, name: w.name, action, resourceVersion: w.resourceVersion });

beforeAll(async () => {
  const t = await tools();
  await kubectl(t, ['delete', 'namespace', NS, '--ignore-not-found', '--wait=true', '--timeout=120s']);
  await kubectl(t, ['create', 'namespace', NS]);
  await kubectl(t, ['apply', '-f', '-'], { input: bindings });
  runtime();
  await until('the cache to list', () => runtime().caches[0].currentHealth().connected);
}, 600_000);

afterAll(async () => {
  for (const cache of runtime().caches) cache.stop();
  runtime().hub.close();
  await kubectl(await tools(), ['delete', 'namespace', NS, '--ignore-not-found', '--wait=false']);
});

describe('without a session', () => {
  it('every API route answers 401 in the one error shape, the stream included', async () => {
    for (const [handler, path] of [[workloads.GET, '/api/workloads'], [stream.GET, '/api/stream'], [me.GET, '/api/me'], [permissions.GET, `/api/permissions?cluster=x&kind=Rollout&namespace=${NS}&name=a`]] as const) {
      const res = await get(handler, path, null);
      expect(res.status, path).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
    }
    const post = await actions.POST(new Request(`${ORIGIN}/api/actions`, { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json' }, body: '{}' }), ctx);
    expect(post.status).toBe(401);
  });
});

describe('reads carry only what the person may read', () => {
  it("victor's stream and /api/workloads never carry the restricted namespace; alice's do", async () => {
    await until('restricted/ledger in the cache', () => [...runtime().caches[0].workloads.values()].some((w) => w.namespace === 'restricted'));
    const first = async (person: Person): Promise<StreamSnapshot> => {
      const abort = new AbortController();
      const res = await get(stream.GET, '/api/stream', person, abort.signal);
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      let text = '';
      while (!text.includes('event: snapshot') || !text.slice(text.indexOf('event: snapshot')).includes('\n\n')) text += new TextDecoder().decode((await reader.read()).value);
      abort.abort();
      const frame = text.slice(text.indexOf('event: snapshot'));
      return JSON.parse(frame.slice(frame.indexOf('data: ') + 6, frame.indexOf('\n\n'))) as StreamSnapshot;
    };
    const victor = await first('victor');
    expect(victor.workloads.length).toBeGreaterThan(0);
    expect(victor.workloads.some((w) => w.namespace === 'restricted')).toBe(false);
    expect((await first('alice')).workloads.some((w) => w.namespace === 'restricted')).toBe(true);
    const listed = (await (await get(workloads.GET, '/api/workloads', 'victor')).json()) as StreamSnapshot;
    expect(listed.workloads.some((w) => w.namespace === 'restricted')).toBe(false);
    expect(listed.workloads.some((w) => w.namespace === 'shop')).toBe(true);
  });
});

describe('session end', () => {
  it('an open stream ends when its session does (the browser reconnects and gets 401)', async () => {
    const session = authConfig().session!;
    const almostOver = new Date(Date.now() - session.ttlSeconds * 1000 + 2_000);
    const value = (await sealSession(people.victor, session, almostOver)).value;
    const res = await stream.GET(new Request(`${ORIGIN}/api/stream`, { headers: { cookie: `aviary-session=${value}` } }), ctx);
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const started = Date.now();
    while (!(await reader.read()).done) if (Date.now() - started > 20_000) throw new Error('stream still open after its session ended');
    const again = await stream.GET(new Request(`${ORIGIN}/api/stream`, { headers: { cookie: `aviary-session=${value}` } }), ctx);
    expect(again.status).toBe(401);
  });
});

describe('filtering costs no watches', () => {
  it('20 filtered streams (several people) add no LIST and no WATCH: one shared cache, decisions from one shared review cache', async () => {
    const before = { ...kubeRequestCounts };
    const abort = new AbortController();
    const who: Person[] = ['victor', 'carol', 'alice', 'victor'];
    const streams = await Promise.all(Array.from({ length: 20 }, (_, i) => get(stream.GET, '/api/stream', who[i % who.length], abort.signal)));
    expect(streams.every((r) => r.status === 200)).toBe(true);
    await Promise.all(streams.map(async (r) => { const reader = r.body!.getReader(); await reader.read(); await reader.read(); }));
    expect(runtime().hub.clientCount).toBeGreaterThanOrEqual(20);
    expect(kubeRequestCounts.list).toBe(before.list);
    expect(kubeRequestCounts.watch).toBe(before.watch);
    abort.abort();
  });
});

describe('actions', () => {
  it('permissions follow the cluster RBAC: victor none, carol Rollouts but not Deployments, alice all', async () => {
    const w = await pausedRollout('perms');
    const perms = async (person: Person) =>
      ((await (await get(permissions.GET, `/api/permissions?cluster=${w.cluster}&kind=Rollout&namespace=${NS}&name=perms`, person)).json()) as { actions: Record<string, boolean> }).actions;
    expect(Object.values(await perms('victor')).some(Boolean)).toBe(false);
    // On call: abort, retry, pause, resume — not promote or restart (custom verbs, deploy/admission/rollout-verbs.yaml).
    // Roll back is a pod-template change like any deploy: whoever may patch rollouts and read ReplicaSets may send it.
    expect(await perms('carol')).toEqual({ abort: true, retry: true, pause: true, resume: true, promote: false, 'promote-full': false, restart: false, undo: true });
    expect(Object.values(await perms('alice')).every(Boolean)).toBe(true);
    const deployment = async (person: Person) =>
      ((await (await get(permissions.GET, `/api/permissions?cluster=${w.cluster}&kind=Deployment&namespace=shop&name=catalog`, person)).json()) as { actions: Record<string, boolean> }).actions;
    expect(await deployment('carol')).toMatchObject({ pause: false, resume: false, restart: false, undo: false });
    expect(await deployment('alice')).toMatchObject({ pause: true, resume: true, restart: true, undo: true, promote: false });

    // victor's direct call: refused by the cluster's RBAC, not by Aviary.
    const refused = await act('victor', request(w, 'promote'));
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    const history = await until('the refusal in the history', () => summary('perms')?.history.find((h) => h.user === 'victor'));
    expect(history).toMatchObject({ action: 'promote', result: 'refused-rbac', groups: ['viewers'] });
  });

  it("carol (on call) may abort but not promote or restart: the cluster refuses them (admission, verb 'promote'), for Aviary and for Argo's CLI alike", async () => {
    const w = await pausedRollout('oncall');
    for (const action of ['promote', 'promote-full', 'restart']) {
      const refused = await act('carol', request(summary('oncall') ?? w, action));
      expect(refused.status, action).toBe(403);
    }
    const history = await until('the refusals in the history', () => {
      const mine = summary('oncall')?.history.filter((h) => h.user === 'carol') ?? [];
      return mine.length >= 3 ? mine : undefined;
    });
    expect(history.map((h) => h.result)).toEqual(['refused-rbac', 'refused-rbac', 'refused-rbac']);
    // The same refusal for anyone's client: Argo's own CLI, as carol.
    const cliResult = await run(await argoCli(), ['promote', 'oncall', '-n', NS, '--kubeconfig', paths.kubeconfig, '--as', 'carol', '--as-group', 'oncall'], { allowFailure: true });
    expect(cliResult.code).not.toBe(0);
    expect(cliResult.stderr).toMatch(/may not promote .*oncall: promoting needs the RBAC verb "promote"/);
    expect(summary('oncall')?.step.current).toBe(1);
    // Her abort goes through.
    expect((await act('carol', request(summary('oncall') ?? w, 'abort'))).status).toBe(202);
    await until('oncall aborted', () => summary('oncall')?.phase === 'Aborted');
  });

  it("alice's promote is accepted (202), advances the rollout, and appears in its history", async () => {
    const w = await pausedRollout('promote');
    const res = await act('alice', { ...request(w, 'promote'), reason: 'canary looks good' });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: true, description: expect.stringContaining('Promote aviary-actions/promote from step 1') });
    const entry = await until('the promote in the history', () => summary('promote')?.history.find((h) => h.user === 'alice'));
    expect(entry).toMatchObject({ action: 'promote', result: 'accepted', reason: 'canary looks good', step: 1 });
    await until('step 3 (the next pause)', () => (summary('promote')?.step.current ?? 0) >= 2);
  });

  it('two promotes of the same view: one 202, one 409, and the rollout advances one step', async () => {
    const w = await pausedRollout('twice');
    const answers = await Promise.all([act('alice', request(w, 'promote')), act('alice', request(w, 'promote'))]);
    expect(answers.map((r) => r.status).sort()).toEqual([202, 409]);
    const conflict = answers.find((r) => r.status === 409)!;
    expect(((await conflict.json()) as { error: { message: string } }).error.message).toMatch(/changed since you looked — look again/);
    await until('the next pause at step 3', () => summary('twice')?.step.current === 3 && summary('twice')?.phase === 'Paused');
    // A stale view after the move is refused too.
    expect((await act('alice', request(w, 'promote'))).status).toBe(409);
  });

  it('a view whose object moved on only in what the decision does not rest on is still acted on (actionState); the same view twice still advances one step', async () => {
    const w = await pausedRollout('labelled');
    // A label changes the resourceVersion, not the generation, the step or the pauses.
    await kubectl(await tools(), ['-n', NS, 'label', 'rollout', 'labelled', 'team=payments']);
    await until('the label in the cache', () => summary('labelled')?.labels.team === 'payments');
    expect(summary('labelled')?.resourceVersion).not.toBe(w.resourceVersion);
    expect(summary('labelled')?.actionState).toBe(w.actionState);
    // Without the action state, any change is a conflict (API clients that only send the resourceVersion).
    expect((await act('alice', request(w, 'promote'))).status).toBe(409);
    // With it: accepted, and a second identical view is refused — the promote changed the pauses.
    const answers = await Promise.all([
      act('alice', { ...request(w, 'promote'), actionState: w.actionState }),
      act('alice', { ...request(w, 'promote'), actionState: w.actionState }),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([202, 409]);
    await until('the next pause at step 3', () => summary('labelled')?.step.current === 3 && summary('labelled')?.phase === 'Paused');
    expect((await act('alice', { ...request(w, 'promote'), actionState: w.actionState })).status).toBe(409);
  });

  it("alice rolls a Deployment back to revision 1 (as kubectl rollout undo --to-revision); carol may not", async () => {
    const t = await tools();
    const deployment = (image: string) => `{apiVersion: apps/v1, kind: Deployment, metadata: {name: web, namespace: ${NS}}, spec: {replicas: 1, selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: app, image: "${image}"}]}}}}`;
    await kubectl(t, ['apply', '-f', '-'], { input: deployment('registry.example.com/actions/web:v1') });
    await until('web revision 1', () => runtime().caches[0].workloads.get(id('web').replace('/Rollout/', '/Deployment/'))?.revisions.some((r) => r.revision === 1));
    await kubectl(t, ['apply', '-f', '-'], { input: deployment('registry.example.com/actions/web:v2') });
    const key = id('web').replace('/Rollout/', '/Deployment/');
    // Settled on revision 2 first: while the controller is still rolling, the action state moves on
    // and carol would get 409 (look again) before the cluster could refuse her.
    const w = await until('web settled at revision 2 with 1 in its history', () => {
      const current = runtime().caches[0].workloads.get(key);
      const settled = current && current.phase === 'Healthy' && current.revisions.some((r) => r.revision === 2) && current.revisions.some((r) => r.revision === 1);
      return settled && current.images.includes('registry.example.com/actions/web:v2') ? current : undefined;
    });
    expect((await act('carol', { ...request(w, 'undo'), toRevision: 1 })).status).toBe(403);
    const fresh = runtime().caches[0].workloads.get(key)!;
    const res = await act('alice', { ...request(fresh, 'undo'), toRevision: 1 });
    expect(res.status).toBe(202);
    await until('web back on v1', () => runtime().caches[0].workloads.get(key)?.images.includes('registry.example.com/actions/web:v1'));
  });
});
