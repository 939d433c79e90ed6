/**
 * `npm install` runs this (postinstall); .ci/run runs it again as a step of its own. Installs the Lambda
 * runtime's Node, pinned in harness/runtime-node.ts, under node_modules/.runtime-node/ (harness/
 * install-runtime-node.ts).
 *
 * Where it cannot (no pinned build for this platform, the registry out of reach) it says so in one line and
 * exits 0, so `npm install` still works offline and on other platforms: the suites that run the bundles then
 * say `SKIPPED`, and `npm start` runs the functions on the Node that runs it, saying so. With `CI=true`
 * either is a failure (exit 1). A tarball that is not the pinned one always is. One line either way.
 */
import { relative } from 'node:path';
import { installRuntimeNode } from '../harness/install-runtime-node.js';
import { PROJECT_ROOT } from '../harness/paths.js';
import { RUNTIME_NODE, runtimeNodeBuildFor } from '../harness/runtime-node.js';

const inCi = process.env.CI === 'true';
const wanted = `Node ${RUNTIME_NODE.version} (the Lambda runtime's nodejs${RUNTIME_NODE.major}.x)`;
const without = 'the bundle suites will say SKIPPED and npm start runs the functions on this Node';

function cannot(reason: string): number {
  if (inCi) {
    console.error(`install-runtime-node: ${wanted} is required in CI, but ${reason}`);
    return 1;
  }
  console.warn(`install-runtime-node: not installed, ${reason}; ${without} (${process.version})`);
  return 0;
}

function main(): number {
  const platform = `${process.platform}-${process.arch}`;
  const build = runtimeNodeBuildFor();
  if (build === undefined) {
    const pinned = Object.keys(RUNTIME_NODE.builds).join(', ');
    return cannot(`no build is pinned for ${platform} (harness/runtime-node.ts pins ${pinned})`);
  }
  const outcome = installRuntimeNode({ build });
  if (outcome.kind === 'unfetched') return cannot(outcome.reason);
  const where = relative(PROJECT_ROOT, outcome.path);
  console.log(
    outcome.kind === 'installed'
      ? `install-runtime-node: installed ${wanted} from ${build.package}, integrity checked: ${where}`
      : `install-runtime-node: ${wanted} is installed: ${where}`,
  );
  return 0;
}

try {
  process.exitCode = main();
} catch (error) {
  console.error(`install-runtime-node: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
