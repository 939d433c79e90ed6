/**
 * cfn-lint for the template suites: whether it is installed (a suite without it says SKIPPED, and fails in
 * CI), and one run over several files, since its start and SAM's transform take seconds.
 */
import { spawnSync } from 'node:child_process';
import { PROJECT_ROOT } from '../../harness/paths.js';
import { runsHereOrSkips } from './ci.js';

/** Whether cfn-lint runs here; otherwise the suite `title` says SKIPPED (and fails with CI=true). */
export function cfnLintRunsHere(title: string): boolean {
  return runsHereOrSkips(
    title,
    spawnSync('cfn-lint', ['--version'], { stdio: 'ignore' }).status === 0,
    'cfn-lint not found (pip install cfn-lint); it runs in CI (.ci/run)',
  );
}

/** One cfn-lint run over `files`: its exit status and its parseable lines, each naming its file. */
export function cfnLint(files: readonly string[]): { status: number | null; lines: string[] } {
  const run = spawnSync('cfn-lint', ['--format', 'parseable', ...files], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
  });
  return {
    status: run.status,
    lines: `${run.stdout}${run.stderr}`.split('\n').filter((line) => line.trim() !== ''),
  };
}
