/**
 * Suites that need a tool a developer's machine may lack (moto, the AWS CLI, boto3): skipped with a warning
 * that says why on such a machine, but a failure in CI (`CI=true`), where the tools are installed, so a
 * broken installation never passes as a skip.
 */

/** Whether a suite can run; warns `SKIPPED <title>: <reason>` when not, and throws instead in CI. */
export function runsHereOrSkips(title: string, available: boolean, reason: string): boolean {
  if (available) return true;
  if (process.env.CI === 'true') throw new Error(`${title}: required in CI, but ${reason}`);
  console.warn(`SKIPPED ${title}: ${reason}`);
  return false;
}
