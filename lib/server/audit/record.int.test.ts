/**
 * A recorded action shows up three ways against the sandbox: in `kubectl describe` of the workload
 * (an Event), as one JSON log line, and as an aviary.dev AuditRecord written with Aviary's identity.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));

import { KubeConfig } from '@kubernetes/client-node';
import { paths, repoRoot } from '@/sandbox/lib/config';
import { ensureBuilt } from '@/sandbox/lib/build';
import { kubectl } from '@/sandbox/lib/kubectl';
import { kubeRequest } from '@/lib/server/kube/impersonation';
import type { AuditEntry } from './entry';
import { recordAction } from './record';

const NS = 'aviary-audit';
const kc = new KubeConfig();
kc.loadFromFile(paths.kubeconfig);
const tools = () => ensureBuilt(() => undefined);

const rollout = `
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: checkout, namespace: ${NS}}
spec:
  replicas: 1
  selector: {matchLabels: {app: checkout}}
  strategy: {canary: {steps: [{setWeight: 50}, {pause: {}}]}}
  template:
    metadata: {labels: {app: checkout}}
    spec: {containers: [{name: app, image: "registry.example.com/audit/app:v1"}]}
`;

beforeAll(async () => {
  const t = await tools();
  // The sandbox installs this CRD at start; a sandbox started before it existed gets it here.
  await kubectl(t, ['apply', '--server-side', '--force-conflicts', '-f', join(repoRoot, 'deploy', 'crds')]);
  await kubectl(t, ['wait', '--for=condition=Established', 'crd/auditrecords.aviary.dev', '--timeout=60s']);
  await kubectl(t, ['delete', 'namespace', NS, '--ignore-not-found', '--wait=true', '--timeout=120s']);
  await kubectl(t, ['create', 'namespace', NS]);
  await kubectl(t, ['apply', '-f', '-'], { input: rollout });
}, 300_000);

afterAll(async () => {
  await kubectl(await tools(), ['delete', 'namespace', NS, '--ignore-not-found', '--wait=false']);
});

interface AuditRecordList {
  items: { metadata: { name: string; labels?: Record<string, string> }; spec: AuditEntry }[];
}

describe('recordAction', () => {
  it('writes the Event, the log line and the AuditRecord', async () => {
    const uid = (await kubeRequest<{ metadata: { uid: string } }>(kc, null, { method: 'GET', path: `/apis/argoproj.io/v1alpha1/namespaces/${NS}/rollouts/checkout` })).metadata.uid;
    const entry: AuditEntry = {
      user: 'carol@example.com',
      groups: ['oncall', 'viewers'],
      action: 'abort',
      target: { cluster: 'sandbox', kind: 'Rollout', namespace: NS, name: 'checkout', uid },
      revision: 1,
      step: 0,
      reason: 'error rate above 5 %',
      result: 'refused-rbac',
      message: 'forbidden by the cluster',
      time: new Date().toISOString(),
    };
    const lines: string[] = [];
    const outcome = await recordAction(kc, entry, (line) => lines.push(line));

    expect(outcome.event).toHaveProperty('name');
    expect(outcome.record).toHaveProperty('name');

    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ msg: 'aviary.audit', user: 'carol@example.com', groups: ['oncall', 'viewers'], action: 'abort', result: 'refused-rbac' });

    const described = (await kubectl(await tools(), ['describe', 'rollout', 'checkout', '-n', NS])).stdout;
    expect(described).toContain('AviaryActionForbidden');
    expect(described).toContain('carol@example.com (oncall, viewers) abort at revision 1, step 0: refused-rbac');

    const records = await kubeRequest<AuditRecordList>(kc, null, { method: 'GET', path: `/apis/aviary.dev/v1alpha1/namespaces/${NS}/auditrecords?labelSelector=aviary.dev%2Ftarget-name%3Dcheckout` });
    expect(records.items).toHaveLength(1);
    expect(records.items[0].spec).toEqual(entry);
    const listed = (await kubectl(await tools(), ['get', 'auditrecords', '-n', NS])).stdout;
    expect(listed).toMatch(/carol@example\.com\s+abort\s+Rollout\s+checkout\s+refused-rbac/);
  });

  it('a sink that fails is reported and logged, and the others are still written', async () => {
    const lines: string[] = [];
    const entry: AuditEntry = {
      user: 'alice@example.com', groups: [], action: 'promote', target: { cluster: 'sandbox', kind: 'Rollout', namespace: NS, name: 'checkout', uid: null },
      revision: null, step: 1, reason: 'x'.repeat(1500), result: 'accepted', message: null, time: new Date().toISOString(),
    };
    const outcome = await recordAction(kc, entry, (line) => lines.push(line));
    // The CRD's schema refuses a reason over 1000 characters; the Event (message cut to 1 KiB) is still written.
    expect(outcome.record).toHaveProperty('error');
    expect(outcome.event).toHaveProperty('name');
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['aviary.audit', 'aviary.audit.write-failed']);
  });
});
