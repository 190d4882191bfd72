// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { deriveFixture } from '@/test/fixtures';
import { RolloutFacts } from './rollout-facts';

afterEach(cleanup);

describe('RolloutFacts', () => {
  it('blue-green: the active and preview Services, the scale-down delay, manual promotion and the images with the CLI tags', () => {
    const w = deriveFixture('bluegreen-waiting');
    render(<RolloutFacts w={w} />);
    expect(screen.getByTestId('bluegreen-active-service').textContent).toBe('payments-active');
    expect(screen.getByTestId('bluegreen-preview-service').textContent).toBe('payments-preview');
    expect(screen.getByTestId('bluegreen-scale-down-delay').textContent).toBe('30 s after promotion');
    expect(screen.getByText('manual')).toBeTruthy();
    const images = screen.getByTestId('running-images').textContent;
    expect(images).toContain('registry.example.com/shop/payments:v3.1.mwrb8pgm (active, stable)');
    expect(images).toContain('registry.example.com/shop/payments:v3.2.mwrbhxji (preview)');
    // Canary wording is not used for a blue-green rollout.
    expect(screen.queryByText(/\(canary\)/)).toBeNull();
    expect(screen.queryByTestId('template-ref')).toBeNull();
  });

  it('blue-green without a preview Service, with timed auto-promotion', () => {
    const w = deriveFixture('bluegreen-waiting');
    const bg = { ...w.blueGreen!, previewService: null, autoPromotionEnabled: true, autoPromotionSeconds: 120, scaleDownDelaySeconds: 0 };
    render(<RolloutFacts w={{ ...w, blueGreen: bg }} />);
    expect(screen.getByTestId('bluegreen-preview-service').textContent).toBe('none');
    expect(screen.getByTestId('bluegreen-scale-down-delay').textContent).toBe('0 s after promotion');
    expect(screen.getByText('automatic after 120 s')).toBeTruthy();
  });

  it('canary: its two Services; workloadRef: where the pod template comes from, and when that object is missing', () => {
    const w = deriveFixture('canary-aborted');
    render(<RolloutFacts w={{ ...w, templateRef: { kind: 'Deployment', name: 'checkout-template', found: true, scaleDown: 'progressively' } }} />);
    expect(screen.queryByTestId('bluegreen-active-service')).toBeNull();
    expect(screen.getByText('checkout-canary')).toBeTruthy();
    expect(screen.getByText('checkout-stable')).toBeTruthy();
    expect(screen.getByTestId('template-ref').textContent).toBe('from Deployment checkout-template · scale-down: progressively');
    cleanup();
    render(<RolloutFacts w={{ ...w, templateRef: { kind: 'Deployment', name: 'gone', found: false, scaleDown: null } }} />);
    expect(screen.getByTestId('template-ref').textContent).toBe('from Deployment gone (not found)');
  });
});
