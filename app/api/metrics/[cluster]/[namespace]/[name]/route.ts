import { z } from 'zod';
import { MetricsWindow } from '@/lib/contracts/metrics';
import type { AnalysisRunObject } from '@/lib/rollouts/objects';
import { workloadCharts } from '@/lib/server/prometheus/charts';
import { errorResponse, fromError } from '@/lib/server/http/respond';
import { runtime } from '@/lib/server/runtime';

export const dynamic = 'force-dynamic';

const dns = z.string().regex(/^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/);
const Params = z.object({ cluster: dns, namespace: dns, name: dns });

/** Canary-vs-stable and analysis charts for one Rollout; `?window=rollout|15m|1h|6h`. */
export async function GET(request: Request, { params }: { params: Promise<Record<string, string>> }): Promise<Response> {
  const parsed = Params.safeParse(await params);
  if (!parsed.success) return errorResponse(400, 'bad-request', 'cluster, namespace and name must be DNS names');
  const window = MetricsWindow.safeParse(new URL(request.url).searchParams.get('window') ?? 'rollout');
  if (!window.success) return errorResponse(400, 'bad-request', 'window must be one of rollout, 15m, 1h, 6h');
  try {
    const rt = runtime();
    const { cluster, namespace, name } = parsed.data;
    const cache = rt.caches.find((c) => c.cluster === cluster);
    const workload = cache?.workloads.get(`${cluster}/Rollout/${namespace}/${name}`);
    if (!cache || !workload) return errorResponse(404, 'not-found', `no Rollout ${namespace}/${name} in cluster ${cluster}`);
    const runs = cache.objects<AnalysisRunObject>('analysisRuns');
    const body = await workloadCharts(workload, runs, window.data, {
      client: rt.prometheus,
      cache: rt.chartCache,
      scrapeIntervalSeconds: rt.config.scrapeIntervalSeconds,
      defaultProfile: rt.config.metricsProfile,
    });
    return Response.json(body, { headers: { 'Cache-Control': 'no-store' } });
  } catch (error) {
    return fromError(error);
  }
}
