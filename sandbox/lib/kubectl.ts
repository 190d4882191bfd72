import { paths } from './config';
import type { Toolchain } from './build';
import { run, type RunOptions, type RunResult } from './run';

/** kubectl v1.34 from the tool module, as the sandbox admin. */
export function kubectl(toolchain: Toolchain, args: string[], options: RunOptions = {}): Promise<RunResult> {
  return run(toolchain.kube.bin('kubectl'), ['--kubeconfig', paths.kubeconfig, ...args], options);
}

/** Substitutes ${NAME} placeholders in a manifest; an unknown placeholder is an error, not a blank. */
export function renderTemplate(text: string, values: Record<string, string>): string {
  return text.replace(/\$\{([A-Z_]+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`manifest placeholder \${${name}} has no value`);
    return value;
  });
}
