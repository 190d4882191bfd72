import 'server-only';

/**
 * Reads a claim by name; a dotted name reaches into nested objects (Keycloak's
 * `realm_access.roles`) unless the provider uses the dotted name itself as a key.
 */
function claimAt(claims: Record<string, unknown>, name: string): unknown {
  if (name in claims) return claims[name];
  let value: unknown = claims;
  for (const part of name.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/**
 * Groups from the configured claim: an array of strings (the usual form) or one comma-separated
 * string (some providers and proxies). Anything else yields no groups rather than a guess.
 */
export function groupsFromClaims(claims: Record<string, unknown>, claimName: string): string[] {
  const raw = claimAt(claims, claimName);
  const list = Array.isArray(raw) ? raw.filter((g): g is string => typeof g === 'string') : typeof raw === 'string' ? raw.split(',') : [];
  return [...new Set(list.map((g) => g.trim()).filter(Boolean))];
}

/** The user name from the configured claim; null when it is missing or not a non-empty string. */
export function usernameFromClaims(claims: Record<string, unknown>, claimName: string): string | null {
  const raw = claimAt(claims, claimName);
  return typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : null;
}
