import type { Metadata } from 'next';
import { Wall } from '@/components/wall/wall';

export const metadata: Metadata = { title: 'Aviary wall', referrer: 'no-referrer' };
export const dynamic = 'force-dynamic';

/**
 * The wall screen: `/wall?namespace=shop,search&cluster=…&label=team=payments` for a signed-in
 * person, `/wall?k=<kiosk token>` for a screen with no one at it (the link's scope applies; the
 * URL's filters are ignored). No header, no buttons; the data is polled and checked for age.
 */
export default async function WallPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const token = typeof params.k === 'string' ? params.k : null;
  const pick = (name: string) => (typeof params[name] === 'string' ? (params[name] as string) : '');
  const search = new URLSearchParams(Object.entries({ cluster: pick('cluster'), namespace: pick('namespace'), label: pick('label') }).filter(([, v]) => v));
  return <Wall token={token} search={search.size ? `?${search.toString()}` : ''} />;
}
