/**
 * Runs `npm start`'s entry point (cli/start.ts) as a child process, the way a developer does, waits for its
 * state file to say `ready`, and stops it with a signal. {@link PipelineProcess.stop} also reports which of
 * the processes it had started (function instances) outlived it, so tests can assert none did.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../../harness/paths.js';
import { type PipelineState, readStateFile } from '../../../local/state-file.js';

/** A pipeline running in a child process. */
export type PipelineProcess = {
  state: PipelineState;
  stateFile: string;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** The process ids below the pipeline process right now (function instances). */
  descendants(): number[];
  /** Sends the signal, waits for the exit; resolves with the exit code and the descendants still alive. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; survivors: number[] }>;
};

/** Options of {@link startPipelineProcess}. */
export type PipelineProcessOptions = {
  /** More arguments for cli/start.ts (`--record <dir>`, …). `--no-build` is always passed: globalSetup built. */
  args?: readonly string[];
  /** Variables the functions run with, on top of local/env.local.json (SAM --env-vars blocks). */
  envVars?: Record<string, Record<string, string>>;
  timeoutMs?: number;
};

/** Every process below `pid`, from `ps` (Linux and macOS). */
function descendantsOf(pid: number): number[] {
  const listing = spawnSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8' }).stdout ?? '';
  const children = new Map<number, number[]>();
  for (const line of listing.split('\n')) {
    const [child, parent] = line.trim().split(/\s+/).map(Number);
    if (child === undefined || parent === undefined || Number.isNaN(child)) continue;
    children.set(parent, [...(children.get(parent) ?? []), child]);
  }
  const all: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift() as number) ?? []) {
      all.push(child);
      queue.push(child);
    }
  }
  return all;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function layeredEnvVars(
  extra: Record<string, Record<string, string>>,
): Record<string, Record<string, string>> {
  const base = JSON.parse(readFileSync(join(PROJECT_ROOT, 'local/env.local.json'), 'utf8')) as Record<
    string,
    Record<string, string>
  >;
  for (const [block, values] of Object.entries(extra)) base[block] = { ...base[block], ...values };
  return base;
}

/**
 * Starts `node --import tsx cli/start.ts --no-build --state-file <tmp>/state.json …` and waits until ready.
 *
 * @example
 * const pipeline = await startPipelineProcess();
 * pipeline.state.endpoints.cognito; // http://127.0.0.1:…
 * const { survivors } = await pipeline.stop();
 */
export async function startPipelineProcess(options: PipelineProcessOptions = {}): Promise<PipelineProcess> {
  const directory = mkdtempSync(join(tmpdir(), 'e2e-pipeline-'));
  const stateFile = join(directory, 'state.json');
  const args = ['--import', 'tsx', 'cli/start.ts', '--no-build', '--state-file', stateFile];
  if (options.envVars !== undefined) {
    const envVarsFile = join(directory, 'env.json');
    writeFileSync(envVarsFile, JSON.stringify(layeredEnvVars(options.envVars), null, 2));
    args.push('--env-vars', envVarsFile);
  }
  args.push(...(options.args ?? []));
  let output = '';
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  let state: PipelineState | undefined;
  while (Date.now() < deadline && child.exitCode === null) {
    state = readStateFile(stateFile);
    if (state?.ready === true) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (state?.ready !== true) {
    child.kill('SIGKILL');
    await exited;
    rmSync(directory, { recursive: true, force: true });
    throw new Error(`The pipeline did not get ready within ${timeoutMs} ms:\n${output.slice(-3000)}`);
  }
  const ready = state;
  const pid = child.pid as number;

  return {
    state: ready,
    stateFile,
    output: () => output,
    descendants: () => descendantsOf(pid),
    async stop(signal = 'SIGINT') {
      const before = descendantsOf(pid);
      if (child.exitCode === null) child.kill(signal);
      const code = await Promise.race([
        exited,
        new Promise<null>((resolve) => setTimeout(() => resolve(null), 15_000)),
      ]);
      if (child.exitCode === null) child.kill('SIGKILL');
      // Helpers that end when their parent's pipe closes (esbuild's service) may take a moment.
      for (let waited = 0; waited < 3000 && before.some(isAlive); waited += 50) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const survivors = before.filter(isAlive);
      for (const survivor of survivors) process.kill(survivor, 'SIGKILL');
      rmSync(directory, { recursive: true, force: true });
      return { code, survivors };
    },
  };
}
