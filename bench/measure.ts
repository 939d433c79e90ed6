/**
 * The measured processes: fresh `node` processes for cold starts, one long-lived process for warm
 * invocations. Each runs with a clean, Lambda-like environment (nothing inherited from this process: no
 * NODE_OPTIONS, no tsx loader) and writes its measurements to a report file; its stdout, where the
 * function logs, goes to /dev/null.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CpuController, commandInGroup, createCpuGroup } from '../harness/cpu-share.js';
import { lambdaEnvironment } from '../harness/lambda-environment.js';
import { nodeForBundles } from '../harness/runtime-node.js';
import type { Prepared } from './prepare.js';

const COLD_RUNNER = fileURLToPath(new URL('./cold-start.cjs', import.meta.url));
const WARM_RUNNER = fileURLToPath(new URL('./warm.cjs', import.meta.url));
const SHARE_RUNNER = fileURLToPath(new URL('./share-cold-start.cjs', import.meta.url));

/** Reads the peak RSS of an otherwise empty process, for the `node -e 0` row. */
const RSS_PROBE =
  "require('node:fs').writeFileSync(process.env.BENCH_REPORT, JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS }))";

/** One cold process. `requireMs` and `firstInvocationMs` are absent for `node -e 0`. */
export type ColdSample = {
  wallMs: number;
  maxRssKb: number;
  requireMs?: number;
  firstInvocationMs?: number;
  outcome?: string;
};

/** What one warm process measured. */
export type WarmSample = { samplesUs: number[]; outcomes: string[] };

/**
 * The variables the Lambda Node.js runtime sets (the same as the bundle invoker's), then the function's own.
 * The AWS SDK warns at client construction when Node is older than 22 (this machine runs 20, Lambda's
 * nodejs22.x does not): printing that warning costs several ms that Lambda would not spend, so it is
 * switched off.
 */
function benchEnvironment(prepared: Prepared, extra: Record<string, string>): Record<string, string> {
  return {
    ...lambdaEnvironment({
      functionName: prepared.candidate.function ?? 'node',
      memoryMb: prepared.memoryMb,
      exportName: prepared.bundle?.exportName,
    }),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...prepared.environment,
    ...extra,
  };
}

/**
 * Runs `node <args>` to the end, on the Lambda runtime's Node where it is here (harness/runtime-node.ts), and
 * returns how long it took, wall clock, in ms.
 */
function runNode(args: readonly string[], env: Record<string, string>, timeoutMs: number): number {
  const started = performance.now();
  const result = spawnSync(nodeForBundles(), args, {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: timeoutMs,
    maxBuffer: 16 * 1024 * 1024,
  });
  const wallMs = performance.now() - started;
  if (result.error !== undefined || result.status !== 0) {
    const why = result.error?.message ?? `exit status ${result.status ?? result.signal}`;
    const stderr = result.stderr?.toString('utf8').trim().split('\n').slice(-15).join('\n') ?? '';
    throw new Error(`node ${args.join(' ')} failed (${why})${stderr === '' ? '' : `:\n${stderr}`}`);
  }
  return wallMs;
}

function readReport<T>(path: string): T {
  const report = JSON.parse(readFileSync(path, 'utf8')) as T;
  rmSync(path);
  return report;
}

function bundleVariables(prepared: Prepared, reportPath: string): Record<string, string> {
  if (prepared.bundle === undefined || prepared.eventPath === undefined) {
    throw new Error(`${prepared.candidate.id} needs a bundle and an event`);
  }
  return {
    BENCH_BUNDLE: prepared.bundle.path,
    BENCH_EXPORT: prepared.bundle.exportName,
    BENCH_EVENT: prepared.eventPath,
    BENCH_REPORT: reportPath,
  };
}

/** One fresh process that loads the candidate and runs one invocation (`node -e 0` for the reference). */
export function coldRun(prepared: Prepared, scratchDir: string): ColdSample {
  const reportPath = join(scratchDir, `${prepared.candidate.id}.cold.json`);
  if (prepared.bundle === undefined) {
    const env = benchEnvironment(prepared, { BENCH_REPORT: reportPath });
    const wallMs = runNode(['-e', '0'], env, 30_000);
    runNode(['-e', RSS_PROBE], env, 30_000);
    return { wallMs, ...readReport<{ maxRssKb: number }>(reportPath) };
  }
  const env = benchEnvironment(prepared, bundleVariables(prepared, reportPath));
  const wallMs = runNode([COLD_RUNNER], env, 30_000);
  return { wallMs, ...readReport<Omit<ColdSample, 'wallMs'>>(reportPath) };
}

/**
 * Cold runs of every candidate, `rounds` times, interleaved: each round runs every candidate once, starting
 * one further down the list each time, so drift and position effects hit every candidate alike. One more
 * round runs first and is dropped (it fills the page cache). Returns the samples in candidate order.
 */
export function coldRounds(
  prepared: readonly Prepared[],
  rounds: number,
  scratchDir: string,
  onRound: (round: number) => void = () => {},
): ColdSample[][] {
  const samples: ColdSample[][] = prepared.map(() => []);
  for (let round = 0; round <= rounds; round += 1) {
    for (let step = 0; step < prepared.length; step += 1) {
      const index = (round + step) % prepared.length;
      const candidate = prepared[index];
      if (candidate === undefined) continue;
      const sample = coldRun(candidate, scratchDir);
      if (round > 0) samples[index]?.push(sample);
    }
    onRound(round);
  }
  return samples;
}

/** One process: load once, `warmup` untimed invocations, then `invocations` timed ones (µs each). */
export function warmRun(
  prepared: Prepared,
  counts: { warmup: number; invocations: number },
  scratchDir: string,
): WarmSample {
  const reportPath = join(scratchDir, `${prepared.candidate.id}.warm.json`);
  const env = benchEnvironment(prepared, {
    ...bundleVariables(prepared, reportPath),
    BENCH_WARMUP: String(counts.warmup),
    BENCH_INVOCATIONS: String(counts.invocations),
  });
  runNode([WARM_RUNNER], env, 600_000);
  return readReport<WarmSample>(reportPath);
}

/** One cold start under a CPU share, timed from the parent: spawn -> init done -> reply. */
export type ShareSample = {
  /** Spawn to the reply: process start, init and the first invocation (what a cold Cognito call waits for). */
  totalMs: number;
  /** Spawn to "init done": process start and loading the bundle. */
  initMs: number;
  /** "Init done" to the reply: the first invocation, its event and reply hops included. */
  invocationMs: number;
  requireMs: number;
  maxRssKb: number;
  /** `returned`, `threw <name>` or `timeout`. */
  outcome: string;
  /** How many log lines the function wrote at level ERROR or WARN (a failed call shows up here). */
  errorLines: number;
  warnLines: number;
  /** What the function's logs say went wrong (see {@link logNoteOf}). */
  notes: string[];
  /** `@aws-sdk/client-…` packages loaded from node_modules. */
  sdkPackages: string[];
};

/**
 * What a function's log line says went wrong, briefly, or `undefined`: an ERROR line's message, a trigger
 * decision that ended in a fault or a rejection (and which rule was running), onboarding actions that
 * failed, an event sent to the failure queue.
 */
export function logNoteOf(line: string): string | undefined {
  let entry: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    entry = parsed as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const { level, message } = entry;
  if (message === 'trigger decision' && (entry.outcome === 'fault' || entry.outcome === 'rejected')) {
    const code = typeof entry.code === 'string' ? ` ${entry.code}` : '';
    return `${entry.outcome}${code} in ${String(entry.decidedBy)}`;
  }
  if (message === 'onboarding' && Array.isArray(entry.actions)) {
    const failed = (entry.actions as Array<Record<string, unknown>>).filter(
      (action) => action.outcome === 'failed',
    );
    if (failed.length === 0) return undefined;
    const reasons = [...new Set(failed.map((action) => String(action.errorName ?? 'Error')))].join(', ');
    return `${failed.length} onboarding action(s) failed (${reasons})`;
  }
  if (message === 'event sent to the failure queue') return 'event queued';
  if (level === 'ERROR' && typeof message === 'string') return message;
  return undefined;
}

/** What one share run needs. */
export type ShareRun = {
  bundlePath: string;
  exportName: string;
  functionName: string;
  memoryMb: number;
  /** The function's variables (template, env-vars file, the scenario's own, local endpoints). */
  environment: Record<string, string>;
  eventText: string;
  controller: CpuController;
  /** The fraction of one core for the invocation (and for init, unless {@link initShare} is set). */
  share: number;
  /** The fraction of one core until init is done, then {@link share}. */
  initShare?: number;
  /** Called when init is done (the share may be lowered). */
  onInit?: () => void;
  /** Receives each line the function writes to stdout (its logs). */
  onLog?: (line: string) => void;
  timeoutMs?: number;
};

type ShareReply =
  | { kind: 'ready' }
  | {
      kind: 'done';
      requireMs: number;
      invocationMs: number;
      outcome: string;
      sdkPackages: string[];
      maxRssKb: number;
    };

/**
 * Starts a fresh process in a CPU group of its own (harness/cpu-share.ts) holding `initShare` (or `share`)
 * of one core from its first instruction, waits for its init to end, moves it to `share`, hands it the event
 * and waits for the reply. Asynchronous: the loopback servers in this process keep answering meanwhile.
 */
export function coldAtShare(run: ShareRun): Promise<ShareSample> {
  const group = createCpuGroup(run.controller, run.functionName, run.initShare ?? run.share);
  const env = {
    ...lambdaEnvironment({
      functionName: run.functionName,
      memoryMb: run.memoryMb,
      exportName: run.exportName,
    }),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...run.environment,
    BENCH_BUNDLE: run.bundlePath,
    BENCH_EXPORT: run.exportName,
  };
  const { file, args } = commandInGroup(group, [nodeForBundles(), SHARE_RUNNER]);
  return new Promise<ShareSample>((resolvePromise, rejectPromise) => {
    const started = performance.now();
    let initAt: number | undefined;
    let done: (ShareReply & { kind: 'done' }) | undefined;
    let doneAt = 0;
    let timedOut = false;
    let partial = '';
    let stderr = '';
    const levels = { error: 0, warn: 0 };
    const notes = new Set<string>();
    const count = (line: string) => {
      run.onLog?.(line);
      const note = logNoteOf(line);
      if (note !== undefined) notes.add(note);
      if (/"level":"ERROR"/.test(line)) levels.error += 1;
      else if (/"level":"WARN"/.test(line)) levels.warn += 1;
    };
    const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'], serialization: 'json' });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, run.timeoutMs ?? 60_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      lines.forEach(count);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4000);
    });
    child.on('message', (reply: ShareReply) => {
      if (reply.kind === 'ready') {
        initAt = performance.now();
        if (run.initShare !== undefined) group.setShare(run.share);
        run.onInit?.();
        child.send({ eventText: run.eventText });
        return;
      }
      doneAt = performance.now();
      done = reply;
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      group.remove();
      rejectPromise(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      group.remove();
      count(partial);
      if (done === undefined || initAt === undefined) {
        if (timedOut && initAt !== undefined) {
          const totalMs = performance.now() - started;
          resolvePromise({
            totalMs,
            initMs: initAt - started,
            invocationMs: totalMs - (initAt - started),
            requireMs: 0,
            maxRssKb: 0,
            outcome: 'timeout',
            errorLines: levels.error,
            warnLines: levels.warn,
            notes: [...notes],
            sdkPackages: [],
          });
          return;
        }
        const why = timedOut ? 'timed out' : `exit status ${code ?? signal}`;
        const tail = stderr.trim().split('\n').slice(-15).join('\n');
        rejectPromise(
          new Error(`${run.functionName} cold start failed (${why})${tail === '' ? '' : `:\n${tail}`}`),
        );
        return;
      }
      resolvePromise({
        totalMs: doneAt - started,
        initMs: initAt - started,
        invocationMs: doneAt - initAt,
        requireMs: done.requireMs,
        maxRssKb: done.maxRssKb,
        outcome: done.outcome,
        errorLines: levels.error,
        warnLines: levels.warn,
        notes: [...notes],
        sdkPackages: done.sdkPackages,
      });
    });
  });
}
