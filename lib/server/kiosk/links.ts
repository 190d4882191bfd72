import 'server-only';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { KubeConfig } from '@kubernetes/client-node';
import { z } from 'zod';
import { KioskLink, WallScope, type KioskCreate } from '@/lib/contracts/kiosk';
import { HttpError } from '@/lib/server/http/errors';
import { kubeRequest, NotFoundError } from '@/lib/server/kube/impersonation';

/**
 * Kiosk links: the wall's way in without a sign-in prompt. A link is an aviary.dev/v1alpha1
 * KioskLink (cluster-scoped, deploy/crds/kiosklinks.aviary.dev.yaml) — its scope, creator and
 * expiry live in the cluster, so every replica honours a revocation — and a token
 * `<id>.<expiry>.<HMAC-SHA256(id, expiry)>` signed with Aviary's secret. A token is accepted only
 * if the signature is right, it has not expired, and its KioskLink exists, names the same expiry
 * and is not revoked (looked up at most every few seconds). A kiosk token is not a session: the
 * route wrapper refuses it on every other API, so it can read the wall of its scope and nothing else.
 */
const PATH = '/apis/aviary.dev/v1alpha1/kiosklinks';
const LOOKUP_TTL_MS = 3000;

const KioskObject = z.object({
  metadata: z.object({ name: z.string(), resourceVersion: z.string() }),
  spec: z.object({
    title: z.string(),
    scope: WallScope,
    createdBy: z.string(),
    createdAt: z.string(),
    expiresAt: z.string(),
    revoked: z.boolean().default(false),
    revokedBy: z.string().nullish(),
    revokedAt: z.string().nullish(),
  }),
});
type KioskObject = z.infer<typeof KioskObject>;

const toLink = (o: KioskObject): KioskLink =>
  KioskLink.parse({ id: o.metadata.name, ...o.spec, revokedBy: o.spec.revokedBy ?? null, revokedAt: o.spec.revokedAt ?? null });

function key(secret: string): Buffer {
  return Buffer.from(`aviary kiosk v1\n${secret}`);
}

function sign(secret: string, id: string, expiresAt: number): string {
  return createHmac('sha256', key(secret)).update(`${id}.${expiresAt}`).digest('base64url');
}

export function tokenFor(secret: string, id: string, expiresAt: Date): string {
  const exp = Math.floor(expiresAt.getTime() / 1000);
  return `${id}.${exp}.${sign(secret, id, exp)}`;
}

/** The secret that signs kiosk tokens: AVIARY_KIOSK_SECRET, else the session secret. */
export function kioskSecret(sessionSecret: string | null, env: Record<string, string | undefined> = process.env): string {
  const secret = env.AVIARY_KIOSK_SECRET || sessionSecret;
  if (!secret || secret.length < 32) throw new HttpError(503, 'kiosk-not-configured', 'Kiosk links need AVIARY_KIOSK_SECRET (or a session secret) of at least 32 characters');
  return secret;
}

/** Checks a token's form, signature and expiry without asking the cluster; answers its link id. */
export function checkToken(secret: string, token: string, now: Date): { id: string; expiresAt: number } {
  const match = /^(kiosk-[a-f0-9]{16})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) throw new HttpError(401, 'kiosk-invalid', 'This kiosk link is not valid');
  const [, id, expText, signature] = match;
  const expiresAt = Number(expText);
  const expected = Buffer.from(sign(secret, id, expiresAt));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new HttpError(401, 'kiosk-invalid', 'This kiosk link is not valid');
  if (expiresAt * 1000 <= now.getTime()) throw new HttpError(401, 'kiosk-expired', 'This kiosk link has expired: ask for a new one');
  return { id, expiresAt };
}

export class KioskLinks {
  private readonly lookups = new Map<string, { at: number; link: Promise<KioskLink | null> }>();

  constructor(
    private readonly kc: KubeConfig,
    private readonly secret: () => string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async create(creator: string, input: KioskCreate): Promise<{ link: KioskLink; token: string }> {
    const id = `kiosk-${randomBytes(8).toString('hex')}`;
    const createdAt = this.now();
    // Whole seconds: the token carries the expiry in seconds and must name the same moment.
    const expiresAt = new Date(Math.floor(createdAt.getTime() / 1000 + input.ttlHours * 3600) * 1000);
    const token = tokenFor(this.secret(), id, expiresAt);
    const body = {
      apiVersion: 'aviary.dev/v1alpha1',
      kind: 'KioskLink',
      metadata: { name: id, labels: { 'app.kubernetes.io/managed-by': 'aviary' } },
      spec: { title: input.title, scope: input.scope, createdBy: creator, createdAt: createdAt.toISOString(), expiresAt: expiresAt.toISOString(), revoked: false, revokedBy: null, revokedAt: null },
    };
    const object = KioskObject.parse(await kubeRequest(this.kc, null, { method: 'POST', path: PATH, body }));
    return { link: toLink(object), token };
  }

  async list(): Promise<KioskLink[]> {
    const list = z.object({ items: z.array(z.unknown()) }).parse(await kubeRequest(this.kc, null, { method: 'GET', path: PATH }));
    return list.items.flatMap((item) => {
      const parsed = KioskObject.safeParse(item);
      return parsed.success ? [toLink(parsed.data)] : [];
    });
  }

  private async read(id: string): Promise<KioskObject | null> {
    try {
      return KioskObject.parse(await kubeRequest(this.kc, null, { method: 'GET', path: `${PATH}/${encodeURIComponent(id)}` }));
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
  }

  /** Revokes a link: only its creator may (an administrator can with kubectl). */
  async revoke(id: string, by: string): Promise<KioskLink> {
    for (let attempt = 0; ; attempt++) {
      const object = await this.read(id);
      if (!object || object.spec.createdBy !== by) throw new HttpError(404, 'not-found', `no kiosk link ${id} of yours`);
      if (object.spec.revoked) return toLink(object);
      try {
        const updated = KioskObject.parse(
          await kubeRequest(this.kc, null, {
            method: 'PUT',
            path: `${PATH}/${encodeURIComponent(id)}`,
            body: { apiVersion: 'aviary.dev/v1alpha1', kind: 'KioskLink', metadata: { name: id, resourceVersion: object.metadata.resourceVersion, labels: { 'app.kubernetes.io/managed-by': 'aviary' } }, spec: { ...object.spec, revoked: true, revokedBy: by, revokedAt: this.now().toISOString() } },
          }),
        );
        this.lookups.delete(id);
        return toLink(updated);
      } catch (error) {
        if (attempt >= 2) throw error;
      }
    }
  }

  /** The link a token opens, or an HttpError (401) saying why not. */
  async verify(token: string): Promise<KioskLink> {
    const { id, expiresAt } = checkToken(this.secret(), token, this.now());
    let hit = this.lookups.get(id);
    if (!hit || this.now().getTime() - hit.at > LOOKUP_TTL_MS) {
      hit = { at: this.now().getTime(), link: this.read(id).then((o) => (o ? toLink(o) : null)) };
      hit.link.catch(() => this.lookups.delete(id));
      this.lookups.set(id, hit);
      if (this.lookups.size > 1000) for (const [k, v] of this.lookups) if (this.now().getTime() - v.at > LOOKUP_TTL_MS) this.lookups.delete(k);
    }
    const link = await hit.link;
    if (!link || Math.floor(Date.parse(link.expiresAt) / 1000) !== expiresAt) throw new HttpError(401, 'kiosk-invalid', 'This kiosk link is not valid');
    if (link.revoked) throw new HttpError(401, 'kiosk-revoked', 'This kiosk link has been revoked');
    if (Date.parse(link.expiresAt) <= this.now().getTime()) throw new HttpError(401, 'kiosk-expired', 'This kiosk link has expired: ask for a new one');
    return link;
  }
}

/** The token a request carries: `Authorization: Kiosk <token>` (the wall's fetches). */
export function kioskTokenOf(request: Request): string | null {
  const header = request.headers.get('authorization') ?? '';
  const match = /^Kiosk\s+(\S+)$/i.exec(header);
  return match ? match[1] : null;
}
