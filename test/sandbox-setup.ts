/**
 * Vitest global setup for integration tests: uses a running sandbox (restarting any component that
 * is missing), or starts one and stops it afterwards. Only a sandbox this run started from nothing
 * is stopped at the end — a partly running one belongs to someone else (a developer, a parallel
 * run) and must survive the tests. Set AVIARY_KEEP_SANDBOX=1 to leave a started sandbox running.
 */
import { down, status, up } from '@/sandbox/lib/sandbox';

let startedHere = false;

export async function setup(): Promise<void> {
  const current = await status();
  if (current.running) return;
  const anyRunning = Object.values(current.components).some((c) => c.state !== 'stopped');
  const log = (line: string) => console.log(`[sandbox] ${line}`);
  await up(log);
  startedHere = !anyRunning;
}

export async function teardown(): Promise<void> {
  if (startedHere && !process.env.AVIARY_KEEP_SANDBOX) await down((line) => console.log(`[sandbox] ${line}`));
}
