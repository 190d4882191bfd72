import 'server-only';
import { KubeConfig } from '@kubernetes/client-node';
import { NamespaceAccess } from '@/lib/server/auth/access';
import { impersonatedReview, PermissionCache } from '@/lib/server/auth/permissions';
import { ClusterCache } from '@/lib/server/cluster/cache';
import { reviewReads } from '@/lib/server/kube/access-review';
import { ConfigError, parseConfig, type AviaryConfig } from '@/lib/server/config';
import { StreamHub } from '@/lib/server/stream/hub';
import { CoalescingCache } from '@/lib/server/prometheus/cache';
import { PrometheusClient, type Series } from '@/lib/server/prometheus/client';
import { parseOnCallConfig } from '@/lib/server/oncall/config';
import { OnCallEngine } from '@/lib/server/oncall/engine';
import { AlertsReader } from '@/lib/server/prometheus/alerts';

export interface Runtime {
  config: AviaryConfig;
  caches: ClusterCache[];
  hub: StreamHub;
  prometheus: PrometheusClient | null;
  /** Shared by every viewer: one Prometheus query per (query, window, step). */
  chartCache: CoalescingCache<Series[]>;
  /** Aviary's own credentials per cluster: reads, access reviews, impersonated writes, the audit. */
  kubeConfigs: Map<string, KubeConfig>;
  /** Who may read which namespace: one decision cache shared by every viewer. */
  access: NamespaceAccess;
  /** Which actions a person may take (SelfSubjectAccessReview under impersonation), cached briefly. */
  permissions: PermissionCache;
  /** On-call paging from the caches (one sender among replicas, chosen by a Lease). */
  oncall: OnCallEngine;
  /** Firing alerts from Prometheus, read once for every viewer; null without Prometheus. */
  alerts: AlertsReader | null;
}

function kubeConfigFor(spec: AviaryConfig['clusters'][number] | undefined): { name: string; kc: KubeConfig } {
  const kc = new KubeConfig();
  if (!spec) {
    kc.loadFromDefault();
    const context = kc.getCurrentContext();
    if (!kc.getCurrentCluster()) throw new ConfigError('no cluster: set KUBECONFIG, run in a pod, or set AVIARY_CLUSTERS');
    const name = (context || 'default').toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '') || 'default';
    return { name, kc };
  }
  if (spec.source === 'in-cluster') kc.loadFromCluster();
  else {
    kc.loadFromDefault();
    if (!kc.getContextObject(spec.source.context)) throw new ConfigError(`cluster ${spec.name}: no kubeconfig context "${spec.source.context}"`);
    kc.setCurrentContext(spec.source.context);
  }
  return { name: spec.name, kc };
}

function create(): Runtime {
  const config = parseConfig(process.env);
  const specs = config.clusters.length > 0 ? config.clusters : [undefined];
  const kubeConfigs = new Map<string, KubeConfig>();
  const caches = specs.map((spec) => {
    const { name, kc } = kubeConfigFor(spec);
    kubeConfigs.set(name, kc);
    return new ClusterCache(name, kc, config.namespaces);
  });
  const access = new NamespaceAccess(async (cluster, subject, namespace) => {
    const kc = kubeConfigs.get(cluster);
    if (!kc) return { rollouts: false, deployments: false };
    return reviewReads(kc, subject, namespace);
  });
  setInterval(() => access.prune(), 60_000).unref();
  const hub = new StreamHub({
    workloads: () => caches.flatMap((c) => [...c.workloads.values()]).sort((a, b) => a.id.localeCompare(b.id)),
    health: () => caches.map((c) => c.currentHealth()),
  });
  for (const cache of caches) {
    cache.onChanges((changes) => hub.publish(changes));
    cache.onHealth((health) => hub.publish([{ type: 'health', health }]));
    cache.start();
  }
  const prometheus = config.prometheusUrl ? new PrometheusClient(config.prometheusUrl) : null;
  const chartCache = new CoalescingCache<Series[]>(Math.max(2000, (config.scrapeIntervalSeconds * 1000) / 2));
  const permissions = new PermissionCache(impersonatedReview(kubeConfigs));
  let oncallConfig;
  try {
    oncallConfig = parseOnCallConfig(process.env);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  const oncall = new OnCallEngine({ config: oncallConfig, sources: caches, kubeConfigs, namespaces: config.namespaces });
  oncall.start();
  const alerts = prometheus ? new AlertsReader(prometheus) : null;
  return { config, caches, hub, prometheus, chartCache, kubeConfigs, access, permissions, oncall, alerts };
}

const holder = globalThis as unknown as { __aviaryRuntime?: Runtime };

/** The process's one runtime (one cache per cluster, one hub), created on first use. */
export function runtime(): Runtime {
  holder.__aviaryRuntime ??= create();
  return holder.__aviaryRuntime;
}
