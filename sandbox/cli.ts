/**
 * The sandbox command line: build | up | down [--purge] | status [--json] | release <ns>/<name> <tag> | demo | dev
 * | fault <fault> [args] [duration] | api-rate [seconds]
 * Run through npm: `npm run sandbox:up`, `npm run sandbox:release -- shop/checkout v2.0.0-errors`,
 * `npm run sandbox:fault -- apiserver-down 60s`.
 */
import { spawn } from 'node:child_process';
import { paths, repoRoot, urls } from './lib/config';
import { ensureBuilt } from './lib/build';
import { release } from './lib/release';
import { down, purge, SandboxError, status, up } from './lib/sandbox';
import { CommandError } from './lib/run';
import { ReadinessError } from './lib/processes';
import { faultCommand, faultUsage } from './lib/fault-cli';
import { apiRequestRate } from './lib/apiserver-metrics';
import { demoUserLines } from './lib/oidc';
import { gateCheckoutForDemo } from './lib/demo-approvals';
import { aviaryServerEnv } from './lib/aviary-env';
import { applyScale } from './lib/scale';

const log = (line: string) => console.log(line);

function printEndpoints(): void {
  log('');
  log('Sandbox endpoints:');
  log(`  Kubernetes API   ${urls.apiserver}   (KUBECONFIG=${paths.kubeconfig})`);
  log(`  Prometheus       ${urls.prometheus}`);
  log(`  Traffic sim      ${urls.simulator}/flows`);
  log(`  Sign-in (OIDC)   ${urls.oidc}`);
  log('Try:');
  log(`  KUBECONFIG=${paths.kubeconfig} npx tsx sandbox/cli.ts status`);
  log('  npm run sandbox:release -- shop/checkout v1.1.0          # a healthy canary');
  log('  npm run sandbox:release -- shop/checkout v1.2.0-errors   # ~12 % 5xx: analysis aborts it');
}

function nextDev(): Promise<number> {
  const child = spawn('npx', ['next', 'dev', '--hostname', '127.0.0.1', '--port', '3000'], {
    cwd: repoRoot,
    stdio: 'inherit',
    env: { ...process.env, ...aviaryServerEnv(3000) },
  });
  return new Promise<number>((resolveCode) => child.on('close', (code) => resolveCode(code ?? 0)));
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'build': {
      const toolchain = await ensureBuilt(log);
      for (const [name, tool] of Object.entries(toolchain)) log(`${name}: ${tool.dir}${tool.cached ? ' (cached)' : ''}`);
      return 0;
    }
    case 'up':
      await up(log);
      printEndpoints();
      return 0;
    case 'down':
      if (rest.includes('--purge')) await purge(log);
      else await down(log);
      log('sandbox stopped');
      return 0;
    case 'status': {
      const current = await status();
      if (rest.includes('--json')) {
        process.stdout.write(`${JSON.stringify(current)}\n`);
        return 0;
      }
      for (const [name, component] of Object.entries(current.components)) {
        const pid = component.pid ? `pid ${component.pid}` : '';
        log(`${name.padEnd(24)} ${component.state.padEnd(10)} ${pid.padEnd(11)} ${component.endpoint ?? ''}`);
      }
      log(`kubeconfig: ${current.kubeconfig}`);
      return current.running ? 0 : 3;
    }
    case 'release': {
      const [target, tag] = rest;
      const toolchain = await ensureBuilt(log);
      log(await release(toolchain, target, tag));
      return 0;
    }
    case 'demo': {
      const toolchain = await up(log);
      await gateCheckoutForDemo(toolchain, log);
      printEndpoints();
      for (const line of ['', ...demoUserLines()]) log(line);
      log('\nStarting the Aviary dashboard on http://127.0.0.1:3000 (Ctrl-C stops it; the sandbox keeps running: npm run sandbox:down)');
      return nextDev();
    }
    case 'dev':
      // `npm run dev`: the development server against a sandbox that is already up, signed in through its provider.
      for (const line of demoUserLines()) log(line);
      return nextDev();
    case 'scale': {
      // `npm run sandbox:scale -- 1000`: 10 namespaces of basic-canary Rollouts (2 replicas each) and enough kwok nodes; 0 removes them.
      const total = Number(rest[0] ?? 1000);
      if (!Number.isInteger(total) || total < 0 || total > 20_000) {
        console.error(`usage: sandbox/cli.ts scale <rollouts, 0-20000>; got "${rest[0]}"`);
        return 2;
      }
      await applyScale(await ensureBuilt(log), total, log);
      return 0;
    }
    case 'fault':
      return faultCommand(rest, log);
    case 'api-rate': {
      const seconds = Number(rest[0] ?? 60);
      log(`counting API-server requests for ${seconds} s (apiserver_request_total, all clients)…`);
      const rate = await apiRequestRate(seconds * 1000);
      log(`${rate.perSecond.toFixed(2)} requests/s (${rate.total} in ${seconds} s); by verb and resource:`);
      for (const [key, count] of rate.top) log(`  ${key.padEnd(48)} ${(count / seconds).toFixed(2)}/s`);
      return 0;
    }
    default:
      console.error('usage: sandbox/cli.ts build | up | down [--purge] | status [--json] | release <namespace>/<name> <tag> | demo | dev | api-rate [seconds] | scale <rollouts>');
      console.error(faultUsage);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof SandboxError || error instanceof ReadinessError || error instanceof CommandError) {
      console.error(`\nsandbox: ${error.message}`);
    } else {
      console.error(error);
    }
    process.exit(1);
  },
);
