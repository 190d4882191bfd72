import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));

import { KubeConfig } from '@kubernetes/client-node';
import type { PatchRequest } from '@/lib/rollouts/actions';
import { ConflictError, ForbiddenError, impersonatedRequest, impersonationHeaders, InvalidError, NotFoundError, patchBody, sendPatch, typedError } from './impersonation';

describe('impersonationHeaders', () => {
  it('one Impersonate-Group entry per group, in order', () => {
    expect(impersonationHeaders({ user: 'carol', groups: ['oncall', 'system:authenticated', 'release-managers'] })).toEqual({
      'Impersonate-User': 'carol',
      'Impersonate-Group': ['oncall', 'system:authenticated', 'release-managers'],
    });
  });
  it('no group header without groups', () => {
    expect(impersonationHeaders({ user: 'victor', groups: [] })).toEqual({ 'Impersonate-User': 'victor' });
  });
  it('refuses values that would break the header block', () => {
    expect(() => impersonationHeaders({ user: 'a\r\nImpersonate-Group: system:masters', groups: [] })).toThrow(/line break/);
    expect(() => impersonationHeaders({ user: 'a', groups: ['ok', 'x\ny'] })).toThrow(/line break/);
    expect(() => impersonationHeaders({ user: '', groups: [] })).toThrow();
  });
});

describe('on the wire', () => {
  let server: Server;
  let seen: IncomingMessage | undefined;
  let seenBody = '';
  let answer = { status: 200, body: '{"metadata":{"name":"x","resourceVersion":"2"}}' };
  const kc = new KubeConfig();

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen = req;
      seenBody = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (seenBody += chunk));
      req.on('end', () => res.writeHead(answer.status, { 'Content-Type': 'application/json' }).end(answer.body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    kc.loadFromOptions({
      clusters: [{ name: 'c', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
      users: [{ name: 'u', token: 'aviary-token' }],
      contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
      currentContext: 'ctx',
    });
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends each group as its own header line, with Aviary’s own credentials', async () => {
    answer = { status: 200, body: '{"ok":true}' };
    await impersonatedRequest(kc, { user: 'alice', groups: ['release-managers', 'oncall', 'viewers'] }, { method: 'GET', path: '/version' });
    const raw = seen?.rawHeaders ?? [];
    const lines = raw.flatMap((value, i) => (i % 2 === 0 ? [[value, raw[i + 1]]] : []));
    expect(lines.filter(([name]) => name.toLowerCase() === 'impersonate-group').map(([, v]) => v)).toEqual(['release-managers', 'oncall', 'viewers']);
    expect(lines.filter(([name]) => name.toLowerCase() === 'impersonate-user').map(([, v]) => v)).toEqual(['alice']);
    expect(seen?.headers.authorization).toBe('Bearer aviary-token');
  });

  it('a patch goes with its explicit content type and the precondition in the body', async () => {
    answer = { status: 200, body: '{"metadata":{"name":"checkout","resourceVersion":"8"}}' };
    const patch: PatchRequest = { method: 'PATCH', path: '/apis/argoproj.io/v1alpha1/namespaces/shop/rollouts/checkout/status', patchType: 'merge', body: { status: { abort: true } }, resourceVersion: '7' };
    const result = await sendPatch(kc, { user: 'carol', groups: ['oncall'] }, patch);
    expect(seen?.method).toBe('PATCH');
    expect(seen?.url).toBe('/apis/argoproj.io/v1alpha1/namespaces/shop/rollouts/checkout/status');
    expect(seen?.headers['content-type']).toBe('application/merge-patch+json');
    expect(JSON.parse(seenBody)).toEqual({ status: { abort: true }, metadata: { resourceVersion: '7' } });
    expect(result.metadata.resourceVersion).toBe('8');
  });

  it.each([
    [409, ConflictError],
    [403, ForbiddenError],
    [404, NotFoundError],
    [422, InvalidError],
  ] as const)('%i becomes a typed error', async (status, type) => {
    answer = { status, body: JSON.stringify({ kind: 'Status', reason: 'X', message: 'rollouts.argoproj.io "checkout" is forbidden: User "victor" cannot patch' }) };
    const error = await impersonatedRequest(kc, { user: 'victor', groups: [] }, { method: 'GET', path: '/x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(type);
  });
});

describe('errors and preconditions', () => {
  it('Forbidden keeps the API server message apart from the one shown to users', () => {
    const error = typedError(403, JSON.stringify({ reason: 'Forbidden', message: 'User "victor" cannot patch resource "rollouts"' }), 'PATCH /x');
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error.message).toBe('forbidden by the cluster');
    expect((error as ForbiddenError).serverMessage).toContain('User "victor" cannot patch');
  });
  it('JSON patches get a resourceVersion replace appended; no precondition leaves the body alone', () => {
    const base: PatchRequest = { method: 'PATCH', path: '/p', patchType: 'json', body: [{ op: 'replace', path: '/spec/template', value: {} }], resourceVersion: '5' };
    expect(patchBody(base)).toEqual([{ op: 'replace', path: '/spec/template', value: {} }, { op: 'replace', path: '/metadata/resourceVersion', value: '5' }]);
    expect(patchBody({ ...base, resourceVersion: null })).toBe(base.body);
  });
  it('merge patches keep their own metadata', () => {
    const patch: PatchRequest = { method: 'PATCH', path: '/p', patchType: 'strategic', body: { metadata: { labels: { a: 'b' } }, spec: { paused: true } }, resourceVersion: '9' };
    expect(patchBody(patch)).toEqual({ metadata: { labels: { a: 'b' }, resourceVersion: '9' }, spec: { paused: true } });
  });
});
