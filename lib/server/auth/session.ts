import 'server-only';
import { hkdfSync } from 'node:crypto';
import { EncryptJWT, jwtDecrypt } from 'jose';
import { z } from 'zod';
import type { SessionSettings } from '@/lib/server/auth/config';

/** Who is asking: the signed-in user and their groups, as the cluster will be told to impersonate them. */
export interface Identity {
  user: string;
  groups: string[];
  /** When the sign-in ends; null when an auth proxy vouches for every request on its own. */
  expiresAt: Date | null;
}

/**
 * Each purpose gets its own key (HKDF from the one secret), so a sealed sign-in transaction can
 * never be replayed as a session, nor the other way round.
 */
export type SealPurpose = 'session' | 'login';

function keyFor(secret: string, purpose: SealPurpose): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', secret, 'aviary', `aviary ${purpose} cookie v1`, 32));
}

/** Encrypts (AES-256-GCM, JWE `dir`) a payload that stops being accepted at `expiresAt`. */
export async function seal(
  payload: Record<string, unknown>,
  secret: string,
  purpose: SealPurpose,
  expiresAt: Date,
  now: Date = new Date(),
): Promise<string> {
  return new EncryptJWT(payload)
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
    .setIssuedAt(Math.floor(now.getTime() / 1000))
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .encrypt(keyFor(secret, purpose));
}

/** The payload, or null when the token is tampered with, sealed for another purpose or expired. */
export async function unseal(token: string, secret: string, purpose: SealPurpose, now: Date = new Date()): Promise<Record<string, unknown> | null> {
  try {
    const { payload } = await jwtDecrypt(token, keyFor(secret, purpose), {
      keyManagementAlgorithms: ['dir'],
      contentEncryptionAlgorithms: ['A256GCM'],
      currentDate: now,
      clockTolerance: 0,
    });
    return payload;
  } catch {
    return null;
  }
}

const SessionPayload = z.object({ user: z.string().min(1), groups: z.array(z.string()), exp: z.number() });

export async function sealSession(
  identity: { user: string; groups: string[] },
  settings: SessionSettings,
  now: Date = new Date(),
): Promise<{ value: string; expiresAt: Date }> {
  const expiresAt = new Date(now.getTime() + settings.ttlSeconds * 1000);
  const value = await seal({ user: identity.user, groups: identity.groups }, settings.secret, 'session', expiresAt, now);
  return { value, expiresAt };
}

export async function openSession(value: string, settings: SessionSettings, now: Date = new Date()): Promise<Identity | null> {
  const parsed = SessionPayload.safeParse(await unseal(value, settings.secret, 'session', now));
  if (!parsed.success) return null;
  return { user: parsed.data.user, groups: parsed.data.groups, expiresAt: new Date(parsed.data.exp * 1000) };
}
