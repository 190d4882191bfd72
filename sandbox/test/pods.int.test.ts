import { describe, expect, it } from 'vitest';
import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import { core, freshTag, release, waitFor } from '@/test/sandbox';

/** Pods of `app` whose first container runs an image ending in `suffix`. */
async function podsWithImage(namespace: string, app: string, suffix: string): Promise<V1Pod[]> {
  const pods = await core.listNamespacedPod({ namespace, labelSelector: `app=${app}` });
  return pods.items.filter((p) => p.spec?.containers[0]?.image?.endsWith(suffix) && !p.metadata?.deletionTimestamp);
}

const status = (pod: V1Pod): V1ContainerStatus | undefined => pod.status?.containerStatuses?.[0];
const isReady = (pod: V1Pod) => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

describe('kwok pod behaviour by image tag (what the diagnostics must explain)', () => {
  it('*-oom pods crash-loop with OOMKilled as the last termination and never become Ready', async () => {
    await release('search/search-api', freshTag('v5.3', '-oom'));
    const pod = await waitFor(
      'a crash-looping search-api pod',
      async () => (await podsWithImage('search', 'search-api', '-oom')).find((p) => status(p)?.state?.waiting?.reason === 'CrashLoopBackOff'),
      { timeoutMs: 90_000 },
    );
    expect(status(pod)?.lastState?.terminated).toMatchObject({ reason: 'OOMKilled', exitCode: 137 });
    expect(status(pod)?.restartCount).toBeGreaterThanOrEqual(1);
    expect(isReady(pod)).toBe(false);
    expect(pod.status?.phase).toBe('Running');
  });

  it('*-pullfail pods stay Pending in ImagePullBackOff', async () => {
    await release('search/suggest', freshTag('v0.9', '-pullfail'));
    const pod = await waitFor(
      'a suggest pod that cannot pull its image',
      async () => (await podsWithImage('search', 'suggest', '-pullfail')).find((p) => status(p)?.state?.waiting?.reason === 'ImagePullBackOff'),
      { timeoutMs: 60_000 },
    );
    expect(pod.status?.phase).toBe('Pending');
    expect(status(pod)?.state?.waiting?.message).toContain('-pullfail');
    expect(isReady(pod)).toBe(false);
  });

  it('a healthy tag afterwards brings both back to Ready pods', async () => {
    await release('search/search-api', freshTag('v5.4'));
    await release('search/suggest', freshTag('v0.10'));
    for (const app of ['search-api', 'suggest']) {
      await waitFor(
        `${app} to run only Ready pods again`,
        async () => {
          const pods = (await core.listNamespacedPod({ namespace: 'search', labelSelector: `app=${app}` })).items.filter(
            (p) => !p.metadata?.deletionTimestamp,
          );
          return pods.length > 0 && pods.every(isReady) ? pods : undefined;
        },
        { timeoutMs: 150_000, intervalMs: 1000 },
      );
    }
  });
});
