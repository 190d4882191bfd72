import { describe, expect, it } from 'vitest';
import type { ContainerStatus, PodObject } from './objects';
import { summarisePod } from './pods';

type Status = NonNullable<PodObject['status']>;

const pod = (status: Status, extra: Partial<PodObject> = {}): PodObject => ({
  metadata: { name: 'web-abc', namespace: 'shop' },
  spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'registry.example.com/web:v1' }] },
  status,
  ...extra,
});
const cond = (type: string, status: 'True' | 'False', reason?: string, message?: string) => ({ type, status, reason, message });
const container = (c: ContainerStatus): ContainerStatus => ({ ready: false, restartCount: 0, ...c });

describe('pod status as on-call reads it', () => {
  it('ready: Ready condition True', () => {
    const p = pod({ phase: 'Running', conditions: [cond('Ready', 'True')], containerStatuses: [container({ name: 'app', ready: true, state: { running: {} } })] });
    expect(summarisePod(p)).toEqual({ name: 'web-abc', state: 'ready', reason: null, message: null, restarts: 0, node: 'node-1' });
  });

  it('Init:CrashLoopBackOff: the failing init container, its last exit, restarts of init containers counted', () => {
    const p = pod({
      phase: 'Pending',
      conditions: [cond('Initialized', 'False', 'ContainersNotInitialized'), cond('Ready', 'False')],
      initContainerStatuses: [
        container({ name: 'migrate', restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 1m20s' } }, lastState: { terminated: { exitCode: 1, reason: 'Error' } } }),
      ],
      containerStatuses: [container({ name: 'app', state: { waiting: { reason: 'PodInitializing' } } })],
    });
    expect(summarisePod(p)).toMatchObject({ state: 'crashing', reason: 'Init:CrashLoopBackOff', message: 'init container migrate failing (last exit: Error, code 1)', restarts: 4 });
  });

  it('Init:Error: an init container that exited non-zero and has not restarted yet', () => {
    const p = pod({ phase: 'Pending', initContainerStatuses: [container({ name: 'migrate', state: { terminated: { exitCode: 2, reason: 'Error' } } })] });
    expect(summarisePod(p)).toMatchObject({ state: 'crashing', reason: 'Init:Error', message: 'init container migrate failing (last exit: Error, code 2)' });
  });

  it('an init container that finished (exit 0) does not count; one whose image cannot be pulled is Init:ImagePullBackOff', () => {
    const done = container({ name: 'fetch', state: { terminated: { exitCode: 0, reason: 'Completed' } } });
    const p = pod({ phase: 'Pending', initContainerStatuses: [done, container({ name: 'migrate', state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image' } } })] });
    expect(summarisePod(p)).toMatchObject({ state: 'pending', reason: 'Init:ImagePullBackOff', message: 'Back-off pulling image' });
  });

  it('CrashLoopBackOff with its last exit; OOMKilled named as such', () => {
    const crash = pod({ phase: 'Running', containerStatuses: [container({ name: 'app', restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, reason: 'Error' } } })] });
    expect(summarisePod(crash)).toMatchObject({ state: 'crashing', reason: 'CrashLoopBackOff', message: 'app: back-off restarting (last exit: Error, code 1)', restarts: 3 });
    const oom = pod({ phase: 'Running', containerStatuses: [container({ name: 'app', restartCount: 1, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 137, reason: 'OOMKilled' } } })] });
    expect(summarisePod(oom)).toMatchObject({ state: 'crashing', reason: 'OOMKilled' });
  });

  it('ImagePullBackOff / ErrImagePull: pending with the kubelet message', () => {
    const p = pod({ phase: 'Pending', containerStatuses: [container({ name: 'app', state: { waiting: { reason: 'ErrImagePull', message: 'not found' } } })] });
    expect(summarisePod(p)).toMatchObject({ state: 'pending', reason: 'ErrImagePull', message: 'not found' });
  });

  it('unschedulable: PodScheduled False with the scheduler reason and message, no node', () => {
    const p = pod(
      { phase: 'Pending', conditions: [cond('PodScheduled', 'False', 'Unschedulable', '0/3 nodes are available: 3 Insufficient cpu.')] },
      { spec: { containers: [{ name: 'app', image: 'x' }] } },
    );
    expect(summarisePod(p)).toEqual({ name: 'web-abc', state: 'pending', reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient cpu.', restarts: 0, node: null });
  });

  it('running but not ready: a failing readiness probe; no container running yet: ContainersNotReady', () => {
    const probe = pod({ phase: 'Running', conditions: [cond('Ready', 'False')], containerStatuses: [container({ name: 'app', state: { running: {} } })] });
    expect(summarisePod(probe)).toMatchObject({ state: 'starting', reason: 'ReadinessProbeFailing', message: 'app is running but not ready' });
    const none = pod({ phase: 'Running', conditions: [cond('Ready', 'False')], containerStatuses: [] });
    expect(summarisePod(none)).toMatchObject({ state: 'starting', reason: 'ContainersNotReady' });
  });

  it('terminating wins over everything; Succeeded and Failed phases', () => {
    const crashing = { phase: 'Running', containerStatuses: [container({ name: 'app', state: { waiting: { reason: 'CrashLoopBackOff' } } })] };
    expect(summarisePod(pod(crashing, { metadata: { name: 'web-abc', deletionTimestamp: '2026-11-22T10:00:00Z' } }))).toMatchObject({ state: 'terminating', reason: 'Terminating' });
    expect(summarisePod(pod({ phase: 'Succeeded' }))).toMatchObject({ state: 'succeeded', reason: null });
    expect(summarisePod(pod({ phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' }))).toMatchObject({ state: 'failed', reason: 'Evicted', message: 'The node was low on resource: memory.' });
  });

  it('pending with a waiting reason (ContainerCreating), or only the phase', () => {
    expect(summarisePod(pod({ phase: 'Pending', containerStatuses: [container({ name: 'app', state: { waiting: { reason: 'ContainerCreating' } } })] }))).toMatchObject({ state: 'pending', reason: 'ContainerCreating' });
    expect(summarisePod(pod({ phase: 'Pending' }))).toMatchObject({ state: 'pending', reason: 'Pending' });
  });
});
