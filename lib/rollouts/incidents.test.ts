import { describe, expect, it } from 'vitest';
import { deriveFixture } from '@/test/fixtures';
import { dedupKeyOf, incidentOf, pagerDutyResolve, pagerDutyTrigger, releaseOf, shouldResolve, slackTrigger } from './incidents';

describe('incidentOf', () => {
  it('an aborted canary whose analysis failed pages for that release, once per revision', () => {
    const w = deriveFixture('canary-aborted');
    const incident = incidentOf(w);
    expect(incident).not.toBeNull();
    const release = releaseOf(w);
    expect(incident?.dedupKey).toBe(`aviary/${w.cluster}/shop/rollout/checkout/${release.revision}`);
    expect(['aborted', 'analysis-failed']).toContain(incident?.cause);
    expect(incident?.summary).toContain('shop/checkout');
    // The same release derived again gives the same key: the dedup guard.
    expect(incidentOf(deriveFixture('canary-aborted'))?.dedupKey).toBe(incident?.dedupKey);
  });

  it('healthy, paused and progressing workloads need nobody', () => {
    for (const name of ['canary-healthy', 'canary-manual-pause', 'canary-timed-pause', 'bluegreen-waiting', 'deployment-healthy-hpa', 'deployment-mid-update'] as const) {
      expect(incidentOf(deriveFixture(name)), name).toBeNull();
    }
  });

  it('a Degraded workload pages critical; a new revision is a new key', () => {
    const w = { ...deriveFixture('canary-healthy'), phase: 'Degraded' as const };
    const incident = incidentOf(w);
    expect(incident).toMatchObject({ cause: 'degraded', severity: 'critical' });
    const next = { ...w, revisions: w.revisions.map((r) => ({ ...r, revision: (r.revision ?? 0) + 10 })) };
    expect(incidentOf(next)?.dedupKey).not.toBe(incident?.dedupKey);
  });

  it('a failed analysis of an older revision does not page a healthy release', () => {
    const aborted = deriveFixture('canary-aborted');
    const healthy = { ...deriveFixture('canary-healthy'), analysisRuns: aborted.analysisRuns.map((a) => ({ ...a, podTemplateHash: 'old-hash' })) };
    expect(incidentOf(healthy)).toBeNull();
  });
});

describe('resolve and payloads', () => {
  it('resolves when Healthy again or gone', () => {
    expect(shouldResolve({ phase: 'Healthy' })).toBe(true);
    expect(shouldResolve(undefined)).toBe(true);
    expect(shouldResolve({ phase: 'Degraded' })).toBe(false);
    expect(shouldResolve({ phase: 'Paused' })).toBe(false);
  });

  it('builds the Events API v2 trigger and resolve as in seed 002, with Aviary links', () => {
    const incident = incidentOf(deriveFixture('canary-aborted'));
    if (!incident) throw new Error('no incident');
    const trigger = pagerDutyTrigger(incident, 'R0KEY', 'https://aviary.example.com/', '2026-01-01T00:00:00Z');
    expect(trigger).toMatchObject({
      routing_key: 'R0KEY',
      event_action: 'trigger',
      dedup_key: incident.dedupKey,
      payload: { severity: incident.severity, component: 'checkout', group: 'progressive-delivery', class: 'canary-deployment', source: `${incident.cluster}/shop` },
      links: [{ href: `https://aviary.example.com/rollouts/${encodeURIComponent(incident.cluster)}/shop/checkout`, text: 'Open in Aviary' }],
    });
    expect(trigger.payload.custom_details).toMatchObject({ rollout: 'checkout', namespace: 'shop', revision: incident.revision, first_seen: '2026-01-01T00:00:00Z' });
    expect(pagerDutyResolve(incident.dedupKey, 'R0KEY')).toEqual({ routing_key: 'R0KEY', event_action: 'resolve', dedup_key: incident.dedupKey });
    expect(pagerDutyTrigger(incident, 'K', null, 'x').links).toEqual([]);
    expect(slackTrigger(incident).title).toContain('shop/checkout');
  });

  it('keys name cluster, namespace, kind, workload and revision', () => {
    expect(dedupKeyOf({ cluster: 'prod', namespace: 'shop', name: 'web', kind: 'Deployment' }, '7')).toBe('aviary/prod/shop/deployment/web/7');
  });

  it('field by field against seed 002: summary, severity, source, component, group, class, custom_details, links, dedup_key, routing_key; resolve with the same key', () => {
    const w = deriveFixture('canary-aborted');
    const incident = incidentOf(w);
    if (!incident) throw new Error('no incident');
    const trigger = pagerDutyTrigger(incident, 'R0xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'https://aviary.example.com', '2026-01-01T00:00:00Z');
    const page = `https://aviary.example.com/rollouts/${encodeURIComponent(w.cluster)}/shop/checkout`;
    // Top level: exactly the seed's keys (plus PagerDuty's client fields).
    expect(Object.keys(trigger).sort()).toEqual(['client', 'client_url', 'dedup_key', 'event_action', 'links', 'payload', 'routing_key']);
    expect(trigger.routing_key).toBe('R0xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx');
    expect(trigger.dedup_key).toBe(`aviary/${w.cluster}/shop/rollout/checkout/${incident.revision}`);
    expect(Object.keys(trigger.payload).sort()).toEqual(['class', 'component', 'custom_details', 'group', 'severity', 'source', 'summary']);
    expect(trigger.payload.summary.length).toBeLessThanOrEqual(1024);
    expect(trigger.payload.summary).toMatch(new RegExp(`^Rollout shop/checkout revision ${incident.revision}: `));
    expect(['critical', 'error', 'warning', 'info']).toContain(trigger.payload.severity);
    expect(trigger.payload).toMatchObject({ source: `${w.cluster}/shop`, component: 'checkout', group: 'progressive-delivery', class: 'canary-deployment' });
    // The seed's custom_details (rollout, phase, message, a timestamp, a dashboard link) are all there.
    expect(trigger.payload.custom_details).toMatchObject({ rollout: 'checkout', phase: w.phase, message: w.message ?? null, dashboard: page, first_seen: '2026-01-01T00:00:00Z' });
    expect(trigger.links).toEqual([{ href: page, text: 'Open in Aviary' }]);
    expect(trigger.client_url).toBe(page);
    // Resolve: the same dedup key and routing key, nothing else (as the seed's resolve).
    expect(pagerDutyResolve(trigger.dedup_key, trigger.routing_key)).toEqual({ routing_key: trigger.routing_key, event_action: 'resolve', dedup_key: trigger.dedup_key });
    // A blue-green release is its own class; an over-long diagnosis keeps the summary within PagerDuty's limit.
    const bg = incidentOf({ ...deriveFixture('bluegreen-waiting'), phase: 'Degraded', message: 'x'.repeat(2000), diagnosis: null });
    expect(bg && pagerDutyTrigger(bg, 'K', null, 't').payload).toMatchObject({ class: 'blue-green-deployment', severity: 'critical' });
    expect(bg?.summary).toHaveLength(1024);
    expect(bg && pagerDutyTrigger(bg, 'K', null, 't').payload.custom_details).toMatchObject({ phase: 'Degraded', dashboard: null });
  });
});
