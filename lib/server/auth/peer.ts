import 'server-only';
import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The TCP peer of the request being handled. Next.js route handlers never see the socket, and
 * `X-Forwarded-For` is whatever the client sent, so the server that owns the socket records the
 * peer here (runWithPeerAddress) around each request. The store lives on globalThis under a
 * registered symbol: the server and the bundled route code load separate copies of this module.
 * Without it the peer is unknown and proxy headers are ignored: fail closed.
 */
const key = Symbol.for('aviary.auth.peerAddress');
type PeerStore = AsyncLocalStorage<string>;
const globals = globalThis as typeof globalThis & { [key]?: PeerStore };
const store: PeerStore = (globals[key] ??= new AsyncLocalStorage<string>());

/** `::ffff:10.0.0.1` (IPv4 on a dual-stack socket) is the IPv4 peer 10.0.0.1. */
export function normalizeAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1] : address;
}

export function runWithPeerAddress<T>(address: string | undefined, fn: () => T): T {
  return address ? store.run(normalizeAddress(address), fn) : fn();
}

export function peerAddress(): string | null {
  return store.getStore() ?? null;
}
