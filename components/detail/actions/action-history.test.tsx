// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditSummary } from '@/lib/contracts/actions';
import { ActionHistory } from './action-history';

afterEach(cleanup);

const entry = (name: string, user: string, minutesAgo: number, extra: Partial<AuditSummary> = {}): AuditSummary => ({
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

  it('says so when nothing was done through Aviary yet', () => {
    render(<ActionHistory testId="h" history={[]} />);
    expect(screen.getByTestId('h').textContent).toBe('No actions taken through Aviary yet.');
  });
});
