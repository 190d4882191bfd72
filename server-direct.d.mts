import type { IncomingMessage, ServerResponse } from 'node:http';

/** Types of server-direct.mjs (plain JavaScript, run by `node`). */
export interface DirectRoute {
  accepts: (url: URL) => boolean;
  handler: (request: Request) => Promise<Response>;
}
export interface DirectMatch {
  route: DirectRoute;
  url: URL;
}
export const directRoutes: Map<string, DirectRoute>;
export function directRoute(req: IncomingMessage): DirectMatch | undefined;
export function serveDirect(match: DirectMatch, req: IncomingMessage, res: ServerResponse): Promise<void>;
