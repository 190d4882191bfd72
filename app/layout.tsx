import { dehydrate, HydrationBoundary, QueryClient } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { headers } from 'next/headers';
import type { ReactNode } from 'react';
import { LiveHeader } from '@/components/shell/live-header';
import { Providers } from '@/components/shell/providers';
import { ThemeScript } from '@/components/theme-toggle';
import { queryKeys } from '@/lib/queries/workloads';
import { runtime } from '@/lib/server/runtime';
import './globals.css';

export const metadata: Metadata = {
  title: 'Aviary',
  description: 'Live progressive delivery dashboard for Argo Rollouts and Deployments',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // proxy.ts issues a nonce per request; the Content-Security-Policy runs only scripts that carry it.
  const nonce = (await headers()).get('x-nonce') ?? undefined;
  // The header (every page) reads the clusters' health; it is hydrated here, above the header: a
  // boundary below a component that already reads the query would fill it only in an effect, after
  // the server rendered "no data" and the browser rendered data — a hydration mismatch. The pages
  // hydrate their own data (the overview its rows, a detail page its one workload), so no page
  // carries every workload.
  const client = new QueryClient();
  const { hub } = runtime();
  client.setQueryData(queryKeys.health, hub.snapshot().health);
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
