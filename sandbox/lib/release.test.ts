import { describe, expect, it } from 'vitest';
import { parseTarget, withTag } from './release';
import { renderTemplate } from './kubectl';

describe('withTag', () => {
  it('replaces the tag and keeps the repository, including a registry port', () => {
    expect(withTag('registry.example.com/shop/checkout:v1.0.0', 'v2-errors')).toBe('registry.example.com/shop/checkout:v2-errors');
    expect(withTag('localhost:5000/checkout', 'v2')).toBe('localhost:5000/checkout:v2');
    expect(withTag('localhost:5000/checkout:v1', 'v2')).toBe('localhost:5000/checkout:v2');
    expect(withTag('nginx', 'v2')).toBe('nginx:v2');
  });
});

describe('parseTarget', () => {
  it('accepts namespace/name and rejects anything else with the expected form in the message', () => {
    expect(parseTarget('shop/checkout')).toEqual({ namespace: 'shop', name: 'checkout' });
    expect(() => parseTarget('checkout')).toThrow(/<namespace>\/<name>/);
    expect(() => parseTarget('shop/checkout/x')).toThrow(/<namespace>\/<name>/);
  });
});

describe('renderTemplate', () => {
  it('substitutes known placeholders and refuses unknown ones instead of leaving a blank', () => {
    expect(renderTemplate('address: ${PROMETHEUS_URL}', { PROMETHEUS_URL: 'http://127.0.0.1:29090' })).toBe(
      'address: http://127.0.0.1:29090',
    );
    expect(() => renderTemplate('${NOPE}', {})).toThrow(/NOPE/);
    expect(renderTemplate('{{args.service-name}}', {})).toBe('{{args.service-name}}');
  });
});
