// The production server (`npm start`): Next's own request handler behind a plain Node HTTP server
// that owns the sockets, so route handlers can learn the TCP peer of each request. Only that peer —
// never a header a client could type — decides whether an authenticating proxy's identity headers
// are believed (AVIARY_TRUSTED_PROXIES, lib/server/auth/proxy.ts).
//
// Plain JavaScript on purpose: it runs with `node`, no build step and no dev dependency.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createServer } from 'node:http';
import next from 'next';
import { directRoute, serveDirect } from './server-direct.mjs';

// The same store lib/server/auth/peer.ts reads: shared through a registered symbol, because this
// file and the bundled route code are separate module graphs.
const key = Symbol.for('aviary.auth.peerAddress');
const peers = (globalThis[key] ??= new AsyncLocalStorage());

// Not HOSTNAME: containers export it as the pod's name.
const hostname = process.env.AVIARY_LISTEN_HOST || '127.0.0.1';
const port = Number(process.env.PORT || 3000);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(`aviary: PORT must be a TCP port, got ${JSON.stringify(process.env.PORT)}`);
  process.exit(1);
}

const app = next({ dev: false, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((req, res) => {
  const address = req.socket.remoteAddress;
  // The stream and the shared snapshot, once their route modules have loaded: their handlers, called directly.
  const direct = directRoute(req);
  const run = direct ? () => serveDirect(direct, req, res) : () => handle(req, res);
  // Without a known peer the store stays empty and proxy headers are ignored: fail closed.
  if (address) peers.run(address, run);
  else run();
});
// Server-sent event streams stay open for as long as a page does.
server.requestTimeout = 0;
server.listen(port, hostname, () => console.log(`aviary: listening on http://${hostname}:${port}`));

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 5000).unref();
  });
}
