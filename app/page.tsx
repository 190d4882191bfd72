import { Overview } from '@/components/overview/overview';
import { requirePageViewer } from '@/lib/server/auth/page';

export const dynamic = 'force-dynamic';

/**
 * The overview reads the live snapshot the root layout hydrated. No Suspense boundary here: a
 * boundary hydrates in a later pass, after the header has opened the live stream, and a change
 * arriving in between would hydrate newer data than the server rendered (React error 418).
 */
export default async function OverviewPage() {
  await requirePageViewer('/');
  return <Overview />;
}
