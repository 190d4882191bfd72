'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useQuery } from '@tanstack/react-query';
import { ApprovalsCount } from '@/components/approvals/approvals-count';
import { ConnectionIndicator } from '@/components/connection-indicator';
import { ThemeToggle } from '@/components/theme-toggle';
import { useConnection, useLiveStream } from '@/lib/queries/stream';
import { healthQuery } from '@/lib/queries/workloads';
import { SessionBanner } from './session-banner';
import { SessionMenu } from './session-menu';

/** Header on every page but the wall (a kiosk screen: no header, no session, its own data). */
export function LiveHeader() {
  return usePathname() === '/wall' ? null : <Header />;
}

/** The header; also the one place that opens the live stream. */
function Header() {
  useLiveStream();
  const connection = useConnection();
  const { data: health } = useQuery(healthQuery());
  return (
    <header className="sticky top-0 z-10 border-b border-slate-200 bg-white/90 backdrop-blur dark:border-slate-800 dark:bg-slate-950/90">
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
        <Link href="/" className="text-lg font-bold tracking-tight">
          Aviary
        </Link>
        <span className="hidden text-sm text-slate-500 lg:inline">progressive delivery, live</span>
        {/* On a phone the controls wrap under the name instead of pushing the page sideways. */}
        <div className="ml-auto flex min-w-0 flex-wrap items-center justify-end gap-x-3 gap-y-2">
          <Link href="/wall/links" className="text-sm text-slate-600 hover:underline dark:text-slate-300" title="The wall screen and its kiosk links">
            Wall
          </Link>
          <Link href="/oncall" className="text-sm text-slate-600 hover:underline dark:text-slate-300" title="On-call status: who sends pages, deliveries and failures, open incidents">
            On call
          </Link>
          <ApprovalsCount />
          <ConnectionIndicator connection={connection} health={health ?? []} />
          <ThemeToggle />
          <SessionMenu />
        </div>
      </div>
      <SessionBanner />
    </header>
  );
}
