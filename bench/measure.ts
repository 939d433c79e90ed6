/**
 * The measured processes: fresh `node` processes for cold starts, one long-lived process for warm
 * invocations. Each runs with a clean, Lambda-like environment (nothing inherited from this process: no
 * NODE_OPTIONS, no tsx loader) and writes its measurements to a report file; its stdout, where the
 * function logs, goes to /dev/null.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lambdaEnvironment } from '../harness/lambda-environment.js';
import type { Prepared } from './prepare.js';

const COLD_RUNNER = fileURLToPath(new URL('./cold-start.cjs', import.meta.url));
const WARM_RUNNER = fileURLToPath(new URL('./warm.cjs', import.meta.url));

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

/** Runs `node <args>` to the end and returns how long it took, wall clock, in ms. */
function runNode(args: readonly string[], env: Record<string, string>, timeoutMs: number): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, {
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
