/**
 * Argo's own CLI, `kubectl argo rollouts`, as the oracle for what Aviary shows: built from the same
 * Go module and version as the sandbox's controller. Its `get rollout` prints text only, so the
 * fields Aviary must agree with are read back from that text.
 */
import type { WorkloadRow } from '@/lib/contracts/overview';
import type { WorkloadSummary } from '@/lib/contracts/workload';
import { paths } from '@/sandbox/lib/config';
import { ensureBuilt } from '@/sandbox/lib/build';
import { run } from '@/sandbox/lib/run';

export interface CliView {
  status: string;
  message: string;
  step: string;
  setWeight: string;
  actualWeight: string;
  images: string[];
  replicas: { desired: number; current: number; updated: number; ready: number; available: number };
  /** ReplicaSets in the tree: "revision:hash:tags" with tags such as stable, canary, active, preview. */
  replicaSets: string[];
}

let binary: Promise<string> | undefined;
export function argoCli(): Promise<string> {
  binary ??= ensureBuilt(() => undefined).then((tools) => tools.argo.bin('kubectl-argo-rollouts'));
  return binary;
}

export async function cli(args: string[]): Promise<string> {
  const result = await run(await argoCli(), [...args, '--kubeconfig', paths.kubeconfig]);
  return result.stdout;
}

const field = (text: string, name: string): string => {
  const match = new RegExp(`^\\s*${name}:[ \\t]*(.*)$`, 'm').exec(text);
  return match ? match[1].trim() : '';
};

/** "img (stable, active)" with its tags sorted, so tag order never counts as a difference. */
function normaliseImage(entry: string): string {
  const match = /^(\S+)(?: \((.*)\))?$/.exec(entry);
  if (!match) return entry;
  const tags = (match[2] ?? '').split(',').map((t) => t.trim()).filter(Boolean).sort();
  return tags.length > 0 ? `${match[1]} (${tags.join(', ')})` : match[1];
}

/** Parses `kubectl argo rollouts get rollout NAME --no-color`. */
export function parseGetRollout(text: string, rolloutName: string): CliView {
  const header = text.split(/\n\s*\n/)[0];
  const statusLine = field(header, 'Status');
  const images: string[] = [];
  const imagesStart = header.split('\n').findIndex((l) => l.startsWith('Images:'));
  if (imagesStart >= 0) {
    const lines = header.split('\n').slice(imagesStart);
    images.push(lines[0].replace(/^Images:\s*/, '').trim());
    for (const line of lines.slice(1)) {
      if (!/^\s{4,}\S/.test(line) || /^\S/.test(line)) break;
      images.push(line.trim());
    }
  }
  const replicaSets: string[] = [];
  let revision = '';
  for (const line of text.split('\n')) {
    const rev = /revision:(\d+)/.exec(line);
    if (rev) revision = rev[1];
    const rs = new RegExp(`(${rolloutName}-[a-z0-9]+)\\s+ReplicaSet\\s+\\S+\\s+\\S+\\s+\\S+\\s*(.*)$`).exec(line);
    if (rs) {
      const hash = rs[1].slice(rolloutName.length + 1);
      const tags = rs[2]
        .split(',')
        .map((t) => t.trim())
        .filter((t) => t && !t.startsWith('delay:'))
        .sort();
      replicaSets.push(`${revision}:${hash}:${tags.join('+')}`);
    }
  }
  const num = (name: string) => Number(field(header.split('Replicas:')[1] ?? '', name));
  return {
    // "✔ Healthy", "॥ Paused", "✖ Degraded", "◌ Progressing": the word after the icon.
    status: statusLine.split(/\s+/).pop() ?? '',
    message: field(header, 'Message'),
    step: field(header, 'Step'),
    setWeight: field(header, 'SetWeight'),
    actualWeight: field(header, 'ActualWeight'),
    images: images.filter(Boolean).map(normaliseImage).sort(),
    replicas: { desired: num('Desired'), current: num('Current'), updated: num('Updated'), ready: num('Ready'), available: num('Available') },
    replicaSets: replicaSets.sort(),
  };
}

/** The same fields, from what Aviary sends the browser. */
export function aviaryView(w: WorkloadSummary): CliView {
  const canary = w.strategy === 'canary';
  return {
    status: w.phase === 'Aborted' ? 'Degraded' : w.phase,
    message: w.message ?? '',
    step: canary && w.step.total > 0 && w.step.current !== null ? `${w.step.current}/${w.step.total}` : '',
    setWeight: canary && w.desiredWeight !== null ? String(w.desiredWeight) : '',
    actualWeight: canary && w.actualWeight !== null ? String(w.actualWeight) : '',
    images: w.runningImages.map((i) => (i.tags.length > 0 ? `${i.image} (${i.tags.join(', ')})` : i.image)).sort(),
    replicas: { desired: w.replicas.desired, current: w.replicas.current, updated: w.replicas.updated, ready: w.replicas.ready, available: w.replicas.available },
    replicaSets: w.revisions.map((r) => `${r.revision ?? ''}:${r.podTemplateHash}:${r.roles.filter((role) => role !== 'old').sort().join('+')}`).sort(),
  };
}

/** One line of `kubectl argo rollouts list rollouts`: the CLI's own columns (it has no actual weight). */
export interface CliListView {
  strategy: string;
  status: string;
  step: string;
  setWeight: string;
  /** READY column: "ready/current". */
  ready: string;
  desired: number;
  upToDate: number;
  available: number;
}

/** Parses `kubectl argo rollouts list rollouts` (one namespace, no --all-namespaces): name → its columns. */
export function parseListRollouts(text: string): Map<string, CliListView> {
  const out = new Map<string, CliListView>();
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines.length === 0 || !lines[0].startsWith('NAME')) return out;
  for (const line of lines.slice(1)) {
    const [name, strategy, status, step, setWeight, ready, desired, upToDate, available] = line.trim().split(/\s+/);
    if (available === undefined) continue;
    out.set(name, { strategy, status, step, setWeight, ready, desired: Number(desired), upToDate: Number(upToDate), available: Number(available) });
  }
  return out;
}

/** The same columns from a row of Aviary's /api/workloads. */
export function aviaryListView(row: WorkloadRow): CliListView {
  const canary = row.strategy === 'canary';
  return {
    strategy: canary ? 'Canary' : row.strategy === 'blueGreen' ? 'BlueGreen' : 'unknown',
    status: row.phase === 'Aborted' ? 'Degraded' : row.phase,
    step: canary && row.step.total > 0 && row.step.current !== null ? `${row.step.current}/${row.step.total}` : '-',
    setWeight: canary ? String(row.desiredWeight ?? '?') : '-',
    ready: `${row.replicas.ready}/${row.replicas.current}`,
    desired: row.replicas.desired,
    upToDate: row.replicas.updated,
    available: row.replicas.available,
  };
}
