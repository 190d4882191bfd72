import { spawn, type SpawnOptions } from 'node:child_process';

export class CommandError extends Error {
  constructor(
    readonly command: string,
    readonly exitCode: number | null,
    readonly output: string,
  ) {
    super(`${command} exited with ${exitCode}\n${output.split('\n').slice(-30).join('\n')}`);
  }
}

export interface RunOptions extends Pick<SpawnOptions, 'cwd' | 'env'> {
  input?: string;
  /** Stream output to the terminal as well as capturing it. */
  echo?: boolean;
  allowFailure?: boolean;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program to completion (no shell), capturing its output; rejects with its tail on failure. */
export function run(file: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(file, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (options.echo) process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (options.echo) process.stderr.write(chunk);
    });
    child.on('error', (error) => reject(error));
    child.on('close', (code) => {
      if (code !== 0 && !options.allowFailure) {
        reject(new CommandError([file, ...args].join(' '), code, stderr || stdout));
        return;
      }
      resolvePromise({ code, stdout, stderr });
    });
    if (options.input !== undefined) child.stdin.end(options.input);
    else child.stdin.end();
  });
}

/** Finds a program on PATH; undefined when it is not installed. */
export async function which(program: string): Promise<string | undefined> {
  const result = await run('sh', ['-c', `command -v ${program}`], { allowFailure: true });
  const found = result.stdout.trim();
  return result.code === 0 && found !== '' ? found : undefined;
}
