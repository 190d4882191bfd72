import 'server-only';
import { authConfig } from '@/lib/server/auth/config';
import { HttpError } from '@/lib/server/http/errors';
import { channelsFromEnv, type Channel } from '@/lib/server/notify/channel';
import { runtime } from '@/lib/server/runtime';
import type { ApprovalWorld } from './service';

let channels: Channel[] | null = null;

/** The approval flow's world for one cluster: Aviary's credentials there, the notification channels, the clock. */
export function approvalWorld(cluster: string): ApprovalWorld {
  const kc = runtime().kubeConfigs.get(cluster);
  if (!kc) throw new HttpError(404, 'not-found', `no cluster ${cluster}`);
  channels ??= channelsFromEnv();
  return { cluster, kc, channels, publicUrl: authConfig().session?.publicUrl?.origin ?? null, now: () => new Date() };
}
