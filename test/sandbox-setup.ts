/**
 * Vitest global setup for integration tests: uses a running sandbox, or starts one and stops it
 * afterwards. Set AVIARY_KEEP_SANDBOX=1 to leave a sandbox this run started running.
 */
import { down, status, up } from '@/sandbox/lib/sandbox';

let startedHere = false;

export async function setup(): Promise<void> {
  const current = await status();
  if (current.running) return;
  const log = (line: string) => console.log(`[sandbox] ${line}`);
  await up(log);
  startedHere = true;
}

export async function teardown(): Promise<void> {
  if (startedHere && !process.env.AVIARY_KEEP_SANDBOX) await down((line) => console.log(`[sandbox] ${line}`));
}
