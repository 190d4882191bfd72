import 'server-only';
import { runtime } from './runtime';

/** Starts the caches at server start; a bad configuration stops the server with a clear message. */
export function startRuntime(): void {
  try {
    runtime();
  } catch (error) {
    console.error(`aviary: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
