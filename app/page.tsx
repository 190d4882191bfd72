import { Overview } from '@/components/overview/overview';
import { RowsFromSnapshot } from '@/components/overview/rows-from-snapshot';
import { requirePageViewer } from '@/lib/server/auth/page';
import { primeVisibility, visibleTo } from '@/lib/server/auth/visibility';
import { runtime } from '@/lib/server/runtime';

export const dynamic = 'force-dynamic';

/**
 * The overview hydrates one small row per workload the viewer may read (not their pods, events or
 * measurements); the live stream keeps them current. No Suspense boundary here: a boundary hydrates
 * in a later pass, after the header has opened the live stream, and a change arriving in between
 * would hydrate newer data than the server rendered (React error 418). The header never reads the
 * rows, so RowsFromSnapshot fills them during the first render.
 */
export default async function OverviewPage() {
  const viewer = await requirePageViewer('/');
  const { hub, access } = runtime();
  await primeVisibility(viewer, access, hub.places());
  // The rows and the event id they were read at, as the stream's snapshot JSON (shared per-row
  // encodings): the browser's stream resumes from that id instead of fetching the snapshot again.
  return (
    <RowsFromSnapshot snapshot={hub.rowSnapshotJson(visibleTo(viewer, access))}>
      <Overview />
    </RowsFromSnapshot>
  );
}
