import { z } from 'zod';
import { WallScope } from '@/lib/contracts/kiosk';
import { HttpError } from '@/lib/server/http/errors';
import { route } from '@/lib/server/http/handler';
import { sharedWalls, wallResponse } from '@/lib/server/kiosk/wall';
import { runtime } from '@/lib/server/runtime';

export const dynamic = 'force-dynamic';

const list = z.string().max(2000).optional().transform((s) => (s ?? '').split(',').map((x) => x.trim()).filter(Boolean));
const Query = z.object({ cluster: list, namespace: list, label: list });

/**
 * GET /api/wall?namespace=a,b&cluster=x&label=k=v: a signed-in person's wall, limited to what they
 * may read — the same text for everyone who may read the same namespaces of that scope, built once a second.
 */
export const GET = route({ query: Query }, async ({ query, viewer }) => {
  const labels = Object.fromEntries(query.label.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  if (query.label.some((l) => !l.includes('='))) throw new HttpError(400, 'bad-request', 'label: each must be key=value');
  const scope = WallScope.safeParse({ clusters: query.cluster, namespaces: query.namespace, labels });
  if (!scope.success) throw new HttpError(400, 'bad-request', scope.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const rt = runtime();
  const readsOf = viewer.kind === 'anonymous' ? null : (cluster: string, namespace: string) => rt.access.reads(cluster, viewer.identity, namespace);
  return wallResponse(await sharedWalls(rt).text(scope.data, readsOf, { title: null, expiresAt: null }));
});
