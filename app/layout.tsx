import { dehydrate, HydrationBoundary, QueryClient } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { headers } from 'next/headers';
import type { ReactNode } from 'react';
import { LiveHeader } from '@/components/shell/live-header';
import { Providers } from '@/components/shell/providers';
import { ThemeScript } from '@/components/theme-toggle';
import { queryKeys } from '@/lib/queries/workloads';
import { pageViewer } from '@/lib/server/auth/page';
import { visibleWorkloads } from '@/lib/server/auth/visibility';
import { runtime } from '@/lib/server/runtime';
import './globals.css';

export const metadata: Metadata = {
  title: 'Aviary',
  description: 'Live progressive delivery dashboard for Argo Rollouts and Deployments',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // proxy.ts issues a nonce per request; the Content-Security-Policy runs only scripts that carry it.
  const nonce = (await headers()).get('x-nonce') ?? undefined;
  // The header (every page) and the pages read the same snapshot. It is hydrated here, above the
  // header: a boundary below a component that already reads the query would fill it only in an
  // effect, after the server rendered "no data" and the browser rendered data — a hydration mismatch.
  const client = new QueryClient();
  // Only what the viewer may read; nobody signed in gets no workloads (the page redirects to sign-in).
  const { hub, access } = runtime();
  const viewer = await pageViewer();
  const snapshot = hub.snapshot();
  client.setQueryData(queryKeys.snapshot, { ...snapshot, workloads: viewer ? await visibleWorkloads(viewer, access, snapshot.workloads) : [] });
  return (
    // The theme script adds `dark` to <html> before hydration: the one attribute React must not fight over.
    <html lang="en" suppressHydrationWarning>
      <head>
        <ThemeScript nonce={nonce} />
      </head>
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
        <Providers>
          <HydrationBoundary state={dehydrate(client)}>
            <LiveHeader />
            {children}
          </HydrationBoundary>
        </Providers>
      </body>
    </html>
  );
}
