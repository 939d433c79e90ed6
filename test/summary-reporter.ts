/**
 * Ends every test run with the plain line `N passed, N failed` (`, N skipped` when any), which CI and
 * people read the same way whatever the runner prints above it.
 */
import type { Reporter, TestModule } from 'vitest/node';

/** A vitest reporter that only prints the closing count line. */
export class SummaryReporter implements Reporter {
  public onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = unhandledErrors.length;
    let skipped = 0;
    for (const module of testModules) {
      // A file that failed to load has no tests but is a failure.
      if (module.state() === 'failed' && module.children.size === 0) failed += 1;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed += 1;
        else if (state === 'failed') failed += 1;
        else skipped += 1;
      }
    }
    process.stdout.write(
      `\n${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}\n`,
    );
  }
}
