import { isFaultName, parseDuration, runFault, type FaultSpec } from './faults';
import { SandboxError, type Log } from './sandbox';

export const faultUsage = [
  'usage: npm run sandbox:fault -- <fault> [duration]        (duration like 30s, 2m; default 30s)',
  '  apiserver-down    SIGKILL the API server: an immediate outage; started again afterwards',
  '  apiserver-hang    SIGSTOP the API server: connections go half-open; SIGCONT afterwards',
  '  nodes-down        kill kwok, every fake node\'s kubelet: past 25 s the nodes and their pods go NotReady; started again afterwards',
  '  prometheus-down   kill Prometheus; started again afterwards',
  '  argo-down         kill the Argo Rollouts controller; started again afterwards',
  '  etcd-down         kill etcd (the API server stays up but cannot serve); started again afterwards',
  '  simulator-errors <namespace>/<service> <rate> [duration]   e.g. shop/checkout-canary 0.3 (or 30%)',
].join('\n');

function parseRate(text: string | undefined): number {
  const raw = text?.trim() ?? '';
  const value = raw.endsWith('%') ? Number(raw.slice(0, -1)) / 100 : Number(raw);
  if (raw === '' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new SandboxError(`error rate must be between 0 and 1 (or 0% and 100%), got "${text ?? ''}"\n${faultUsage}`);
  }
  return value;
}

/** Parses `<fault> [args] [duration]` into a spec and a duration. */
export function parseFaultArgs(args: string[]): { spec: FaultSpec; durationMs: number } {
  const [name, ...rest] = args;
  if (name === undefined || !isFaultName(name)) throw new SandboxError(`unknown fault "${name ?? ''}"\n${faultUsage}`);
  if (name === 'simulator-errors') {
    const [target, rate, duration] = rest;
    const [namespace, service, extra] = (target ?? '').split('/');
    if (!namespace || !service || extra !== undefined) throw new SandboxError(`expected <namespace>/<service>, got "${target ?? ''}"\n${faultUsage}`);
    return { spec: { name, namespace, service, errorRatio: parseRate(rate) }, durationMs: parseDuration(duration ?? '30s') };
  }
  if (rest.length > 1) throw new SandboxError(`${name} takes only a duration\n${faultUsage}`);
  return { spec: { name }, durationMs: parseDuration(rest[0] ?? '30s') };
}

/** `sandbox:fault`: Ctrl-C lifts the fault at once instead of leaving the sandbox broken. */
export async function faultCommand(args: string[], log: Log): Promise<number> {
  const { spec, durationMs } = parseFaultArgs(args);
  const abort = new AbortController();
  const lift = () => abort.abort();
  process.once('SIGINT', lift);
  process.once('SIGTERM', lift);
  try {
    const report = await runFault(spec, durationMs, log, { abort: abort.signal });
    log(`outage ${report.outageSeconds.toFixed(1)} s, recovery ${report.recoverySeconds.toFixed(1)} s`);
    return report.recovered ? 0 : 1;
  } finally {
    process.off('SIGINT', lift);
    process.off('SIGTERM', lift);
  }
}
