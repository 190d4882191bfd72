/**
 * Scale content for benchmarks: more kwok nodes (AVIARY_SANDBOX_NODES) and many small canary
 * Rollouts in their own namespaces (`npm run sandbox:scale -- 1000`). Never touches the demo.
 */
import type { Toolchain } from './build';
import { kubectl } from './kubectl';

export const SCALE_NAMESPACES = 10;
/** kwok gives every fake node room for 110 pods: 3 nodes (the default) hold 330. */
export const PODS_PER_NODE = 110;

/** How many fake nodes the sandbox runs: AVIARY_SANDBOX_NODES, at least the 3 of the base manifests. */
export function nodeCount(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.AVIARY_SANDBOX_NODES;
  if (raw === undefined || raw === '') return 3;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 500) throw new Error(`AVIARY_SANDBOX_NODES must be a whole number of nodes (1-500), got "${raw}"`);
  return Math.max(3, value);
}

const ZONES = ['zone-a', 'zone-b', 'zone-c'];

/** Nodes beyond the base manifests' three, named like them (kwok-node-3, kwok-node-4…). */
export function extraNodesYaml(count: number): string {
  const docs: string[] = [];
  for (let i = 3; i < count; i++) {
    docs.push(
      [
        'apiVersion: v1',
        'kind: Node',
        'metadata:',
        `  name: kwok-node-${i}`,
        '  annotations: { kwok.x-k8s.io/node: fake }',
        `  labels: { type: kwok, kubernetes.io/hostname: kwok-node-${i}, kubernetes.io/os: linux, topology.kubernetes.io/zone: ${ZONES[i % ZONES.length]} }`,
      ].join('\n'),
    );
  }
  return docs.join('\n---\n');
}

export const scaleNamespace = (i: number) => `scale-${String(i).padStart(2, '0')}`;

/** `total` basic-canary Rollouts with 2 replicas each, spread over SCALE_NAMESPACES namespaces. */
export function scaleYaml(total: number, namespaceIndex: number): string {
  const perNamespace = Math.ceil(total / SCALE_NAMESPACES);
  const ns = scaleNamespace(namespaceIndex);
  const first = namespaceIndex * perNamespace;
  const docs = [`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n  labels: { aviary.dev/scale: "true" }`];
  for (let i = first; i < Math.min(total, first + perNamespace); i++) {
    const name = `svc-${String(i).padStart(4, '0')}`;
    docs.push(`apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: ${name}
  namespace: ${ns}
  labels: { team: team-${i % 17}, aviary.dev/scale: "true" }
spec:
  replicas: 2
  revisionHistoryLimit: 2
  selector:
    matchLabels: { app: ${name} }
  strategy:
    canary:
      steps:
        - setWeight: 50
        - pause: { duration: 10s }
  template:
    metadata:
      labels: { app: ${name} }
    spec:
      containers:
        - name: app
          image: registry.example.com/scale/${name}:v1.0.${i % 7}
          resources: { requests: { cpu: 1m, memory: 4Mi } }`);
  }
  return docs.join('\n---\n');
}

export async function ensureNodes(toolchain: Toolchain, count = nodeCount()): Promise<void> {
  const yaml = extraNodesYaml(count);
  if (yaml) await kubectl(toolchain, ['apply', '--server-side', '--force-conflicts', '-f', '-'], { input: yaml });
}

/** Creates (or updates) the scale Rollouts; `total` 0 deletes the scale namespaces. */
export async function applyScale(toolchain: Toolchain, total: number, log: (line: string) => void): Promise<void> {
  if (total === 0) {
    await kubectl(toolchain, ['delete', 'namespace', '-l', 'aviary.dev/scale=true', '--wait=false']);
    log('scale namespaces deleted');
    return;
  }
  const needed = Math.ceil((total * 2) / PODS_PER_NODE) + 3;
  const nodes = Math.max(nodeCount(), needed);
  await ensureNodes(toolchain, nodes);
  log(`${nodes} kwok nodes (room for ${nodes * PODS_PER_NODE} pods)`);
  for (let i = 0; i < SCALE_NAMESPACES; i++) {
    await kubectl(toolchain, ['apply', '--server-side', '--force-conflicts', '-f', '-'], { input: scaleYaml(total, i) });
    log(`  ${scaleNamespace(i)}: applied`);
  }
  log(`${total} Rollouts with 2 replicas each applied in ${SCALE_NAMESPACES} namespaces`);
}
