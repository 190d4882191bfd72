import 'server-only';
import { z } from 'zod';
import { parseLinkTemplates } from '@/lib/rollouts/links';

/**
 * Start-up configuration from the environment, validated once:
 *   AVIARY_CLUSTERS    comma list of `name=context` (kubeconfig contexts) or `name=in-cluster`;
 *                      default: one cluster named after KUBECONFIG's current context, or in-cluster.
 *   AVIARY_NAMESPACES  comma list of namespaces to watch; default: all.
 *   AVIARY_PROMETHEUS_URL              Prometheus base URL for the charts; default: none (charts say so).
 *   AVIARY_PROMETHEUS_SCRAPE_INTERVAL  its scrape interval in seconds (rate windows are ≥ 4×); default 15.
 *   AVIARY_METRICS_PROFILE             generic | istio | linkerd | nginx, for workloads without the
 *                                      `aviary.dev/metrics-profile` annotation; default generic.
 *   AVIARY_LINKS       `Grafana=https://…{namespace}…;Traces=https://…{service}…` external links per workload.
 */
const name = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'must be a DNS label (a-z, 0-9, -)');

const ClusterSpec = z.object({ name, source: z.union([z.literal('in-cluster'), z.object({ context: z.string().min(1) })]) });
export type ClusterSpec = z.infer<typeof ClusterSpec>;

const Config = z.object({
  clusters: z.array(ClusterSpec).refine((list) => new Set(list.map((c) => c.name)).size === list.length, 'cluster names must be unique'),
  namespaces: z.array(name).optional(),
  prometheusUrl: z.url({ protocol: /^https?$/ }).optional(),
  scrapeIntervalSeconds: z.number().int().min(1).max(600),
  metricsProfile: z.enum(['generic', 'istio', 'linkerd', 'nginx']),
  links: z.array(z.object({ name: z.string(), template: z.string() })),
});
export type AviaryConfig = z.infer<typeof Config>;

export class ConfigError extends Error {}

export function parseConfig(env: Record<string, string | undefined>): AviaryConfig {
  const clusters = (env.AVIARY_CLUSTERS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const [clusterName, ...rest] = entry.split('=');
      const target = rest.join('=');
      if (!target) throw new ConfigError(`AVIARY_CLUSTERS entry "${entry}" must be name=context or name=in-cluster`);
      return { name: clusterName, source: target === 'in-cluster' ? ('in-cluster' as const) : { context: target } };
    });
  const namespaces = (env.AVIARY_NAMESPACES ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const scrape = env.AVIARY_PROMETHEUS_SCRAPE_INTERVAL;
  const result = Config.safeParse({
    clusters,
    namespaces: namespaces.length > 0 ? namespaces : undefined,
    prometheusUrl: env.AVIARY_PROMETHEUS_URL || undefined,
    scrapeIntervalSeconds: scrape ? Number(scrape) : 15,
    metricsProfile: env.AVIARY_METRICS_PROFILE || 'generic',
    links: (() => {
      try {
        return parseLinkTemplates(env.AVIARY_LINKS);
      } catch (error) {
        throw new ConfigError(`invalid Aviary configuration: AVIARY_LINKS: ${(error as Error).message}`);
      }
    })(),
  });
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid Aviary configuration: ${issues}`);
  }
  return result.data;
}
