import 'server-only';
import { PrometheusClient } from './client';

/**
 * Which Prometheus an AnalysisTemplate's `provider.prometheus.address` may send Aviary to. The
 * address is written by whoever can create an AnalysisTemplate, so querying it blindly would let
 * them point Aviary's server at any host (SSRF): only the configured Prometheus and the
 * addresses listed in AVIARY_PROMETHEUS_ALLOWED_URLS are asked.
 */
export function normaliseAddress(address: string): string | null {
  try {
    const url = new URL(address.trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    if (url.username || url.password || url.search || url.hash) return null;
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return null;
  }
}

/** AVIARY_PROMETHEUS_ALLOWED_URLS: comma-separated; an entry that is not an http(s) URL is a configuration error. */
export function parseAllowedAddresses(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const normal = normaliseAddress(s);
      if (!normal) throw new Error(`AVIARY_PROMETHEUS_ALLOWED_URLS: not an http(s) URL without credentials: ${JSON.stringify(s)}`);
      return normal;
    });
}

let fromEnv: string[] | undefined;

/** The allow-list of this process, read once. */
export function allowedAddressesFromEnv(): string[] {
  fromEnv ??= parseAllowedAddresses(process.env.AVIARY_PROMETHEUS_ALLOWED_URLS);
  return fromEnv;
}

export type AddressChoice =
  | { use: 'configured' }
  | { use: 'template'; address: string }
  | { use: 'configured-instead'; address: string; reason: string };

export function chooseAddress(templateAddress: string | undefined, configured: string | null, allowed: string[]): AddressChoice {
  if (!templateAddress?.trim()) return { use: 'configured' };
  const normal = normaliseAddress(templateAddress);
  if (normal && configured && normal === normaliseAddress(configured)) return { use: 'configured' };
  if (normal && allowed.includes(normal)) return { use: 'template', address: normal };
  return { use: 'configured-instead', address: templateAddress.trim(), reason: 'the template\'s address is not in AVIARY_PROMETHEUS_ALLOWED_URLS' };
}

/**
 * Says plainly that the chart used Aviary's own Prometheus rather than the one the AnalysisTemplate
 * names — without either address: Prometheus locations are internal and stay in the server log.
 */
export function insteadNotice(reason: string): string {
  return `This chart queried Aviary's own Prometheus, not the one the AnalysisTemplate names: ${reason}.`;
}

const clients = new Map<string, PrometheusClient>();

/** One client per allowed address (the allow-list bounds the map). */
export function clientFor(address: string): PrometheusClient {
  let client = clients.get(address);
  if (!client) {
    client = new PrometheusClient(address);
    clients.set(address, client);
  }
  return client;
}
