import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cacheRoot, kubernetesVersion, paths } from './config';
import { run } from './run';

/** One Go tool module under sandbox/tools and the binaries it yields. */
interface ToolModule {
  name: 'kube' | 'argo' | 'kwok';
  /** package path → binary name */
  binaries: Record<string, string>;
  ldflags: () => string;
  /** Files from the module graph the sandbox needs at run time (copied beside the binaries). */
  assets?: (moduleDir: (path: string) => Promise<string>) => Promise<Record<string, string>>;
  /** Upstream modules built with one file rewritten: name → module, file, transform. */
  patches?: Record<string, { module: string; file: string; transform: (source: string) => string }>;
}

function kubeVersionFlags(): string {
  const [major, minor] = kubernetesVersion.replace(/^v/, '').split('.');
  const flags = ['-s', '-w'];
  for (const pkg of ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version']) {
    flags.push(
      `-X ${pkg}.gitVersion=${kubernetesVersion}`,
      `-X ${pkg}.gitMajor=${major}`,
      `-X ${pkg}.gitMinor=${minor}`,
      `-X ${pkg}.gitTreeState=clean`,
      `-X ${pkg}.buildDate=1970-01-01T00:00:00Z`,
    );
  }
  return flags.join(' ');
}

const ARGO = 'github.com/argoproj/argo-rollouts';

export const toolModules: ToolModule[] = [
  {
    name: 'kube',
    binaries: {
      'k8s.io/kubernetes/cmd/kube-apiserver': 'kube-apiserver',
      'k8s.io/kubernetes/cmd/kube-controller-manager': 'kube-controller-manager',
      'k8s.io/kubernetes/cmd/kube-scheduler': 'kube-scheduler',
      'k8s.io/kubernetes/cmd/kubectl': 'kubectl',
      'go.etcd.io/etcd/server/v3': 'etcd',
    },
    ldflags: kubeVersionFlags,
  },
  {
    name: 'argo',
    binaries: {
      [`${ARGO}/cmd/rollouts-controller`]: 'rollouts-controller',
      // Argo's own CLI, from the same module and version as the controller: the oracle the
      // integration tests compare Aviary's read path against.
      [`${ARGO}/cmd/kubectl-argo-rollouts`]: 'kubectl-argo-rollouts',
    },
    ldflags: kubeVersionFlags,
    assets: async (moduleDir) => {
      const dir = await moduleDir(ARGO);
      return {
        'crds/rollouts.yaml': join(dir, 'manifests/crds/rollout-crd.yaml'),
        'crds/analysistemplates.yaml': join(dir, 'manifests/crds/analysis-template-crd.yaml'),
        'crds/clusteranalysistemplates.yaml': join(dir, 'manifests/crds/cluster-analysis-template-crd.yaml'),
        'crds/analysisruns.yaml': join(dir, 'manifests/crds/analysis-run-crd.yaml'),
        'crds/experiments.yaml': join(dir, 'manifests/crds/experiment-crd.yaml'),
        'crds/istio.yaml': join(dir, 'test/e2e/crds/istio.yaml'),
        'crds/smi-trafficsplit.yaml': join(dir, 'test/e2e/crds/split.yaml'),
        'rbac/clusterrole.yaml': join(dir, 'manifests/role/argo-rollouts-clusterrole.yaml'),
      };
    },
    // The controller hard-codes 0.0.0.0 for its metrics and healthz listeners; the sandbox
    // listens on loopback only, so the one constant is rewritten at build time.
    patches: {
      'argo-rollouts': {
        module: ARGO,
        file: 'controller/controller.go',
        transform: (source) => {
          const patched = source.replace('"0.0.0.0:%d"', '"127.0.0.1:%d"');
          if (patched === source) throw new Error('argo-rollouts listen address constant not found; update the patch in sandbox/lib/build.ts');
          return patched;
        },
      },
    },
  },
  {
    name: 'kwok',
    binaries: { 'sigs.k8s.io/kwok/cmd/kwok': 'kwok' },
    ldflags: () => '-s -w',
  },
];

async function goVersion(): Promise<string> {
  return (await run('go', ['env', 'GOVERSION'])).stdout.trim();
}

/** The cache key: anything that changes what the build produces. */
async function buildKey(tool: ToolModule): Promise<string> {
  const dir = join(paths.tools, tool.name);
  const hash = createHash('sha256');
  hash.update(await readFile(join(dir, 'go.mod')));
  hash.update(await readFile(join(dir, 'go.sum')));
  hash.update(await goVersion());
  hash.update(tool.ldflags());
  hash.update(JSON.stringify(tool.binaries));
  for (const patch of Object.values(tool.patches ?? {})) hash.update(patch.file + patch.transform.toString());
  return hash.digest('hex').slice(0, 16);
}

export interface BuiltTool {
  dir: string;
  bin: (name: string) => string;
  asset: (name: string) => string;
  cached: boolean;
  seconds: number;
}

async function buildTool(tool: ToolModule, log: (line: string) => void): Promise<BuiltTool> {
  const key = await buildKey(tool);
  const outDir = join(cacheRoot, `${tool.name}-${key}`);
  const result = (cached: boolean, seconds: number): BuiltTool => ({
    dir: outDir,
    bin: (name) => join(outDir, 'bin', name),
    asset: (name) => join(outDir, name),
    cached,
    seconds,
  });
  if (existsSync(join(outDir, 'complete'))) return result(true, 0);

  const started = Date.now();
  const moduleDirCwd = join(paths.tools, tool.name);
  const moduleDir = async (module: string) =>
    (await run('go', ['list', '-m', '-f', '{{.Dir}}', module], { cwd: moduleDirCwd })).stdout.trim();
  const workDir = `${outDir}.tmp-${process.pid}`;
  await rm(workDir, { recursive: true, force: true });
  await mkdir(join(workDir, 'bin'), { recursive: true });

  log(`building ${Object.values(tool.binaries).join(', ')} (Go tool module sandbox/tools/${tool.name}, cache ${outDir})`);
  try {
    await compile(tool, moduleDirCwd, moduleDir, workDir, log);
  } catch (error) {
    await rm(workDir, { recursive: true, force: true });
    throw error;
  }
  await rm(outDir, { recursive: true, force: true });
  await rename(workDir, outDir);
  return result(false, (Date.now() - started) / 1000);
}

/** Runs one build step and prints a progress line at least every 15 s while it runs. */
async function withProgress<T>(label: string, started: number, log: (line: string) => void, step: () => Promise<T>): Promise<T> {
  const stepStarted = Date.now();
  const timer = setInterval(() => {
    const total = Math.round((Date.now() - started) / 1000);
    const own = Math.round((Date.now() - stepStarted) / 1000);
    log(`  … ${label}: ${own} s (module ${formatSeconds(total)} so far)`);
  }, 15_000);
  timer.unref();
  try {
    return await step();
  } finally {
    clearInterval(timer);
  }
}

export function formatSeconds(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds % 60);
  return minutes > 0 ? `${minutes} min ${String(rest).padStart(2, '0')} s` : `${rest} s`;
}

async function compile(
  tool: ToolModule,
  moduleDirCwd: string,
  moduleDir: (module: string) => Promise<string>,
  workDir: string,
  log: (line: string) => void,
): Promise<void> {
  const started = Date.now();
  await withProgress(`downloading modules for ${tool.name}`, started, log, () => run('go', ['mod', 'download'], { cwd: moduleDirCwd }));
  log(`  modules for ${tool.name} downloaded (${formatSeconds((Date.now() - started) / 1000)})`);

  const args = ['build', '-trimpath', '-ldflags', tool.ldflags()];
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (tool.patches) {
    // Go refuses -overlay for files in the module cache, so a patched module is copied out of
    // it and swapped in with a throw-away go.work; the repository itself holds no upstream code.
    const work = ['go 1.26.1', `use ${moduleDirCwd}`];
    for (const [name, patch] of Object.entries(tool.patches)) {
      const source = await moduleDir(patch.module);
      const version = (await run('go', ['list', '-m', '-f', '{{.Version}}', patch.module], { cwd: moduleDirCwd })).stdout.trim();
      const copy = join(workDir, 'src', name);
      await cp(source, copy, { recursive: true });
      await run('chmod', ['-R', 'u+w', copy]);
      await writeFile(join(copy, patch.file), patch.transform(await readFile(join(source, patch.file), 'utf8')));
      work.push(`replace ${patch.module} ${version} => ${copy}`);
    }
    await writeFile(join(workDir, 'go.work'), `${work.join('\n')}\n`);
    env.GOWORK = join(workDir, 'go.work');
  }
  for (const [pkg, binary] of Object.entries(tool.binaries)) {
    const binaryStarted = Date.now();
    await withProgress(`compiling ${binary}`, started, log, () =>
      run('go', [...args, '-o', join(workDir, 'bin', binary), pkg], { cwd: moduleDirCwd, env }),
    );
    log(`  built ${binary} in ${formatSeconds((Date.now() - binaryStarted) / 1000)}`);
  }
  for (const [target, source] of Object.entries((await tool.assets?.(moduleDir)) ?? {})) {
    await mkdir(join(workDir, target, '..'), { recursive: true });
    await cp(source, join(workDir, target));
  }
  await rm(join(workDir, 'src'), { recursive: true, force: true });
  await rm(join(workDir, 'go.work'), { force: true });
  await writeFile(join(workDir, 'complete'), new Date().toISOString());
}

export type Toolchain = Record<ToolModule['name'], BuiltTool>;

/** Builds (or finds in the cache) every sandbox binary. */
export async function ensureBuilt(log: (line: string) => void): Promise<Toolchain> {
  const built: Partial<Toolchain> = {};
  const started = Date.now();
  for (const tool of toolModules) {
    const out = await buildTool(tool, log);
    if (!out.cached) log(`  ${tool.name}: built in ${formatSeconds(out.seconds)}`);
    built[tool.name] = out;
  }
  if (Object.values(built).some((tool) => !tool.cached)) log(`sandbox binaries ready in ${formatSeconds((Date.now() - started) / 1000)}`);
  return built as Toolchain;
}
