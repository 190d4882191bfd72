import 'server-only';
import { authConfig } from '@/lib/server/auth/config';
import { assertSignInConfigured } from '@/lib/server/auth/viewer';
import { runtime } from './runtime';

/** Starts the caches at server start; a bad configuration (or no sign-in at all) stops the server with a clear message. */
export function startRuntime(): void {
  try {
    assertSignInConfigured(authConfig());
    runtime();
  } catch (error) {
    console.error(`aviary: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
