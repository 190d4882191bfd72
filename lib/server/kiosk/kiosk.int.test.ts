/**
 * Kiosk links against the sandbox's API server (the KioskLink CRD, Aviary's own identity): a token
 * opens its link until it expires or is revoked; a forged or altered token opens nothing.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));

import { paths } from '@/sandbox/lib/config';
import { identities } from '@/sandbox/lib/pki';
import { HttpError } from '@/lib/server/http/errors';
import { checkToken, KioskLinks, tokenFor } from './links';

const kc = new KubeConfig();
kc.loadFromFile(paths.kubeconfigFor(identities.aviary.name));
const SECRET = 'kiosk-integration-test-secret-0123456789abcdef';
let clock = new Date();
const links = new KioskLinks(kc, () => SECRET, () => clock);

async function refusal(promise: Promise<unknown>): Promise<{ status: number; code: string }> {
  const error = await promise.then(() => null, (e: unknown) => e);
  if (!(error instanceof HttpError)) throw new Error(`expected an HttpError, got ${String(error)}`);
  return { status: error.status, code: error.code };
}

describe('kiosk links', () => {
  it('a created link opens with its token, with exactly its scope, until revoked (by its creator only)', async () => {
    clock = new Date();
    const { link, token } = await links.create('alice', { title: 'Team room', scope: { clusters: [], namespaces: ['shop'], labels: {} }, ttlHours: 2 });
    expect(link).toMatchObject({ title: 'Team room', createdBy: 'alice', revoked: false, scope: { namespaces: ['shop'] } });
    expect(await links.verify(token)).toMatchObject({ id: link.id, scope: { namespaces: ['shop'] } });
    expect((await links.list()).map((l) => l.id)).toContain(link.id);
    // Someone else cannot revoke it (and learns nothing about it).
    expect(await refusal(links.revoke(link.id, 'bob'))).toEqual({ status: 404, code: 'not-found' });
    await links.revoke(link.id, 'alice');
    expect(await refusal(links.verify(token))).toEqual({ status: 401, code: 'kiosk-revoked' });
  });

  it('stops working once expired, even though the link still exists', async () => {
    clock = new Date();
    const { token } = await links.create('alice', { title: 'Expiring', scope: { clusters: [], namespaces: ['shop'], labels: {} }, ttlHours: 1 });
    await links.verify(token);
    clock = new Date(Date.now() + 3601_000);
    expect(await refusal(links.verify(token))).toEqual({ status: 401, code: 'kiosk-expired' });
  });

  it('a forged, altered or unknown token opens nothing', async () => {
    clock = new Date();
    const { link, token } = await links.create('alice', { title: 'Tamper', scope: { clusters: [], namespaces: ['shop'], labels: {} }, ttlHours: 1 });
    const [id, exp, sig] = token.split('.');
    // A later expiry with the old signature; a signature made with another secret; a link id that does not exist.
    expect(await refusal(links.verify(`${id}.${Number(exp) + 86400}.${sig}`))).toEqual({ status: 401, code: 'kiosk-invalid' });
    expect(await refusal(links.verify(tokenFor('another-secret-another-secret-another', link.id, new Date(Number(exp) * 1000))))).toEqual({ status: 401, code: 'kiosk-invalid' });
    expect(await refusal(links.verify(tokenFor(SECRET, 'kiosk-0000000000000000', new Date(Date.now() + 3600_000))))).toEqual({ status: 401, code: 'kiosk-invalid' });
    expect(() => checkToken(SECRET, 'not a token', new Date())).toThrow(HttpError);
    await links.revoke(link.id, 'alice');
  });
});
