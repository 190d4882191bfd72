import { describe, expect, it, vi } from 'vitest';
import { groupsFromClaims, usernameFromClaims } from '@/lib/server/auth/claims';
import { safeReturnPath } from '@/lib/server/auth/oidc';

vi.mock('server-only', () => ({}));

describe('groups claim', () => {
  it('reads an array of strings, deduplicated, ignoring non-strings', () => {
    expect(groupsFromClaims({ groups: ['oncall', 'viewers', 'oncall', 7, ''] }, 'groups')).toEqual(['oncall', 'viewers']);
  });

  it('reads a comma-separated string', () => {
    expect(groupsFromClaims({ groups: 'release-managers, oncall' }, 'groups')).toEqual(['release-managers', 'oncall']);
  });

  it('uses the configured claim, dotted names reaching into objects', () => {
    expect(groupsFromClaims({ roles: ['a'], groups: ['b'] }, 'roles')).toEqual(['a']);
    expect(groupsFromClaims({ realm_access: { roles: ['ops'] } }, 'realm_access.roles')).toEqual(['ops']);
    expect(groupsFromClaims({ 'https://aviary.dev/groups': ['x'] }, 'https://aviary.dev/groups')).toEqual(['x']);
  });

  it('a missing or odd claim means no groups, not a guess', () => {
    expect(groupsFromClaims({}, 'groups')).toEqual([]);
    expect(groupsFromClaims({ groups: { admin: true } }, 'groups')).toEqual([]);
  });

  it('user name from the configured claim', () => {
    expect(usernameFromClaims({ sub: 'alice', email: 'alice@x' }, 'sub')).toBe('alice');
    expect(usernameFromClaims({ sub: 'alice', email: 'alice@x' }, 'email')).toBe('alice@x');
    expect(usernameFromClaims({ sub: '' }, 'sub')).toBeNull();
  });
});

describe('return path after sign-in', () => {
  it('keeps paths on Aviary and refuses anything that leaves it', () => {
    expect(safeReturnPath('/rollouts/c/shop/checkout?tab=steps')).toBe('/rollouts/c/shop/checkout?tab=steps');
    for (const bad of ['//evil.example/x', 'https://evil.example', '/\\evil.example', 'javascript:alert(1)', '', null]) {
      expect(safeReturnPath(bad)).toBe('/');
    }
  });
});
