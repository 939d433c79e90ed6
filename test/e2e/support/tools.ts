/**
 * The external clients the end-to-end tests drive (the AWS CLI, Python with boto3): whether this machine has
 * them, and running them with a timeout.
 */
import { spawn, spawnSync } from 'node:child_process';

/** What a command printed and how it ended. */
export type CommandResult = { code: number | null; stdout: string; stderr: string };

/** Whether `command args…` runs and exits 0 (the tool is installed). */
export function toolWorks(command: string, args: readonly string[]): boolean {
  const result = spawnSync(command, [...args], { stdio: 'ignore', timeout: 15_000 });
  return result.error === undefined && result.status === 0;
}

/** Runs a command (in `cwd`, default this process's); never rejects for a non-zero exit (the result says how
 * it ended). An empty value in `env` unsets the variable. */
export function runCommand(
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string } = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, ...options.env };
    for (const [name, value] of Object.entries(options.env ?? {})) if (value === '') delete env[name];
    const child = spawn(command, [...args], {
      env,
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 30_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The environment the AWS CLI and boto3 get: dummy credentials, no profile or config from this machine
 * (empty values are unset). */
export const localAwsEnvironment: NodeJS.ProcessEnv = {
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_SESSION_TOKEN: '',
  AWS_PROFILE: '',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_PAGER: '',
};
