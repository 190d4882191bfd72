import { route } from '@/lib/server/http/handler';
import { redactSparklineError } from '@/lib/server/http/upstream';
import { sparklines } from '@/lib/server/prometheus/sparklines';
import { runtime } from '@/lib/server/runtime';

export const dynamic = 'force-dynamic';

/** Error-rate sparklines for every Rollout, from one Prometheus query shared by all viewers. */
export const GET = route({}, async ({ requestId }) => {
  const rt = runtime();
  const body = await sparklines(rt.hub.snapshot().workloads, rt.prometheus, rt.chartCache, rt.config.scrapeIntervalSeconds);
  return redactSparklineError(body, requestId, 'sparklines');
});
