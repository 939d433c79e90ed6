import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';
import { PROJECT_ROOT } from './harness/paths.js';
import { RUNTIME_NODE, runtimeNode } from './harness/runtime-node.js';
import { SummaryReporter } from './test/summary-reporter.js';
import { runsHereOrSkips } from './test/support/ci.js';

// Suites that measure behaviour under a CPU budget run alone, after everything else: another test file's
// work on the same cores would starve them further than the condition they emulate (test/integration/
// starved-cpu.test.ts: cold bundles at Lambda's CPU share).
const runAlone = ['test/integration/starved-cpu.test.ts'];

// The bundle-level suites: the built bundles, as Lambda runs them, on the Lambda runtime's Node. harness/
// bundle-invoker.ts starts every bundle on it, whatever Node runs vitest; `npm test` runs vitest on it too
// (scripts/on-runtime-node.ts), where the tests measured faster than on Node 20 (docs/benchmarks.md, "Runtime
// Node"). Where that Node is missing (no pinned build for the platform, an offline first install, no Node 22
// running vitest), each folder says SKIPPED and is left out; in CI that fails the run.
const onRuntimeNode = ['test/replay', 'test/integration', 'test/e2e'];

/** The globs to leave out: none where the runtime's Node is here. */
function withoutRuntimeNode(): string[] {
  const found = runtimeNode();
  if (found.available) return [];
  // vitest loads this file twice in one process: the SKIPPED lines are said once.
  const said = Symbol.for('runtime-node-skips-said');
  const global = globalThis as { [said]?: boolean };
  for (const dir of onRuntimeNode) {
    const files = readdirSync(join(PROJECT_ROOT, dir), { recursive: true, encoding: 'utf8' });
    const count = files.filter((name) => name.endsWith('.test.ts')).length;
    const title = `${dir} (${count} ${count === 1 ? 'suite' : 'suites'})`;
    const reason = `Lambda's Node ${RUNTIME_NODE.major} is not here: ${found.reason}`;
    if (global[said] !== true || process.env.CI === 'true') runsHereOrSkips(title, false, reason);
  }
  global[said] = true;
  return onRuntimeNode.map((dir) => `${dir}/**`);
}
const skipped = withoutRuntimeNode();

export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    reporters: ['default', new SummaryReporter()],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    env: {
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_DEV: 'false',
      // `npx vitest` on an older Node (this machine's system Node is 20; `npm test` and the bundles use 22): the
      // SDK's notice that its 2027 releases need Node 22 would otherwise repeat in every suite.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    projects: [
      {
        extends: true,
        test: {
          name: 'tests',
          include: ['test/**/*.test.ts'],
          exclude: [...runAlone, ...skipped],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: 'cpu-budget', include: runAlone, exclude: skipped, sequence: { groupOrder: 1 } },
      },
    ],
    coverage: {
      provider: 'v8',
      include: ['shared/**', 'triggers/**', 'harness/**', 'local/**', 'cli/**', 'attach/**'],
    },
  },
});
