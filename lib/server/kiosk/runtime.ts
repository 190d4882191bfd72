import 'server-only';
import { authConfig } from '@/lib/server/auth/config';
import { runtime } from '@/lib/server/runtime';
import { KioskLinks, kioskSecret } from './links';

const holder = globalThis as unknown as { __aviaryKiosk?: KioskLinks };

/** The process's kiosk links, stored in Aviary's first cluster. */
export function kioskLinks(): KioskLinks {
  if (!holder.__aviaryKiosk) {
    const rt = runtime();
    const home = rt.caches[0]?.cluster;
    const kc = home ? rt.kubeConfigs.get(home) : undefined;
    if (!kc) throw new Error('kiosk links: no cluster');
    holder.__aviaryKiosk = new KioskLinks(kc, () => kioskSecret(authConfig().session?.secret ?? null));
  }
  return holder.__aviaryKiosk;
}
