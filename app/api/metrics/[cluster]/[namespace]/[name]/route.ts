import { z } from 'zod';
import { MetricsWindow } from '@/lib/contracts/metrics';
import type { AnalysisRunObject } from '@/lib/rollouts/objects';
import { mayRead } from '@/lib/server/auth/visibility';
import { workloadCharts } from '@/lib/server/prometheus/charts';
import { HttpError } from '@/lib/server/http/errors';
import { route } from '@/lib/server/http/handler';
import { redactPanelErrors } from '@/lib/server/http/upstream';
import { runtime } from '@/lib/server/runtime';

export const dynamic = 'force-dynamic';

const dns = z.string().regex(/^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/, 'must be a DNS name');
const Params = z.object({ cluster: dns, namespace: dns, name: dns });
const Query = z.object({ window: MetricsWindow.default('rollout') });

/** Canary-vs-stable and analysis charts for one Rollout; `?window=rollout|15m|1h|6h`. */
export const GET = route({ params: Params, query: Query }, async ({ params, query, requestId, viewer }) => {
  const rt = runtime();
  const { cluster, namespace, name } = params;
  const cache = rt.caches.find((c) => c.cluster === cluster);
  const workload = cache?.workloads.get(`${cluster}/Rollout/${namespace}/${name}`);
  // Not readable looks exactly like not there: the name of a namespace one may not read is not an answer either.
  if (!cache || !workload || !(await mayRead(viewer, rt.access, workload))) throw new HttpError(404, 'not-found', `no Rollout ${namespace}/${name} in cluster ${cluster}`);
  const runs = cache.objects<AnalysisRunObject>('analysisRuns');
  const body = await workloadCharts(workload, runs, query.window, {
    client: rt.prometheus,
    cache: rt.chartCache,
    scrapeIntervalSeconds: rt.config.scrapeIntervalSeconds,
    defaultProfile: rt.config.metricsProfile,
  });
  return redactPanelErrors(body, requestId, `metrics ${namespace}/${name}`);
});
