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
