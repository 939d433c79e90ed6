import { defineConfig } from 'vitest/config';
import { SummaryReporter } from './test/summary-reporter.js';

// Suites that measure behaviour under a CPU budget run alone, after everything else: another test file's
// work on the same cores would starve them further than the condition they emulate (test/integration/
// starved-cpu.test.ts: cold bundles at Lambda's CPU share).
const runAlone = ['test/integration/starved-cpu.test.ts'];

export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    reporters: ['default', new SummaryReporter()],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    env: {
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_DEV: 'false',
      // Node 20 runs the tests (Lambda runs nodejs22.x): the SDK's notice that its 2027 releases need Node 22
      // would otherwise repeat in every suite. The pinned SDK versions support Node 20.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    projects: [
      {
        extends: true,
        test: {
          name: 'tests',
          include: ['test/**/*.test.ts'],
          exclude: runAlone,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: 'cpu-budget', include: runAlone, sequence: { groupOrder: 1 } },
      },
    ],
    coverage: {
      provider: 'v8',
      include: ['shared/**', 'triggers/**', 'harness/**', 'local/**', 'cli/**', 'attach/**'],
    },
  },
});
