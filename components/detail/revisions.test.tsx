// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { deriveFixture } from '@/test/fixtures';
import { Revisions } from './revisions';

afterEach(cleanup);

describe('Revisions', () => {
  it('shows running revisions in full and the scaled-down history collapsed, with revision numbers and images', () => {
    // Recorded after an abort: revision 13 (canary) and 12 (stable) run; 11, 10 and 9 are scaled down.
    const w = deriveFixture('canary-aborted');
    const { container } = render(<Revisions revisions={w.revisions} />);

    const canary = screen.getByTestId('revision-5c968c95c4');
    expect(canary.textContent).toContain('Revision 13 · canary');
    expect(canary.textContent).toContain('registry.example.com/shop/checkout:v1.2.mwrbgxgf-errors');
    expect(screen.getByTestId('revision-64c6588bd7').textContent).toContain('Revision 12 · stable');

    const history = screen.getByTestId('revision-history') as HTMLDetailsElement;
    expect(history.tagName).toBe('DETAILS');
    expect(history.open).toBe(false);
    expect(history.querySelector('summary')?.textContent).toBe('3 earlier revisions, scaled down (revisions 11, 10, 9)');
    const rows = within(history).getAllByRole('listitem');
    expect(rows.map((r) => r.getAttribute('data-testid'))).toEqual(['revision-854b896985', 'revision-5958cd884b', 'revision-849cc84995']);
    expect(rows[0].textContent).toContain('Revision 11');
    expect(rows[0].textContent).toContain('registry.example.com/shop/checkout:v1.2.mwrb7mup-errors');
    expect(rows[1].textContent).toContain('Revision 10');
    expect(rows[1].textContent).toContain('registry.example.com/shop/checkout:v1.1.mwrb642c');
    // History rows are not drawn in full: no pod dots, no replica counts.
    expect(within(history).queryByText(/ready/)).toBeNull();
    // The running revisions are outside the collapsed part.
    expect(history.contains(canary)).toBe(false);
    expect(container.querySelectorAll('[data-testid^="revision-"]:not([data-testid="revision-history"])')).toHaveLength(5);
  });

  it('one scaled-down revision reads in the singular; none at all has no history', () => {
    const w = deriveFixture('canary-aborted');
    render(<Revisions revisions={w.revisions.filter((r) => r.revision !== 10 && r.revision !== 9)} />);
    expect(screen.getByTestId('revision-history').querySelector('summary')?.textContent).toBe('1 earlier revision, scaled down (revisions 11)');
    cleanup();
    render(<Revisions revisions={w.revisions.filter((r) => !r.scaledDown)} />);
    expect(screen.queryByTestId('revision-history')).toBeNull();
    cleanup();
    render(<Revisions revisions={[]} />);
    expect(screen.getByText('No ReplicaSets yet.')).toBeTruthy();
  });
});
