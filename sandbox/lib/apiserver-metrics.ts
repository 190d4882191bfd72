import { readFile } from 'node:fs/promises';
import { urls } from './config';
import { get } from './http';
import { identities, pkiFiles } from './pki';

/** apiserver_request_total from the API server's own /metrics, by "VERB resource" (all clients). */
export async function apiRequestCounts(): Promise<Map<string, number>> {
  const tls = {
    ca: await readFile(pkiFiles.caCert),
    cert: await readFile(pkiFiles.clientCert(identities.admin)),
    key: await readFile(pkiFiles.clientKey(identities.admin)),
  };
  const res = await get(`${urls.apiserver}/metrics`, tls, 10_000);
  if (res.status !== 200) throw new Error(`API server /metrics answered ${res.status}`);
  const counts = new Map<string, number>();
  for (const line of res.body.split('\n')) {
    if (!line.startsWith('apiserver_request_total{')) continue;
    const labels = line.slice(line.indexOf('{') + 1, line.lastIndexOf('}'));
    const label = (name: string) => new RegExp(`(?:^|,)${name}="([^"]*)"`).exec(labels)?.[1] ?? '';
    const key = `${label('verb')} ${label('group') ? `${label('resource')}.${label('group')}` : label('resource')}${label('subresource') ? `/${label('subresource')}` : ''}`;
    counts.set(key, (counts.get(key) ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1)));
  }
  return counts;
}

export interface RequestRate {
  total: number;
  perSecond: number;
  /** Busiest "VERB resource" pairs over the window, most first. */
  top: [string, number][];
}

/** Requests the API server served over `windowMs`, from two readings of its counters. */
export async function apiRequestRate(windowMs: number): Promise<RequestRate> {
  const before = await apiRequestCounts();
  await new Promise((r) => setTimeout(r, windowMs));
  const after = await apiRequestCounts();
  const deltas: [string, number][] = [...after].map(([key, value]) => [key, value - (before.get(key) ?? 0)]);
  const active = deltas.filter(([, delta]) => delta > 0).sort((a, b) => b[1] - a[1]);
  const total = active.reduce((sum, [, delta]) => sum + delta, 0);
  return { total, perSecond: total / (windowMs / 1000), top: active.slice(0, 12) };
}
