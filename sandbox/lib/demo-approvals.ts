import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Toolchain } from './build';
import { paths } from './config';
import { kubectl } from './kubectl';

/**
 * `npm run demo`: gates shop/checkout's indefinite pause behind two release-manager approvals
 * (sandbox/manifests/demo-approvals). Not part of `sandbox:up`: the test suites drive checkout
 * through that pause with the CLI and use a rollout of their own for approvals.
 */
export async function gateCheckoutForDemo(toolchain: Toolchain, log: (line: string) => void): Promise<void> {
  const patch = parse(await readFile(join(paths.manifests, 'demo-approvals', 'checkout-gate.yaml'), 'utf8')) as unknown;
  const result = await kubectl(toolchain, ['-n', 'shop', 'patch', 'rollout', 'checkout', '--type=merge', '-p', JSON.stringify(patch)], { allowFailure: true });
  if (result.code === 0) log('  shop/checkout: step 5 waits for two approvals from release managers (open /approvals)');
  else log(`  shop/checkout: approvals gate not applied — ${result.stderr.trim().split('\n').pop() ?? 'kubectl failed'}`);
}
