/**
 * The deploy manifests against the sandbox's real API server: they build with kustomize, every
 * object validates server-side, Aviary's pods are admitted under the `restricted` Pod Security
 * profile and become available, and the roles they ship are exactly the ones every sandbox test
 * runs Aviary and its people with.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, type Toolchain } from '@/sandbox/lib/build';
import { paths, repoRoot } from '@/sandbox/lib/config';
import { kubectl } from '@/sandbox/lib/kubectl';

const DEPLOY = join(repoRoot, 'deploy');
const NS = 'aviary';

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  rules?: unknown[];
}

let tools: Toolchain;
let objects: Manifest[];

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

const yaml = (items: Manifest[]) => items.map((o) => JSON.stringify(o)).join('\n---\n');

beforeAll(async () => {
  tools = await ensureBuilt(() => undefined);
  const built = await kubectl(tools, ['kustomize', DEPLOY]);
  // kubectl parses the YAML (client-node's loader renames fields such as `enum`).
  const list = await kubectl(tools, ['create', '--dry-run=client', '-o', 'json', '-f', '-'], { input: built.stdout });
  // One pretty-printed JSON object per manifest, each opening and closing at column 0.
  objects = list.stdout
    .trim()
    .split(/^\}\n\{/m)
    .map((part, i, all) => JSON.parse(`${i > 0 ? '{' : ''}${part}${i < all.length - 1 ? '}' : ''}`) as Manifest);
  await kubectl(tools, ['delete', 'namespace', NS, '--ignore-not-found', '--wait=true', '--timeout=120s']);
}, 300_000);

afterAll(async () => {
  // The sandbox keeps its own objects in this namespace (the on-call Lease, the Aviary identity):
  // give them back, or every later test that elects an on-call sender finds no namespace.
  await kubectl(tools, ['delete', 'namespace', NS, '--ignore-not-found', '--wait=true', '--timeout=120s']);
  await kubectl(tools, ['apply', '--server-side', '--force-conflicts', '-f', join(paths.manifests, 'system')]);
}, 300_000);

describe('deploy/', () => {
  it('the kustomization lists every manifest in deploy/', () => {
    const text = readFileSync(join(DEPLOY, 'kustomization.yaml'), 'utf8');
    const block = /^resources:\n((?:\s+- .+\n)+)/m.exec(text)?.[1] ?? '';
    const listed = [...block.matchAll(/- (\S+)/g)].map((m) => m[1]);
    const files = readdirSync(DEPLOY, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.yaml') && !f.endsWith('kustomization.yaml'))
      .map((f) => relative(DEPLOY, join(DEPLOY, f)));
    expect([...listed].sort()).toEqual(files.sort());
  });

  it("ships the same roles the sandbox runs Aviary and its people with (Aviary's: read, review, impersonate, its own records)", async () => {
    for (const name of ['aviary', 'aviary-viewer', 'aviary-oncall', 'aviary-release-manager']) {
      const shipped = objects.find((o) => o.kind === 'ClusterRole' && o.metadata.name === name);
      expect(shipped, name).toBeDefined();
      const live = JSON.parse((await kubectl(tools, ['get', 'clusterrole', name, '-o', 'json'])).stdout) as Manifest;
      expect(shipped?.rules, name).toEqual(live.rules);
    }
    const own = objects.find((o) => o.kind === 'ClusterRole' && o.metadata.name === 'aviary')?.rules as { apiGroups: string[]; resources: string[]; verbs: string[] }[];
    // Never a write on what people act on: those go out impersonated.
    for (const rule of own.filter((r) => r.apiGroups.includes('argoproj.io') || r.apiGroups.includes('apps'))) expect(rule.verbs.sort()).toEqual(['get', 'list', 'watch']);
    const binding = objects.find((o) => o.kind === 'ClusterRoleBinding' && o.metadata.name === 'aviary') as unknown as { subjects: unknown[] };
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'aviary', namespace: NS }]);
  });

  it('every object validates on the API server, and Aviary’s pods are admitted under the restricted profile and become available', async () => {
    const namespace = objects.filter((o) => o.kind === 'Namespace');
    const namespaced = objects.filter((o) => o.metadata.namespace === NS);
    const clusterScoped = objects.filter((o) => o.kind !== 'Namespace' && o.metadata.namespace === undefined);
    // Cluster-wide objects already exist in the sandbox under the same names: validate, don't replace.
    await kubectl(tools, ['apply', '--dry-run=server', '-f', '-'], { input: yaml(clusterScoped) });
    await kubectl(tools, ['apply', '-f', '-'], { input: yaml(namespace) });
    const label = JSON.parse((await kubectl(tools, ['get', 'namespace', NS, '-o', 'json'])).stdout) as { metadata: { labels: Record<string, string> } };
    expect(label.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    await kubectl(tools, ['-n', NS, 'create', 'secret', 'generic', 'aviary-sign-in', '--from-literal=AVIARY_AUTH=none']);
    await kubectl(tools, ['apply', '-f', '-'], { input: yaml(namespaced) });
    const available = await until('aviary 2/2 available', async () => {
      const d = JSON.parse((await kubectl(tools, ['-n', NS, 'get', 'deployment', 'aviary', '-o', 'json'])).stdout) as { status?: { availableReplicas?: number } };
      return (d.status?.availableReplicas ?? 0) === 2 ? true : undefined;
    });
    expect(available).toBe(true);
    // Admission refused nothing on the way (a Pod Security violation shows as FailedCreate).
    const events = (await kubectl(tools, ['-n', NS, 'get', 'events', '-o', 'json'])).stdout;
    expect(events).not.toContain('FailedCreate');
  });
});
