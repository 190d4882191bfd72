import 'server-only';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { currentViewer, type Viewer } from '@/lib/server/auth/viewer';

/** The viewer of the page being rendered (server components have headers, not a Request). */
export async function pageViewer(): Promise<Viewer | null> {
  return currentViewer(new Request('http://aviary.invalid/', { headers: await headers() }));
}

/**
 * Every page checks the session itself (proxy.ts only redirects the obvious cases early): without
 * one it sends the browser to sign in and back to `path` afterwards.
 */
export async function requirePageViewer(path: string): Promise<Viewer> {
  const viewer = await pageViewer();
  if (!viewer) redirect(`/auth/login?returnTo=${encodeURIComponent(path)}`);
  return viewer;
}
