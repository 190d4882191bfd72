import { spawn } from 'node:child_process';
import { existsSync, openSync, closeSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { host, paths } from './config';

export interface ProcessRecord {
  pid: number;
  command: string;
  args: string[];
  log: string;
  startedAt: string;
}

interface StateFile {
  processes: Record<string, ProcessRecord>;
}

export async function readState(): Promise<StateFile> {
  if (!existsSync(paths.state)) return { processes: {} };
  return JSON.parse(await readFile(paths.state, 'utf8')) as StateFile;
}

async function writeState(state: StateFile): Promise<void> {
  await mkdir(paths.logs, { recursive: true });
  await writeFile(paths.state, JSON.stringify(state, null, 2));
}

export const logFile = (name: string) => join(paths.logs, `${name}.log`);

/**
 * True when the recorded pid is alive AND is still the program we started: a pid can be
 * reused by an unrelated process after ours exits, and we must never signal that one.
 */
export function isOurs(record: ProcessRecord): boolean {
  try {
    process.kill(record.pid, 0);
  } catch {
    return false;
  }
  try {
    const argv0 = readFileSync(`/proc/${record.pid}/cmdline`, 'utf8').split('\0')[0];
    return argv0 === record.command;
  } catch {
    return false;
  }
}

/** True when the process is frozen (SIGSTOP, e.g. an apiserver-hang fault whose restorer died). */
export function isFrozen(record: ProcessRecord): boolean {
  try {
    const stat = readFileSync(`/proc/${record.pid}/stat`, 'utf8');
    return /^T/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
}

export async function runningRecord(name: string): Promise<ProcessRecord | undefined> {
  const record = (await readState()).processes[name];
  return record && isOurs(record) ? record : undefined;
}

/** The exit of each component this CLI started, by name (the latest start's). */
const exits = new Map<string, { pid: number; code: number | null; signal: NodeJS.Signals | null }>();

/** "exit code 1" / "killed by SIGKILL" for a component that ended while this CLI was running, else null. */
export function exitOf(name: string, pid: number): string | null {
  const exit = exits.get(name);
  if (!exit || exit.pid !== pid) return null;
  return exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
}

/** Starts a long-running component detached from this CLI, its output appended to its log. */
export async function startProcess(
  name: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  cwd?: string,
): Promise<ProcessRecord> {
  await mkdir(paths.logs, { recursive: true });
  const log = logFile(name);
  const fd = openSync(log, 'a');
  const child = spawn(command, args, { detached: true, stdio: ['ignore', fd, fd], env, cwd });
  closeSync(fd);
  const pid = await new Promise<number>((resolvePid, reject) => {
    child.once('error', reject);
    child.once('spawn', () => resolvePid(child.pid as number));
  });
  // How it ended, while this CLI still runs: a component that dies before it is ready says why.
  child.once('exit', (code, signal) => exits.set(name, { pid, code, signal }));
  child.unref();
  const record: ProcessRecord = { pid, command, args, log, startedAt: new Date().toISOString() };
  const state = await readState();
  state.processes[name] = record;
  await writeState(state);
  return record;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Stops one component we started: SIGTERM to its process group, SIGKILL after a grace period. */
export async function stopProcess(name: string, graceMs = 10_000): Promise<'stopped' | 'not running'> {
  const state = await readState();
  const record = state.processes[name];
  let outcome: 'stopped' | 'not running' = 'not running';
  if (record && isOurs(record)) {
    const signal = (sig: NodeJS.Signals) => {
      try {
        process.kill(-record.pid, sig);
      } catch {
        try {
          process.kill(record.pid, sig);
        } catch {
          /* already gone */
        }
      }
    };
    signal('SIGTERM');
    const deadline = Date.now() + graceMs;
    while (isOurs(record) && Date.now() < deadline) await sleep(100);
    if (isOurs(record)) signal('SIGKILL');
    while (isOurs(record)) await sleep(50);
    outcome = 'stopped';
  }
  delete state.processes[name];
  await writeState(state);
  return outcome;
}

export async function logTail(name: string, lines = 25): Promise<string> {
  try {
    const text = await readFile(logFile(name), 'utf8');
    return text.split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Resolves true when nothing listens on the port (so we may start a component there). */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolveFree) => {
    const server = createServer();
    server.once('error', () => resolveFree(false));
    server.listen(port, host, () => server.close(() => resolveFree(true)));
  });
}

export class ReadinessError extends Error {}
/** The component's process ended before it was ready (rather than running without becoming ready). */
export class ExitedError extends ReadinessError {}

/** Polls `check` until it passes or the bound runs out; the error carries the component's log tail. */
export async function waitUntil(
  name: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  what = 'become ready',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    const record = (await readState()).processes[name];
    if (record && !isOurs(record)) {
      const how = exitOf(name, record.pid);
      throw new ExitedError(`${name} exited${how ? ` (${how})` : ''} before it could ${what}. Last log lines (${logFile(name)}):\n${await logTail(name)}`);
    }
    await sleep(500);
  }
  throw new ReadinessError(
    `${name} did not ${what} within ${Math.round(timeoutMs / 1000)} s${lastError ? ` (last error: ${lastError})` : ''}. ` +
      `Last log lines (${logFile(name)}):\n${await logTail(name)}`,
  );
}
