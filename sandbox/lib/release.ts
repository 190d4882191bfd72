import type { Toolchain } from './build';
import { kubectl } from './kubectl';
import { SandboxError } from './sandbox';

interface Workload {
  kind: string;
  metadata: { name: string; namespace: string; resourceVersion: string };
  spec: { template: { spec: { containers: { name: string; image: string }[] } } };
}

/** `registry/app:v1` + `v2-errors` → `registry/app:v2-errors` (a registry port is not a tag). */
export function withTag(image: string, tag: string): string {
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  const repository = colon > slash ? image.slice(0, colon) : image;
  return `${repository}:${tag}`;
}

export function parseTarget(target: string): { namespace: string; name: string } {
  const match = /^([a-z0-9-]+)\/([a-z0-9.-]+)$/.exec(target ?? '');
  if (!match) throw new SandboxError(`expected <namespace>/<name>, got "${target ?? ''}"`);
  return { namespace: match[1], name: match[2] };
}

const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/**
 * Sets every container of a Rollout (or Deployment) to the new tag the way
 * `kubectl argo rollouts set image` does: read, change the images, update with the read
 * resourceVersion as precondition, and retry on a conflict.
 */
export async function release(toolchain: Toolchain, target: string, tag: string): Promise<string> {
  const { namespace, name } = parseTarget(target);
  if (!TAG.test(tag ?? '')) throw new SandboxError(`"${tag ?? ''}" is not a valid image tag`);
  for (let attempt = 1; attempt <= 5; attempt++) {
    let workload: Workload | undefined;
    for (const kind of ['rollout.argoproj.io', 'deployment.apps']) {
      const res = await kubectl(toolchain, ['get', kind, name, '-n', namespace, '-o', 'json'], { allowFailure: true });
      if (res.code === 0) {
        workload = JSON.parse(res.stdout) as Workload;
        break;
      }
    }
    if (!workload) throw new SandboxError(`no Rollout or Deployment ${namespace}/${name} in the sandbox`);
    const images: string[] = [];
    for (const container of workload.spec.template.spec.containers) {
      container.image = withTag(container.image, tag);
      images.push(`${container.name}=${container.image}`);
    }
    const res = await kubectl(toolchain, ['replace', '-f', '-'], { input: JSON.stringify(workload), allowFailure: true });
    if (res.code === 0) return `${workload.kind.toLowerCase()} ${namespace}/${name}: ${images.join(', ')}`;
    if (!res.stderr.includes('the object has been modified')) throw new SandboxError(res.stderr.trim());
  }
  throw new SandboxError(`${namespace}/${name} kept changing under us; try again`);
}
