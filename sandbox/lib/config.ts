import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Where the repository lives; every sandbox path hangs off it. */
export const repoRoot = resolve(import.meta.dirname, '..', '..');
/** Run-time state of one sandbox: pki, kubeconfigs, data, logs, pids. Git-ignored. */
export const stateDir = process.env.AVIARY_SANDBOX_DIR ?? join(repoRoot, '.sandbox');
/** Built binaries live outside the repository, keyed by the tool modules' sums. */
export const cacheRoot =
  process.env.AVIARY_SANDBOX_CACHE ??
  join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'aviary', 'sandbox');

function port(name: string, fallback: number): number {
  const raw = process.env[`AVIARY_SANDBOX_${name}_PORT`];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new Error(`AVIARY_SANDBOX_${name}_PORT must be a port number (1-65535), got "${raw}"`);
  }
  return value;
}

/** Every port the sandbox listens on, all on 127.0.0.1; override with AVIARY_SANDBOX_<NAME>_PORT. */
export const ports = {
  etcd: port('ETCD', 23790),
  etcdPeer: port('ETCD_PEER', 23800),
  apiserver: port('APISERVER', 26443),
  controllerManager: port('CONTROLLER_MANAGER', 20257),
  scheduler: port('SCHEDULER', 20259),
  kwok: port('KWOK', 20247),
  argoMetrics: port('ARGO_METRICS', 28090),
  argoHealthz: port('ARGO_HEALTHZ', 28080),
  prometheus: port('PROMETHEUS', 29090),
  simulator: port('SIMULATOR', 29100),
  oidc: port('OIDC', 29400),
} as const;

export const host = '127.0.0.1';

/** How long `up` waits for the demo workloads to settle before reporting the ones still moving. */
export const settleTimeoutMs = (() => {
  const raw = process.env.AVIARY_SANDBOX_SETTLE_SECONDS;
  const seconds = raw === undefined || raw === '' ? 120 : Number(raw);
  if (!Number.isFinite(seconds) || seconds < 0) throw new Error(`AVIARY_SANDBOX_SETTLE_SECONDS must be a number of seconds, got "${raw}"`);
  return seconds * 1000;
})();

export const paths = {
  pki: join(stateDir, 'pki'),
  logs: join(stateDir, 'logs'),
  etcdData: join(stateDir, 'etcd'),
  prometheusData: join(stateDir, 'prometheus'),
  generated: join(stateDir, 'generated'),
  state: join(stateDir, 'state.json'),
  kubeconfig: join(stateDir, 'kubeconfig'),
  kubeconfigFor: (user: string) => join(stateDir, 'kubeconfigs', `${user}.kubeconfig`),
  manifests: join(repoRoot, 'sandbox', 'manifests'),
  tools: join(repoRoot, 'sandbox', 'tools'),
};

export const urls = {
  apiserver: `https://${host}:${ports.apiserver}`,
  prometheus: `http://${host}:${ports.prometheus}`,
  simulator: `http://${host}:${ports.simulator}`,
  oidc: `http://${host}:${ports.oidc}`,
  etcd: `http://${host}:${ports.etcd}`,
};

export const kubernetesVersion = 'v1.34.4';
