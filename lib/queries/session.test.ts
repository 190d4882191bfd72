import { describe, expect, it, vi } from 'vitest';
import { SessionStore, signInHref } from './session';

describe('SessionStore', () => {
  it('a 401 ends the session once; other errors do not; a later success brings it back', () => {
    const store = new SessionStore();
    const listener = vi.fn();
    store.subscribe(listener);
    store.observe(502);
    expect(store.get()).toBe(false);
    store.observe(401);
    store.observe(401);
    expect(store.get()).toBe(true);
    expect(listener).toHaveBeenCalledTimes(1);
    store.observe(404);
    expect(store.get()).toBe(true);
    store.observe(200);
    expect(store.get()).toBe(false);
  });

  it('sign in again returns to this very page, path and query', () => {
    expect(signInHref({ pathname: '/rollouts/c/shop/checkout', search: '?window=1h&x=a b' })).toBe('/auth/login?returnTo=%2Frollouts%2Fc%2Fshop%2Fcheckout%3Fwindow%3D1h%26x%3Da%20b');
  });
});
