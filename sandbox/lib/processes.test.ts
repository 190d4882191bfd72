import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

let dir: string;
let processes: typeof import('./processes');

beforeAll(async () => {
  // The state directory is read once at import: point it at a throwaway one first.
  dir = await mkdtemp(join(tmpdir(), 'aviary-processes-'));
  vi.stubEnv('AVIARY_SANDBOX_DIR', dir);
  processes = await import('./processes');
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await rm(dir, { recursive: true, force: true });
});

describe('a component that dies before it is ready', () => {
  it('is reported as exited, with its exit code and its last log lines, not as slow', async () => {
    await processes.startProcess('dies', '/bin/sh', ['-c', 'echo "no config here"; exit 3']);
    const error = await processes.waitUntil('dies', async () => false, 10_000).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(processes.ExitedError);
    expect((error as Error).message).toMatch(/^dies exited \(exit code 3\) before it could become ready\. Last log lines .*\n[^]*no config here/);
  });

  it('names the signal that killed it', async () => {
    await processes.startProcess('killed', '/bin/sh', ['-c', 'kill -9 $$']);
    const error = await processes.waitUntil('killed', async () => false, 10_000).then(() => null, (e: unknown) => e);
    expect((error as Error).message).toMatch(/^killed exited \(killed by SIGKILL\) before it could become ready/);
  });

  it('one that runs but never answers is a readiness timeout, not an exit', async () => {
    const record = await processes.startProcess('slow', '/bin/sleep', ['30']);
    const error = await processes.waitUntil('slow', async () => false, 1_000).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(processes.ReadinessError);
    expect(error).not.toBeInstanceOf(processes.ExitedError);
    process.kill(record.pid, 'SIGKILL');
  });
});
