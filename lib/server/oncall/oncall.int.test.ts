/**
 * On-call paging against the sandbox: the real API server (Lease, Incident CRD), the real Argo
 * controller and Prometheus analysis failing a bad canary, and two Aviary replicas — each its own
 * ClusterCache (its own list+watch), its own on-call engine and identity, as two pods would be.
 * PagerDuty, Slack and the feature-flag service are one local receiver on 127.0.0.1, started here.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));

import { ensureBuilt } from '@/sandbox/lib/build';
import { paths, repoRoot, urls } from '@/sandbox/lib/config';
import { kubectl } from '@/sandbox/lib/kubectl';
import { identities } from '@/sandbox/lib/pki';
import { getRollout, waitFor } from '@/test/sandbox';
import { ClusterCache } from '@/lib/server/cluster/cache';
import { kubeRequest } from '@/lib/server/kube/impersonation';
import type { RunbookAuditEntry } from '@/lib/server/audit/entry';
import { parseOnCallConfig } from './config';
import { OnCallEngine } from './engine';
import { createIncident, incidentObjectName, listIncidents } from './store';
import type { IncidentSpec } from '@/lib/contracts/incidents';

const NS = 'aviary-oncall';
const NAME = 'bad-canary';
const tools = () => ensureBuilt(() => undefined);

const manifests = (image: string) => `
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: {name: error-rate, namespace: ${NS}}
spec:
  metrics:
    - name: error-rate
      initialDelay: 10s
      interval: 5s
      count: 4
      successCondition: result[0] < 0.05
      failureLimit: 0
      provider:
        prometheus:
          address: ${urls.prometheus}
          query: |
            sum(rate(http_requests_total{namespace="${NS}",service="${NAME}-canary",status=~"5.."}[20s]))
            /
            sum(rate(http_requests_total{namespace="${NS}",service="${NAME}-canary"}[20s]))
---
apiVersion: v1
kind: Service
metadata: {name: ${NAME}-canary, namespace: ${NS}, annotations: {sandbox.aviary.dev/requests-per-second: "20"}}
spec: {selector: {app: ${NAME}}, ports: [{name: http, port: 80, targetPort: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: ${NAME}-stable, namespace: ${NS}, annotations: {sandbox.aviary.dev/requests-per-second: "20"}}
spec: {selector: {app: ${NAME}}, ports: [{name: http, port: 80, targetPort: 8080}]}
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: ${NAME}
  namespace: ${NS}
  annotations:
    aviary.dev/runbook-hook: flags-off
    aviary.dev/feature-flag: new-checkout
spec:
  replicas: 2
  selector: {matchLabels: {app: ${NAME}}}
  strategy:
    canary:
      canaryService: ${NAME}-canary
      stableService: ${NAME}-stable
      steps:
        - setWeight: 50
        - analysis: {templates: [{templateName: error-rate}]}
        - pause: {}
  template:
    metadata: {labels: {app: ${NAME}}}
    spec: {containers: [{name: app, image: "registry.example.com/oncall/app:${image}"}]}
`;

interface Received {
  path: string;
  method: string;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}
const received: Received[] = [];
let receiver: Server;
let base = '';
/** Answers for the next PagerDuty requests (default 202): lets a test make the receiver fail. */
const pdAnswers: number[] = [];

const kc = new KubeConfig();
kc.loadFromFile(paths.kubeconfigFor(identities.aviary.name));
const lease = `oncall-it-${Date.now().toString(36)}`;

interface Replica {
  cache: ClusterCache;
  engine: OnCallEngine;
  alive: boolean;
}
const replicas: Replica[] = [];

function replica(identity: string): Replica {
  const cache = new ClusterCache('sandbox', kc, [NS], 50);
  const config = parseOnCallConfig({
    AVIARY_PAGERDUTY_EVENTS_URL: `${base}/pd/v2/enqueue`,
    AVIARY_PAGERDUTY_ROUTING_KEY: 'R0TESTROUTINGKEY',
    AVIARY_SLACK_WEBHOOK_URL: `${base}/slack`,
    AVIARY_ONCALL_LEASE_NAMESPACE: 'aviary',
    AVIARY_ONCALL_LEASE_NAME: lease,
    AVIARY_ONCALL_LEASE_SECONDS: '3',
    AVIARY_ONCALL_IDENTITY: identity,
    AVIARY_ONCALL_RETRY_BASE_MS: '20',
    AVIARY_PUBLIC_URL: 'http://127.0.0.1:3000',
    AVIARY_RUNBOOK_HOOKS: JSON.stringify({ 'flags-off': { kind: 'launchdarkly-flag-off', url: `${base}/flags/api/v2/flags/default`, environmentKey: 'production' } }),
  });
  const engine = new OnCallEngine({ config, sources: [cache], kubeConfigs: new Map([['sandbox', kc]]), namespaces: [NS], log: () => undefined, tickMs: 500 });
  cache.start();
  engine.start();
  return { cache, engine, alive: true };
}

/** A crash: no clean hand-over of the Lease, no more renewals, no more watching. */
async function kill(r: Replica): Promise<void> {
  r.alive = false;
  await r.engine.stop(false);
  r.cache.stop();
}

const pd = (action: string, key?: string) => received.filter((r) => r.path === '/pd/v2/enqueue' && r.body.event_action === action && (!key || r.body.dedup_key === key));
const slack = () => received.filter((r) => r.path === '/slack');
const leader = () => waitFor('one replica to hold the Lease', async () => {
  const leading = replicas.filter((r) => r.alive && r.engine.leading);
  return leading.length === 1 ? leading[0] : undefined;
}, { timeoutMs: 30_000, intervalMs: 200 });

async function setImage(tag: string): Promise<void> {
  const patch = JSON.stringify({ spec: { template: { spec: { containers: [{ name: 'app', image: `registry.example.com/oncall/app:${tag}` }] } } } });
  await kubectl(await tools(), ['-n', NS, 'patch', 'rollout', NAME, '--type=merge', '-p', patch]);
}
const healthy = () => waitFor(`${NAME} Healthy`, async () => ((await getRollout(NS, NAME)).status?.phase === 'Healthy' ? true : undefined), { timeoutMs: 180_000, intervalMs: 1000 });
const newTrigger = (seen: number) => waitFor('a PagerDuty trigger', async () => (pd('trigger').length > seen ? pd('trigger')[seen] : undefined), { timeoutMs: 180_000, intervalMs: 500 });
const settle = () => new Promise((r) => setTimeout(r, 4000));

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', method: req.method ?? '', headers: req.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} });
      if (req.url === '/pd/v2/enqueue') {
        const status = pdAnswers.shift() ?? 202;
        res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(status === 202 ? { status: 'success', dedup_key: 'x' } : { status: 'error' }));
      } else res.end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  const t = await tools();
  // A sandbox started before the current CRDs (runbook audit fields) gets them here.
  await kubectl(t, ['apply', '--server-side', '--force-conflicts', '-f', join(repoRoot, 'deploy', 'crds')]);
  await kubectl(t, ['wait', '--for=condition=Established', 'crd/auditrecords.aviary.dev', 'crd/incidents.aviary.dev', '--timeout=60s']);
  // …and Aviary's current ClusterRole (delete incidents for the retention).
  await kubectl(t, ['apply', '--server-side', '--force-conflicts', '-f', join(repoRoot, 'sandbox', 'manifests', 'system', 'aviary-rbac.yaml')]);
  await kubectl(t, ['delete', 'namespace', NS, '--ignore-not-found', '--wait=true', '--timeout=120s']);
  await kubectl(t, ['create', 'namespace', NS]);
  await kubectl(t, ['apply', '-f', '-'], { input: manifests('v1') });
  await healthy();
  replicas.push(replica('replica-a'), replica('replica-b'));
  await waitFor('both caches to sync', async () => (replicas.every((r) => r.cache.currentHealth().connected) ? true : undefined), { timeoutMs: 60_000 });
}, 600_000);

afterAll(async () => {
  for (const r of replicas) if (r.alive) await kill(r);
  receiver?.close();
  await kubectl(await tools(), ['delete', 'namespace', NS, '--ignore-not-found', '--wait=false']);
  await kubectl(await tools(), ['-n', 'aviary', 'delete', 'lease', lease, '--ignore-not-found']);
});

describe('on-call paging with two replicas', () => {
  it('a bad canary: exactly one trigger (PagerDuty and Slack), the runbook hook once, one resolve after recovery', async () => {
    const first = await leader();
    await setImage('v2-errors');
    const trigger = await newTrigger(0);
    const key = String(trigger.body.dedup_key);
    expect(key).toMatch(new RegExp(`^aviary/sandbox/${NS}/rollout/${NAME}/\\d+$`));
    expect(trigger.body).toMatchObject({
      routing_key: 'R0TESTROUTINGKEY',
      event_action: 'trigger',
      payload: { component: NAME, group: 'progressive-delivery', class: 'canary-deployment', source: `sandbox/${NS}` },
      links: [{ href: `http://127.0.0.1:3000/rollouts/sandbox/${NS}/${NAME}`, text: 'Open in Aviary' }],
    });
    expect(['critical', 'error']).toContain((trigger.body.payload as { severity: string }).severity);
    // Both replicas keep running; the rollout stays aborted; nothing more is sent.
    await settle();
    expect(pd('trigger', key)).toHaveLength(1);
    expect(slack()).toHaveLength(1);
    // The runbook hook turned the flag off once, with LaunchDarkly's semantic patch.
    const flags = received.filter((r) => r.path.startsWith('/flags/'));
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ method: 'PATCH', path: '/flags/api/v2/flags/default/new-checkout', body: { instructions: [{ kind: 'turnFlagOff', environmentKey: 'production' }] } });
    expect(flags[0].headers['content-type']).toBe('application/json; domain-model=launchdarkly.semanticpatch');
    const incident = await waitFor('the runbook outcome audited', async () => {
      const [i] = (await listIncidents(kc)).filter((x) => x.spec.dedupKey === key);
      return i?.spec.runbook?.auditRecord ? i : undefined;
    }, { timeoutMs: 30_000, intervalMs: 500 });
    expect(incident.spec).toMatchObject({
      state: 'open',
      runbook: { hook: 'flags-off', state: 'done', kind: 'launchdarkly-flag-off', status: 200, attempts: 1, auditRecord: `runbook-${incident.metadata.name}` },
    });
    // The outcome is in the audit trail once, as Aviary (not a person), with the request but no secret or URL path.
    const records = await kubeRequest<{ items: { metadata: { name: string }; spec: RunbookAuditEntry | { action: string } }[] }>(kc, null, { method: 'GET', path: `/apis/aviary.dev/v1alpha1/namespaces/${NS}/auditrecords` });
    const hooks = records.items.filter((r) => r.spec.action === 'runbook-hook');
    expect(hooks).toHaveLength(1);
    expect(hooks[0].metadata.name).toBe(`runbook-${incident.metadata.name}`);
    expect(hooks[0].spec).toMatchObject({
      actor: 'aviary',
      user: 'aviary (runbook hook)',
      groups: [],
      action: 'runbook-hook',
      target: { cluster: 'sandbox', kind: 'Rollout', namespace: NS, name: NAME },
      result: 'delivered',
      reason: incident.spec.summary,
      description: 'Runbook hook flags-off: turn feature flag new-checkout off in production (PATCH ' + new URL(base).host + ', turnFlagOff)',
      runbook: { hook: 'flags-off', kind: 'launchdarkly-flag-off', method: 'PATCH', host: new URL(base).host, flag: 'new-checkout', instruction: 'turnFlagOff', environmentKey: 'production', status: 200, attempts: 1, dedupKey: key, incident: incident.metadata.name, sender: first.engine.identity },
    });
    expect(JSON.stringify(hooks[0].spec)).not.toContain('/flags/api');
    // The rollout page's history (both replicas' caches watch AuditRecords) shows it next to people's actions.
    for (const r of replicas) {
      const entry = await waitFor('the hook in the history', async () => r.cache.workloads.get(incident.spec.workloadId)?.history.find((h) => h.actor === 'aviary'), { timeoutMs: 30_000, intervalMs: 500 });
      expect(entry).toMatchObject({ actor: 'aviary', action: 'runbook-hook', user: 'aviary (runbook hook)', result: 'delivered', hook: 'flags-off', request: `PATCH ${new URL(base).host}`, status: 200, attempts: 1 });
    }
    expect(incident.spec.deliveries.map((d) => [d.channel, d.action, d.state, d.sender])).toEqual([
      ['pagerduty', 'trigger', 'delivered', first.engine.identity],
      ['slack', 'trigger', 'delivered', first.engine.identity],
    ]);
    // The status page: 30 viewers at once share one read of the Incidents and the Lease, each gets the incident.
    const readsBefore = first.engine.statusReads;
    const pages = await Promise.all(Array.from({ length: 30 }, () => first.engine.status(async () => true)));
    expect(first.engine.statusReads - readsBefore).toBeLessThanOrEqual(1);
    for (const page of pages) expect(page.incidents.some((i) => i.dedupKey === key && i.state === 'open')).toBe(true);
    // Recovery: back to the stable image, Healthy again → one resolve with the same key.
    await setImage('v1');
    await healthy();
    await waitFor('the resolve', async () => (pd('resolve', key).length > 0 ? true : undefined), { timeoutMs: 60_000 });
    await settle();
    expect(pd('resolve', key)).toHaveLength(1);
    expect(pd('resolve', key)[0].body).toEqual({ routing_key: 'R0TESTROUTINGKEY', event_action: 'resolve', dedup_key: key });
    expect(pd('trigger', key)).toHaveLength(1);
    expect(slack()).toHaveLength(2);
  }, 400_000);

  it('killing the sending replica mid-incident: the other takes over, retries a failing receiver, resolves once, never re-triggers', async () => {
    const sender = await leader();
    const survivor = replicas.find((r) => r !== sender && r.alive);
    if (!survivor) throw new Error('no second replica');
    const triggersBefore = pd('trigger').length;
    // PagerDuty fails twice (503) before accepting: delivered on the third attempt of one round.
    pdAnswers.push(503, 503);
    await setImage('v3-errors');
    const trigger = await newTrigger(triggersBefore);
    const key = String(trigger.body.dedup_key);
    await waitFor('the trigger recorded', async () => {
      const [i] = (await listIncidents(kc)).filter((x) => x.spec.dedupKey === key);
      return i?.spec.deliveries.every((d) => d.state === 'delivered') ? i : undefined;
    }, { timeoutMs: 30_000 });
    const [opened] = (await listIncidents(kc)).filter((x) => x.spec.dedupKey === key);
    expect(opened.spec.deliveries.find((d) => d.channel === 'pagerduty')).toMatchObject({ state: 'delivered', attempts: 3, sender: sender.engine.identity });
    expect(received.filter((r) => r.path === '/pd/v2/enqueue' && r.body.dedup_key === key && r.body.event_action === 'trigger')).toHaveLength(3);

    await kill(sender);
    await waitFor('the survivor to take the Lease', async () => (survivor.engine.leading ? true : undefined), { timeoutMs: 30_000, intervalMs: 200 });
    await settle();
    // Took over an open incident: it knows (from the cluster) the trigger went out, and sends none.
    expect(received.filter((r) => r.path === '/pd/v2/enqueue' && r.body.dedup_key === key && r.body.event_action === 'trigger')).toHaveLength(3);

    await setImage('v1');
    await healthy();
    await waitFor('the resolve from the survivor', async () => (pd('resolve', key).length > 0 ? true : undefined), { timeoutMs: 60_000 });
    await settle();
    expect(pd('resolve', key)).toHaveLength(1);
    const [resolved] = (await listIncidents(kc)).filter((x) => x.spec.dedupKey === key);
    expect(resolved.spec.state).toBe('resolved');
    expect(resolved.spec.deliveries.find((d) => d.channel === 'pagerduty' && d.action === 'resolve')).toMatchObject({ state: 'delivered', sender: survivor.engine.identity });
    // The first incident was never sent again by the new sender either.
    expect(new Set(pd('trigger').map((r) => r.body.dedup_key)).size).toBe(pd('trigger').length - 2);
  }, 400_000);
});

describe('retention of resolved incidents', () => {
  const NS2 = 'aviary-oncall-retention';
  const lease2 = `oncall-retention-${Date.now().toString(36)}`;
  let engine: OnCallEngine | undefined;
  let cache: ClusterCache | undefined;

  const spec = (name: string, over: Partial<IncidentSpec>): IncidentSpec => ({
    dedupKey: `aviary/sandbox/${NS2}/deployment/${name}/1`,
    workloadId: `sandbox/Deployment/${NS2}/${name}`,
    cluster: 'sandbox',
    kind: 'Deployment',
    name,
    revision: '1',
    cause: 'degraded',
    severity: 'critical',
    summary: `Deployment ${NS2}/${name} revision 1: degraded`,
    openedAt: new Date(Date.now() - 86_400_000).toISOString(),
    state: 'open',
    resolvedAt: null,
    deliveries: [],
    runbook: null,
    ...over,
  });
  const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

  afterAll(async () => {
    await engine?.stop(true);
    cache?.stop();
    await kubectl(await tools(), ['delete', 'namespace', NS2, '--ignore-not-found', '--wait=false']);
    await kubectl(await tools(), ['-n', 'aviary', 'delete', 'lease', lease2, '--ignore-not-found']);
  });

  it('the sender deletes resolved Incidents older than AVIARY_INCIDENT_RETENTION, never an open or a younger one', async () => {
    const t = await tools();
    await kubectl(t, ['delete', 'namespace', NS2, '--ignore-not-found', '--wait=true', '--timeout=120s']);
    await kubectl(t, ['create', 'namespace', NS2]);
    // A paused Deployment: not Healthy, so its open incident stays open (and opens nothing new).
    await kubectl(t, ['-n', NS2, 'create', 'deployment', 'held', '--image=registry.example.com/oncall/held:v1']);
    await kubectl(t, ['-n', NS2, 'rollout', 'pause', 'deployment/held']);
    const make = async (name: string, over: Partial<IncidentSpec>) => {
      const s = spec(name, over);
      return createIncident(kc, NS2, incidentObjectName(name, s.dedupKey), s);
    };
    const old = await make('gone-old', { state: 'resolved', resolvedAt: hoursAgo(2) });
    const young = await make('gone-young', { state: 'resolved', resolvedAt: hoursAgo(0.5) });
    const open = await make('held', { openedAt: hoursAgo(48) });
    const otherSpec = { ...spec('elsewhere', { state: 'resolved', resolvedAt: hoursAgo(3) }), dedupKey: `aviary/sandbox/${NS}/deployment/elsewhere/1`, workloadId: `sandbox/Deployment/${NS}/elsewhere` };
    const elsewhere = await createIncident(kc, NS, incidentObjectName('elsewhere', otherSpec.dedupKey), otherSpec);

    cache = new ClusterCache('sandbox', kc, [NS2], 50);
    cache.start();
    await waitFor('the paused Deployment in the cache', async () => (cache?.workloads.get(`sandbox/Deployment/${NS2}/held`)?.phase === 'Paused' ? true : undefined), { timeoutMs: 60_000 });
    const config = parseOnCallConfig({ AVIARY_ONCALL_LEASE_NAME: lease2, AVIARY_ONCALL_LEASE_SECONDS: '3', AVIARY_ONCALL_IDENTITY: 'retention', AVIARY_INCIDENT_RETENTION: '1h' });
    expect(config.incidentRetentionMs).toBe(3_600_000);
    engine = new OnCallEngine({ config, sources: [cache], kubeConfigs: new Map([['sandbox', kc]]), namespaces: [NS2], log: () => undefined, tickMs: 500 });
    engine.start();

    const names = async () => new Set((await listIncidents(kc)).filter((i) => i.metadata.namespace === NS2).map((i) => i.metadata.name));
    await waitFor('the old resolved Incident deleted', async () => (!(await names()).has(old.metadata.name) ? true : undefined), { timeoutMs: 60_000, intervalMs: 500 });
    // The same round judged the others; a few more rounds change nothing.
    await settle();
    const left = await names();
    expect(left.has(young.metadata.name)).toBe(true);
    expect(left.has(open.metadata.name)).toBe(true);
    const [stillOpen] = (await listIncidents(kc)).filter((i) => i.metadata.name === open.metadata.name);
    expect(stillOpen.spec.state).toBe('open');
    expect(engine.counts()['incidents.deleted']).toBe(1);
    // An old resolved Incident in a namespace this Aviary does not watch is another Aviary's: kept.
    expect((await listIncidents(kc)).some((i) => i.metadata.name === elsewhere.metadata.name)).toBe(true);
  }, 300_000);
});
