import { Suspense } from 'react';
import { Overview } from '@/components/overview/overview';

export const dynamic = 'force-dynamic';

/** The overview reads the live snapshot the root layout hydrated. Suspense: it reads the URL's filters. */
export default function OverviewPage() {
  return (
    <Suspense>
      <Overview />
    </Suspense>
  );
}
