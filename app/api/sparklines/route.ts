import { visibleWorkloads } from '@/lib/server/auth/visibility';
import { route } from '@/lib/server/http/handler';
import { redactSparklineError } from '@/lib/server/http/upstream';
import { sparklines } from '@/lib/server/prometheus/sparklines';
import { runtime } from '@/lib/server/runtime';

export const dynamic = 'force-dynamic';

/** Error-rate sparklines for every Rollout, read with its metric profile: one Prometheus query per profile, shared by all viewers. */
export const GET = route({}, async ({ requestId, viewer }) => {
  const rt = runtime();
  const workloads = await visibleWorkloads(viewer, rt.access, rt.hub.snapshot().workloads);
  const body = await sparklines(workloads, rt.prometheus, rt.chartCache, rt.config.scrapeIntervalSeconds, rt.config.metricsProfile);
  return redactSparklineError(body, requestId, 'sparklines');
});
