import { KioskLinksPage } from '@/components/wall/kiosk-links';
import { requirePageViewer } from '@/lib/server/auth/page';

export const dynamic = 'force-dynamic';

/** /wall/links: open the wall, create and revoke kiosk links (signed-in people only). */
export default async function WallLinks() {
  await requirePageViewer('/wall/links');
  return <KioskLinksPage />;
}
