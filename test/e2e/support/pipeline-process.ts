/**
 * Runs `npm start`'s entry point (cli/start.ts) as a child process, the way a developer does, waits for its
 * state file to say `ready`, and stops it with a signal. {@link PipelineProcess.stop} also reports which of
 * the processes it had started (function instances) outlived it, so tests can assert none did.
 *
 * `via: 'npm'` starts it exactly as a terminal does: `npm start -- …` (npm, sh, the tsx wrapper, node) in a
 * process group of its own, and signals go to the whole group, as Ctrl-C does.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../../harness/paths.js';
import { type PipelineState, readStateFile, type StateFileContent } from '../../../local/state-file.js';

/** A pipeline process, ready or not. */
export type PipelineChild = {
  /** The spawned process: node itself, or npm (the group leader) with `via: 'npm'`. */
  pid: number;
  stateFile: string;
  /** Everything the processes printed so far (stdout and stderr). */
  output(): string;
  /** Resolves with the state file once `accept` takes it; rejects past `timeoutMs` or when the process ends. */
  waitForState(accept: (state: StateFileContent) => boolean, timeoutMs?: number): Promise<StateFileContent>;
  /** Resolves once the output matches; rejects past `timeoutMs`. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** The process ids below the spawned process right now (sh, tsx, node, function instances). */
  descendants(): number[];
  /** Sends a signal: to the process group with `via: 'npm'` (Ctrl-C), else to the process. */
  signal(signal: NodeJS.Signals): void;
  /**
   * Resolves once every process holding the output pipes ended (the whole group, not only npm), with the
   * spawned process's exit code; SIGKILLs the group past `timeoutMs`.
   */
  ended(timeoutMs?: number): Promise<number | null>;
  /** Removes the folder holding the state file and env-vars file. */
  cleanUp(): void;
};

/** A pipeline that got ready. */
export type PipelineProcess = {
  state: PipelineState;
  stateFile: string;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** Resolves once the output printed since `since` (an index into {@link output}) matches. */
  waitForOutput(pattern: RegExp, since?: number, timeoutMs?: number): Promise<string>;
  /** The process ids below the pipeline process right now (function instances). */
  descendants(): number[];
  /**
   * Sends the signal (`repeat` more times, `repeatAfterMs` apart: a second Ctrl-C, or the same one relayed by
   * a wrapper), waits for the exit; resolves with the exit code and the descendants still alive.
   */
  stop(
    signal?: NodeJS.Signals,
    options?: { repeat?: number; repeatAfterMs?: number },
  ): Promise<{ code: number | null; survivors: number[] }>;
};

/** Options of {@link startPipelineProcess} and {@link spawnPipelineProcess}. */
export type PipelineProcessOptions = {
  /** More arguments for cli/start.ts (`--record <dir>`, …). `--no-build` is always passed: globalSetup built. */
  args?: readonly string[];
  /** Variables the functions run with, on top of local/env.local.json (SAM --env-vars blocks). */
  envVars?: Record<string, Record<string, string>>;
  /** `node` (default): `node --import tsx cli/start.ts`; `npm`: `npm start --`, in its own process group. */
  via?: 'node' | 'npm';
  /** Where the state file goes; default a new temporary folder. */
  stateFile?: string;
  /** Environment variables on top of this process's (`TMPDIR` for the temporary data folder). */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
};

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

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

/** Whether a process runs (a zombie waiting for its parent counts as ended). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const state =
    spawnSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).stdout?.trim() ?? '';
  return state !== '' && !state.startsWith('Z');
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
 * Spawns cli/start.ts with `--no-build --state-file <file>` and returns at once (the tests of the start
 * itself); {@link startPipelineProcess} waits until ready.
 *
 * @example
 * const child = spawnPipelineProcess({ via: 'npm' });
 * await child.waitForState((state) => state.ready === false);
 * child.signal('SIGINT');
 */
export function spawnPipelineProcess(options: PipelineProcessOptions = {}): PipelineChild {
  const directory = mkdtempSync(join(tmpdir(), 'e2e-pipeline-'));
  const stateFile = options.stateFile ?? join(directory, 'state.json');
  const startArgs = ['--no-build', '--state-file', stateFile];
  if (options.envVars !== undefined) {
    const envVarsFile = join(directory, 'env.json');
    writeFileSync(envVarsFile, JSON.stringify(layeredEnvVars(options.envVars), null, 2));
    startArgs.push('--env-vars', envVarsFile);
  }
  startArgs.push(...(options.args ?? []));
  const viaNpm = options.via === 'npm';
  const env = { ...process.env, NODE_NO_WARNINGS: '1', ...options.env };
  const child: ChildProcess = viaNpm
    ? spawn('npm', ['start', '--', ...startArgs], {
        cwd: PROJECT_ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
        env,
        // Its own process group, as a terminal's foreground job: Ctrl-C signals every process in it.
        detached: true,
      })
    : spawn(process.execPath, ['--import', 'tsx', 'cli/start.ts', ...startArgs], {
        cwd: PROJECT_ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
        env,
      });
  const pid = child.pid as number;
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // 'close': the process exited and every process holding its pipes (the whole group) closed them.
  const closed = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  let running = true;
  void exited.then(() => {
    running = false;
  });

  function signal(name: NodeJS.Signals): void {
    try {
      if (viaNpm) process.kill(-pid, name);
      else child.kill(name);
    } catch {
      // Already gone.
    }
  }

  return {
    pid,
    stateFile,
    output: () => output,
    async waitForState(accept, timeoutMs = options.timeoutMs ?? 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline && running) {
        const state = readStateFile(stateFile);
        if (state !== undefined && accept(state)) return state;
        await sleep(5);
      }
      throw new Error(`The state file never said what the test waits for:\n${output.slice(-3000)}`);
    },
    async waitForOutput(pattern, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (pattern.test(output)) return output;
        await sleep(20);
      }
      throw new Error(`The output never matched ${pattern}:\n${output.slice(-3000)}`);
    },
    descendants: () => descendantsOf(pid),
    signal,
    async ended(timeoutMs = 15_000) {
      const code = await Promise.race([closed, sleep(timeoutMs).then(() => 'timeout' as const)]);
      if (code !== 'timeout') return code;
      if (viaNpm) signal('SIGKILL');
      else child.kill('SIGKILL');
      return closed;
    },
    cleanUp() {
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/**
 * Starts `node --import tsx cli/start.ts --no-build --state-file <tmp>/state.json …` (or `npm start`) and
 * waits until ready.
 *
 * @example
 * const pipeline = await startPipelineProcess();
 * pipeline.state.endpoints.cognito; // http://127.0.0.1:…
 * const { survivors } = await pipeline.stop();
 */
export async function startPipelineProcess(options: PipelineProcessOptions = {}): Promise<PipelineProcess> {
  const child = spawnPipelineProcess(options);
  let state: StateFileContent;
  try {
    state = await child.waitForState((content) => content.ready === true);
  } catch (error) {
    child.signal('SIGKILL');
    await child.ended(5000);
    child.cleanUp();
    throw error;
  }
  if (state.ready !== true) throw new Error('Test bug: waited for a ready state');
  const ready: PipelineState = state;

  return {
    state: ready,
    stateFile: child.stateFile,
    output: child.output,
    async waitForOutput(pattern, since = 0, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const printed = child.output().slice(since);
        if (pattern.test(printed)) return printed;
        await sleep(20);
      }
      throw new Error(`The output never matched ${pattern}:\n${child.output().slice(since).slice(-3000)}`);
    },
    descendants: child.descendants,
    async stop(signal = 'SIGINT', { repeat = 0, repeatAfterMs = 20 } = {}) {
      const before = child.descendants();
      child.signal(signal);
      for (let sent = 0; sent < repeat; sent += 1) {
        await sleep(repeatAfterMs);
        child.signal(signal);
      }
      const code = await child.ended();
      // Helpers that end when their parent's pipe closes (esbuild's service) may take a moment.
      for (let waited = 0; waited < 3000 && before.some(isAlive); waited += 50) await sleep(50);
      const survivors = before.filter(isAlive);
      for (const survivor of survivors) process.kill(survivor, 'SIGKILL');
      child.cleanUp();
      return { code, survivors };
    },
  };
}
