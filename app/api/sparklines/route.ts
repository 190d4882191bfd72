import { fromError } from '@/lib/server/http/respond';
import { sparklines } from '@/lib/server/prometheus/sparklines';
import { runtime } from '@/lib/server/runtime';

export const dynamic = 'force-dynamic';

/** Error-rate sparklines for every Rollout, from one Prometheus query shared by all viewers. */
export async function GET(): Promise<Response> {
  try {
    const rt = runtime();
    const body = await sparklines(rt.hub.snapshot().workloads, rt.prometheus, rt.chartCache, rt.config.scrapeIntervalSeconds);
    return Response.json(body, { headers: { 'Cache-Control': 'no-store' } });
  } catch (error) {
    return fromError(error);
  }
}
