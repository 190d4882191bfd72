// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { PersonAuditSummary, RunbookAuditSummary } from '@/lib/contracts/actions';
import { ActionHistory } from './action-history';

afterEach(cleanup);

const entry = (name: string, user: string, minutesAgo: number, extra: Partial<PersonAuditSummary> = {}): PersonAuditSummary => ({
  actor: 'person',
  name,
  user,
  groups: ['oncall'],
  action: 'abort',
  result: 'accepted',
  revision: 3,
  step: 5,
  reason: null,
  description: `Abort shop/checkout (${name})`,
  at: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
  ...extra,
});

describe('ActionHistory', () => {
  it('lists newest first, with who, what, the result in words and a relative local time', () => {
    render(<ActionHistory testId="h" history={[entry('old', 'alice', 30), entry('new', 'carol', 2, { result: 'refused-rbac', reason: 'bad canary' })]} />);
    const items = screen.getAllByRole('listitem');
    expect(items[0]?.textContent).toContain('carol');
    expect(items[0]?.textContent).toContain("refused by the cluster's RBAC");
    expect(items[0]?.textContent).toContain('“bad canary”');
    expect(items[0]?.textContent).toMatch(/2 minutes ago/);
    expect(items[1]?.textContent).toContain('alice');
    expect(items[0]?.querySelector('time')?.getAttribute('dateTime')).toMatch(/^\d{4}-/);
  });

  it('shows a runbook hook as Aviary acting by itself, not as a person, with what was sent and how it went', () => {
    const hook = (name: string, minutesAgo: number, extra: Partial<RunbookAuditSummary> = {}): RunbookAuditSummary => ({
      actor: 'aviary',
      name,
      user: 'aviary (runbook hook)',
      groups: [],
      action: 'runbook-hook',
      result: 'delivered',
      revision: 4,
      step: null,
      reason: 'Rollout shop/checkout revision 4: analysis failed (error-rate)',
      description: 'Runbook hook flags-off: turn feature flag new-checkout off in production (PATCH app.launchdarkly.com, turnFlagOff)',
      message: 'feature flag new-checkout turned off (PATCH app.launchdarkly.com answered 200)',
      hook: 'flags-off',
      request: 'PATCH app.launchdarkly.com',
      status: 200,
      attempts: 1,
      at: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
      ...extra,
    });
    render(
      <ActionHistory
        testId="h"
        history={[entry('abort', 'carol', 5), hook('ok', 4), hook('bad', 1, { result: 'failed', status: 500, attempts: 3, message: 'PATCH app.launchdarkly.com answered 500 after 3 attempts' })]}
      />,
    );
    const items = screen.getAllByRole('listitem');
    expect(items.map((i) => i.getAttribute('data-actor'))).toEqual(['aviary', 'aviary', 'person']);
    expect(items[1]?.textContent).toContain('automatic');
    expect(items[1]?.textContent).toContain('aviary (runbook hook)');
    expect(items[1]?.textContent).toContain('turn feature flag new-checkout off in production');
    expect(items[1]?.textContent).toContain('delivered (HTTP 200, 1 attempt)');
    expect(items[1]?.textContent).not.toContain('(oncall'); // no groups: not a person
    expect(items[0]?.getAttribute('data-result')).toBe('failed');
    expect(items[0]?.textContent).toContain('FAILED (HTTP 500, 3 attempts) — PATCH app.launchdarkly.com answered 500 after 3 attempts');
    expect(items[0]?.textContent).toMatch(/1 minute ago/);
    expect(items[2]?.textContent).toContain('carol');
  });

  it('says so when nothing was done through Aviary yet', () => {
    render(<ActionHistory testId="h" history={[]} />);
    expect(screen.getByTestId('h').textContent).toBe('No actions taken through Aviary yet.');
  });
});
