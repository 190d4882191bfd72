import type { Me } from '@/lib/contracts/actions';
import { authConfig } from '@/lib/server/auth/config';
import { csrfKey, csrfToken } from '@/lib/server/http/csrf';
import { route } from '@/lib/server/http/handler';

export const dynamic = 'force-dynamic';

/**
 * Who is signed in, when the session ends ('' when an auth proxy vouches per request, or for the
 * anonymous read-only viewer), and the CSRF token every action must carry.
 */
export const GET = route({}, ({ viewer }): Me => {
  if (viewer.kind === 'anonymous') return { user: 'anonymous', groups: [], expiresAt: '', csrfToken: '' };
  const { identity } = viewer;
  const key = csrfKey(authConfig().session?.secret ?? null);
  return { user: identity.user, groups: identity.groups, expiresAt: identity.expiresAt?.toISOString() ?? '', csrfToken: csrfToken(identity, key) };
});
