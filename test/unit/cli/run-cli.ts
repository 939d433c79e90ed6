/**
 * Runs one of the project's CLIs the way `npm run` does (through tsx), for end-to-end CLI tests.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The exit status and both streams of a finished CLI run. */
export type CliRun = { status: number | null; stdout: string; stderr: string };

/**
 * Runs `cli/<name>.ts` with `args`, from the project root; a name with a folder (`scripts/lint-messages`)
 * runs `<name>.ts` instead.
 */
export function runCli(name: string, args: readonly string[], input?: string): CliRun {
  const file = name.includes('/') ? `${name}.ts` : `cli/${name}.ts`;
  const result = spawnSync(process.execPath, ['--import', 'tsx', file, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    input,
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'INFO', FORCE_COLOR: '0' },
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The status of a CLI run and the lines it warned that env-vars block `block` names no function. */
export function envVarsWarningOf(run: { status: number | null; stderr: string }, block: string) {
  const warning = `env-vars: block "${block}" names no function of template.yaml; SAM ignores it`;
  return { status: run.status, warnings: run.stderr.split('\n').filter((line) => line === warning), warning };
}
