import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { toRow } from '@/lib/contracts/overview';
import { deriveFixture } from '@/test/fixtures';
import { WorkloadCard } from './workload-card';

describe('WorkloadCard', () => {
  it('shows a warning line when the card holds the last good state of a workload Aviary could not derive', () => {
    const good = deriveFixture('canary-healthy');
    expect(renderToStaticMarkup(<WorkloadCard workload={toRow(good)} />)).not.toContain('derivation-error');
    const html = renderToStaticMarkup(<WorkloadCard workload={toRow({ ...good, derivationError: 'Aviary could not read this Rollout (resourceVersion 9): boom' })} />);
    expect(html).toContain(`data-testid="rollout-shop-checkout-derivation-error"`);
    expect(html).toContain('Last good state shown: Aviary could not read this Rollout (resourceVersion 9): boom');
  });
});
