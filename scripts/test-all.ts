/**
 * `npm test`: unit, integration and end-to-end tests, then one line totalling them all in the form CI
 * reads: `tests: N passed, N failed`. Starts the sandbox when it is not running and stops it after.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { down, status, up } from '@/sandbox/lib/sandbox';
import { repoRoot, stateDir } from '@/sandbox/lib/config';

interface Tally {
  suite: string;
  passed: number;
  failed: number;
  exitCode: number;
}

const reports = join(stateDir, 'test-reports');

function exec(command: string, args: string[], env: Record<string, string> = {}): Promise<number> {
  return new Promise((resolveCode) => {
    const child = spawn(command, args, { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env } });
    child.on('close', (code) => resolveCode(code ?? 1));
  });
}

async function vitest(project: 'unit' | 'integration'): Promise<Tally> {
  const out = join(reports, `${project}.json`);
  const exitCode = await exec('npx', ['vitest', 'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`]);
  if (!existsSync(out)) return { suite: project, passed: 0, failed: 1, exitCode: exitCode || 1 };
  const report = JSON.parse(await readFile(out, 'utf8')) as { numPassedTests: number; numFailedTests: number; numTotalTestSuites: number };
  // A suite that failed to load has no failed test but must still count as a failure.
  const failed = report.numFailedTests || (exitCode !== 0 ? 1 : 0);
  return { suite: project, passed: report.numPassedTests, failed, exitCode };
}

interface PlaywrightStats {
  stats: { expected: number; unexpected: number; flaky: number };
}

function hasSpecs(): boolean {
  const e2eDir = join(repoRoot, 'e2e');
  return existsSync(e2eDir) && readdirSync(e2eDir).some((f) => f.endsWith('.spec.ts'));
}

async function playwrightRun(suite: string, args: string[], env: Record<string, string>): Promise<Tally> {
  const out = join(reports, `${suite.replace(/\W+/g, '-')}.json`);
  const exitCode = await exec('npx', ['playwright', 'test', ...args, '--reporter=list,json'], { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: out });
  if (!existsSync(out)) return { suite, passed: 0, failed: 1, exitCode: exitCode || 1 };
  const { stats } = JSON.parse(await readFile(out, 'utf8')) as PlaywrightStats;
  return { suite, passed: stats.expected + stats.flaky, failed: stats.unexpected || (exitCode !== 0 ? 1 : 0), exitCode };
}

async function playwright(): Promise<Tally | undefined> {
  if (!hasSpecs()) return undefined;
  const built = await exec('npx', ['next', 'build'], { NEXT_TELEMETRY_DISABLED: '1' });
  if (built !== 0) return { suite: 'e2e (next build)', passed: 0, failed: 1, exitCode: built };
  return playwrightRun('e2e', [], {});
}

/**
 * The issue asks for zero console errors under `npm run dev` too (hydration mismatches and CSP
 * problems show there first): the pages spec once more, against `next dev` (AVIARY_E2E_DEV=1 in
 * playwright.config.ts). Only that spec, to keep the pass short: every page it visits, the security
 * headers as dev serves them, the 404 pages.
 */
async function playwrightDev(): Promise<Tally | undefined> {
  if (!existsSync(join(repoRoot, 'e2e', 'pages.spec.ts'))) return undefined;
  return playwrightRun('e2e (next dev)', ['e2e/pages.spec.ts'], { AVIARY_E2E_DEV: '1' });
}

async function main(): Promise<number> {
  await rm(reports, { recursive: true, force: true });
  await mkdir(reports, { recursive: true });
  const tallies: Tally[] = [];
  const log = (line: string) => console.log(`[sandbox] ${line}`);

  const staticChecks = (await exec('npx', ['tsc', '--noEmit'])) || (await exec('npx', ['eslint', '.', '--max-warnings', '0']));
  if (staticChecks !== 0) tallies.push({ suite: 'typecheck+lint', passed: 0, failed: 1, exitCode: staticChecks });

  tallies.push(await vitest('unit'));

  let startedHere = false;
  try {
    const before = await status();
    if (!before.running) {
      // Stop afterwards only what this run started from nothing — and do so even when starting fails
      // half-way, so a failed start leaves no processes behind.
      startedHere = Object.values(before.components).every((c) => c.state === 'stopped');
      await up(log);
    }
    tallies.push(await vitest('integration'));
    const e2e = await playwright();
    if (e2e) tallies.push(e2e);
    const dev = await playwrightDev();
    if (dev) tallies.push(dev);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    tallies.push({ suite: 'sandbox', passed: 0, failed: 1, exitCode: 1 });
  } finally {
    if (startedHere && !process.env.AVIARY_KEEP_SANDBOX) await down(log);
  }

  console.log('');
  for (const t of tallies) console.log(`  ${t.suite.padEnd(16)} ${t.passed} passed / ${t.failed} failed (exit ${t.exitCode})`);
  const passed = tallies.reduce((s, t) => s + t.passed, 0);
  const failed = tallies.reduce((s, t) => s + t.failed, 0);
  console.log(`tests: ${passed} passed, ${failed} failed`);
  return failed > 0 || tallies.some((t) => t.exitCode !== 0) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    console.log('tests: 0 passed, 1 failed');
    process.exit(1);
  },
);
