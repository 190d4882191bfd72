import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { host, paths, ports, repoRoot, urls } from './config';
import type { Toolchain } from './build';
import { get } from './http';
import { kubectl } from './kubectl';
import { identities, pkiFiles, writeKubeconfig } from './pki';
import { identityProvider } from './oidc';

/** One long-running process of the sandbox. */
export interface Component {
  name: string;
  ports: number[];
  command: (toolchain: Toolchain) => string;
  args: (toolchain: Toolchain) => string[];
  env?: () => NodeJS.ProcessEnv;
  /** Files the component needs written before it starts. */
  prepare?: (toolchain: Toolchain) => Promise<void>;
  ready: () => Promise<boolean>;
  readyTimeoutMs: number;
  endpoint?: string;
  /**
   * Restart this component when the API server had to be restarted under it. Its informers back off
   * while the API server is away (client-go: up to 30 s plus as much jitter), so it would act on a
   * cache up to a minute old once the API server is back:
   * - kwok would see pods the node lifecycle controller marked NotReady late, and renew node leases
   *   from that stale cache (every renewal a Conflict, so nodes drop out again). A real kubelet has
   *   neither problem: it renews its lease and re-syncs pod status directly.
   * - kube-controller-manager's node lifecycle controller would judge nodes by lease renewals it has
   *   not seen yet and mark them (and their pods) NotReady, again and again until its watches catch
   *   up, and the Deployment controller would report stale availability — measured: Deployments
   *   unavailable and pods flapping for 80 s after a 40 s outage. In a real control plane the
   *   controller-manager runs with leader election and exits when it cannot renew its lease for
   *   10 s, and the kubelet starts it again: a restart is what a real cluster does here.
   */
  restartAfterApiserver?: boolean;
}

async function adminTls() {
  return {
    ca: await readFile(pkiFiles.caCert),
    cert: await readFile(pkiFiles.clientCert(identities.admin)),
    key: await readFile(pkiFiles.clientKey(identities.admin)),
  };
}

const ok = async (url: string, insecure = false) => (await get(url, { insecure })).status === 200;
const kubeconfigOf = (identity: keyof typeof identities) => paths.kubeconfigFor(identities[identity].name);

export const components: Component[] = [
  {
    name: 'etcd',
    ports: [ports.etcd, ports.etcdPeer],
    command: (t) => t.kube.bin('etcd'),
    args: () => [
      '--name=aviary-sandbox',
      `--data-dir=${paths.etcdData}`,
      `--listen-client-urls=${urls.etcd}`,
      `--advertise-client-urls=${urls.etcd}`,
      `--listen-peer-urls=http://${host}:${ports.etcdPeer}`,
      `--initial-advertise-peer-urls=http://${host}:${ports.etcdPeer}`,
      `--initial-cluster=aviary-sandbox=http://${host}:${ports.etcdPeer}`,
      '--quota-backend-bytes=2147483648',
      '--auto-compaction-retention=1h',
      '--log-level=warn',
    ],
    ready: async () => (await get(`${urls.etcd}/health`)).body.includes('"health":"true"'),
    readyTimeoutMs: 30_000,
    endpoint: urls.etcd,
  },
  {
    name: 'kube-apiserver',
    ports: [ports.apiserver],
    command: (t) => t.kube.bin('kube-apiserver'),
    args: () => [
      `--etcd-servers=${urls.etcd}`,
      `--bind-address=${host}`,
      `--advertise-address=${host}`,
      `--secure-port=${ports.apiserver}`,
      `--tls-cert-file=${pkiFiles.serverCert}`,
      `--tls-private-key-file=${pkiFiles.serverKey}`,
      `--client-ca-file=${pkiFiles.caCert}`,
      `--service-account-key-file=${pkiFiles.saPub}`,
      `--service-account-signing-key-file=${pkiFiles.saKey}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      '--service-cluster-ip-range=10.96.0.0/16',
      '--authorization-mode=RBAC',
      '--allow-privileged=true',
      '--profiling=false',
      '--endpoint-reconciler-type=none',
      '--v=1',
    ],
    prepare: async () => {
      for (const identity of Object.keys(identities) as (keyof typeof identities)[]) {
        await writeKubeconfig(identities[identity], kubeconfigOf(identity));
      }
      await writeKubeconfig(identities.admin, paths.kubeconfig);
    },
    ready: async () => {
      const res = await get(`${urls.apiserver}/readyz`, await adminTls());
      return res.status === 200;
    },
    readyTimeoutMs: 90_000,
    endpoint: urls.apiserver,
  },
  {
    name: 'kube-controller-manager',
    ports: [ports.controllerManager],
    command: (t) => t.kube.bin('kube-controller-manager'),
    args: () => [
      `--kubeconfig=${kubeconfigOf('controllerManager')}`,
      `--authentication-kubeconfig=${kubeconfigOf('controllerManager')}`,
      `--authorization-kubeconfig=${kubeconfigOf('controllerManager')}`,
      `--bind-address=${host}`,
      `--secure-port=${ports.controllerManager}`,
      `--cert-dir=${join(paths.generated, 'kube-controller-manager')}`,
      `--service-account-private-key-file=${pkiFiles.saKey}`,
      `--root-ca-file=${pkiFiles.caCert}`,
      `--cluster-signing-cert-file=${pkiFiles.caCert}`,
      `--cluster-signing-key-file=${pkiFiles.caKey}`,
      '--use-service-account-credentials=true',
      '--leader-elect=false',
      '--controllers=*,-nodeipam,-cloud-node-lifecycle,-service-lb-controller,-node-route-controller',
      '--horizontal-pod-autoscaler-sync-period=15s',
      // Shorter than the default 50 s so node-loss tests (API server away longer than this) stay
      // short; still 2.5 × kwok's 10 s lease renewal, so one late renewal on a busy machine is no outage.
      '--node-monitor-grace-period=25s',
      '--v=1',
    ],
    ready: () => ok(`https://${host}:${ports.controllerManager}/healthz`, true),
    readyTimeoutMs: 60_000,
    restartAfterApiserver: true,
  },
  {
    name: 'kube-scheduler',
    ports: [ports.scheduler],
    command: (t) => t.kube.bin('kube-scheduler'),
    args: () => [
      `--kubeconfig=${kubeconfigOf('scheduler')}`,
      `--authentication-kubeconfig=${kubeconfigOf('scheduler')}`,
      `--authorization-kubeconfig=${kubeconfigOf('scheduler')}`,
      `--bind-address=${host}`,
      `--secure-port=${ports.scheduler}`,
      `--cert-dir=${join(paths.generated, 'kube-scheduler')}`,
      '--leader-elect=false',
      '--v=1',
    ],
    ready: () => ok(`https://${host}:${ports.scheduler}/healthz`, true),
    readyTimeoutMs: 60_000,
  },
  {
    name: 'kwok',
    ports: [ports.kwok],
    command: (t) => t.kwok.bin('kwok'),
    args: () => [
      `--kubeconfig=${kubeconfigOf('kwok')}`,
      `--config=${join(paths.manifests, 'kwok', 'stages.yaml')}`,
      '--manage-all-nodes=false',
      '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
      `--server-address=${host}:${ports.kwok}`,
      '--node-ip=10.0.0.1',
    ],
    // kwok takes a random holder identity per process, so a new kwok would wait out the dead one's
    // node leases (40 s) before managing any node, long enough for every node to be marked lost.
    // The previous kwok is gone whenever we start one, so its leases are released first.
    prepare: async (t) => {
      await kubectl(t, ['delete', 'leases', '--all', '--namespace=kube-node-lease', '--wait=false']);
    },
    ready: () => ok(`http://${host}:${ports.kwok}/healthz`),
    readyTimeoutMs: 30_000,
    restartAfterApiserver: true,
  },
  {
    name: 'argo-rollouts',
    ports: [ports.argoMetrics, ports.argoHealthz],
    command: (t) => t.argo.bin('rollouts-controller'),
    args: () => [
      `--kubeconfig=${kubeconfigOf('argo')}`,
      '--leader-elect=false',
      `--metricsPort=${ports.argoMetrics}`,
      `--healthzPort=${ports.argoHealthz}`,
      '--loglevel=info',
    ],
    env: () => ({ ...process.env, POD_NAMESPACE: 'argo-rollouts' }),
    ready: () => ok(`http://${host}:${ports.argoHealthz}/healthz`),
    readyTimeoutMs: 60_000,
    endpoint: `http://${host}:${ports.argoMetrics}/metrics`,
  },
  {
    name: 'traffic-simulator',
    ports: [ports.simulator],
    command: () => process.execPath,
    args: () => ['--import', 'tsx', join(repoRoot, 'sandbox', 'simulator', 'main.ts')],
    env: () => ({ ...process.env, KUBECONFIG: kubeconfigOf('simulator'), SIMULATOR_PORT: String(ports.simulator) }),
    ready: () => ok(`${urls.simulator}/healthz`),
    readyTimeoutMs: 30_000,
    endpoint: `${urls.simulator}/metrics`,
  },
  {
    name: 'prometheus',
    ports: [ports.prometheus],
    command: () => '/usr/bin/prometheus',
    args: () => [
      `--config.file=${join(paths.generated, 'prometheus.yml')}`,
      `--storage.tsdb.path=${paths.prometheusData}`,
      '--storage.tsdb.retention.time=2d',
      `--web.listen-address=${host}:${ports.prometheus}`,
      '--log.level=warn',
    ],
    prepare: async () => {
      await mkdir(paths.generated, { recursive: true });
      await writeFile(
        join(paths.generated, 'prometheus.yml'),
        [
          'global:',
          '  scrape_interval: 5s',
          '  evaluation_interval: 5s',
          // Seed 002's alert rules (adapted to the simulator's series); Aviary reads what fires.
          'rule_files:',
          `  - ${JSON.stringify(join(repoRoot, 'sandbox', 'prometheus', 'progressive-delivery.rules.yml'))}`,
          'scrape_configs:',
          '  - job_name: traffic-simulator',
          '    honor_labels: true',
          '    static_configs:',
          `      - targets: ['${host}:${ports.simulator}']`,
          '  - job_name: argo-rollouts',
          '    static_configs:',
          `      - targets: ['${host}:${ports.argoMetrics}']`,
          '',
        ].join('\n'),
      );
    },
    ready: () => ok(`${urls.prometheus}/-/ready`),
    readyTimeoutMs: 30_000,
    endpoint: urls.prometheus,
  },
  identityProvider,
];
