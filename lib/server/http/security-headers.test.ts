import { describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));

import { formActionSources, pageCsp } from './security-headers';

describe('page Content-Security-Policy', () => {
  it('lets forms (sign-out) redirect to the identity provider, and nowhere else', () => {
    expect(formActionSources('http://127.0.0.1:29400/')).toBe("form-action 'self' http://127.0.0.1:29400");
    expect(formActionSources(undefined)).toBe("form-action 'self'");
    expect(formActionSources('not a url')).toBe("form-action 'self'");
    expect(pageCsp('abc', false, 'https://login.example.com/realms/x')).toContain("form-action 'self' https://login.example.com;");
  });

  it('allows scripts only by nonce in production, eval only in development', () => {
    const csp = pageCsp('n0nce', false, undefined);
    expect(csp).toContain("script-src 'self' 'nonce-n0nce' 'strict-dynamic';");
    expect(csp).not.toContain('unsafe-eval');
    expect(pageCsp('n0nce', true, undefined)).toContain("'unsafe-eval'");
    expect(csp).toContain("frame-ancestors 'none'");
  });
});
