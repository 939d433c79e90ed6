/**
 * The endpoints the suite starts itself, each calling the suite's probe functions, each with a message
 * source and stopped by {@link Target.stop}:
 * - `local`: the local pipeline of `npm start` (local/pipeline.ts) with `lambdaEndpoint` = the probe API, so
 *   its user pool (cognito-local with the pipeline's corrections) calls the probes instead of the template's
 *   functions; messages from its inbox;
 * - `cognito-local`: bare cognito-local 5.3.0 from node_modules, run as its own CLI in a temporary folder,
 *   configured as its README says (`.cognito/config.json`: `LambdaClient.endpoint`, `TriggerFunctions`);
 *   messages (codes only) from its data folder.
 * Any other endpoint is given by URL (`--endpoint`); it must already call the probe API.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { probeFunctionArn } from './context.js';
import { cognitoLocalSource, inboxSource, type MessageSource } from './messages.js';
import { startProbeLambda } from './probe-lambda.js';
import { type CheckResult, runSuite, type SuiteOptions } from './suite.js';

/** A running endpoint under test. */
export type Target = {
  /** How the scorecard names it. */
  name: string;
  endpoint: string;
  messages: MessageSource | undefined;
  stop(): Promise<void>;
};

/** The endpoints the suite can start: `local` (npm start) and `cognito-local` (bare). */
export const TargetName = { Local: 'local', CognitoLocal: 'cognito-local' } as const;
export type TargetName = (typeof TargetName)[keyof typeof TargetName];

/** How long a started endpoint may take to listen. */
const START_TIMEOUT_MS = 30_000;

/** Starts the local pipeline, its pool calling the probes at `probeUrl`. */
export async function startLocalPipelineTarget(probeUrl: string, region: string): Promise<Target> {
  const { startPipeline } = await import('../local/pipeline.js');
  const pipeline = await startPipeline({ lambdaEndpoint: probeUrl, region, write: () => undefined });
  return {
    name: 'npm start (the local pipeline)',
    endpoint: pipeline.state.endpoints.cognito,
    messages: inboxSource(pipeline.state.inboxDir),
    stop: () => pipeline.stop(),
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilListening(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`cognito-local exited (${child.exitCode}): ${output()}`);
    try {
      await fetch(url, { method: 'POST', signal: AbortSignal.timeout(1_000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`cognito-local did not listen within ${START_TIMEOUT_MS / 1000} s: ${output()}`);
}

/** The trigger function names bare cognito-local is configured with (the probe API serves any name). */
function triggerFunctionsOf(region: string): Record<string, string> {
  const names: Record<string, string> = {};
  for (const trigger of ['PreSignUp', 'CustomMessage', 'PostConfirmation']) {
    names[trigger] = probeFunctionArn(region, trigger).split(':').at(-1) ?? trigger;
  }
  return names;
}

/** Starts bare cognito-local (its own CLI, in a temporary folder), calling the probes at `probeUrl`. */
export async function startCognitoLocalTarget(probeUrl: string, region: string): Promise<Target> {
  const folder = mkdtempSync(join(tmpdir(), 'conformance-cognito-local-'));
  const configFolder = join(folder, '.cognito');
  mkdirSync(join(configFolder, 'db'), { recursive: true });
  const port = await freePort();
  const config = {
    LambdaClient: {
      endpoint: probeUrl,
      region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    },
    TriggerFunctions: triggerFunctionsOf(region),
    UserPoolDefaults: { UsernameAttributes: ['email'] },
  };
  writeFileSync(join(configFolder, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
  const start = join(
    dirname(createRequire(import.meta.url).resolve('cognito-local/package.json')),
    'lib/bin/start.js',
  );
  const child = spawn(process.execPath, [start], {
    cwd: folder,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = `${output}${chunk.toString('utf8')}`.slice(-4_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(folder, { recursive: true, force: true });
  };
  try {
    await waitUntilListening(endpoint, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    name: 'cognito-local 5.3.0 (bare)',
    endpoint,
    messages: cognitoLocalSource(join(configFolder, 'db')),
    stop,
  };
}

/**
 * Starts the named endpoint.
 *
 * @example
 * const target = await startTarget('local', probe.url, 'us-east-1');
 */
export function startTarget(name: TargetName, probeUrl: string, region: string): Promise<Target> {
  return name === TargetName.Local
    ? startLocalPipelineTarget(probeUrl, region)
    : startCognitoLocalTarget(probeUrl, region);
}

/** What {@link scoreTarget} found. */
export type TargetScore = {
  target: string;
  endpoint: string;
  messages: string | undefined;
  results: CheckResult[];
};

/**
 * Starts the probe API and the named endpoint calling it, runs the suite, and stops both.
 *
 * @example
 * const { results } = await scoreTarget('cognito-local', { region: 'us-east-1' });
 */
export async function scoreTarget(
  name: TargetName,
  options: Pick<SuiteOptions, 'checks' | 'onResult'> & { region?: string } = {},
): Promise<TargetScore> {
  const region = options.region ?? 'us-east-1';
  const probe = await startProbeLambda();
  try {
    const target = await startTarget(name, probe.url, region);
    try {
      const run = await runSuite({
        endpoint: target.endpoint,
        region,
        probe,
        ...(target.messages === undefined ? {} : { messages: target.messages }),
        ...(options.checks === undefined ? {} : { checks: options.checks }),
        ...(options.onResult === undefined ? {} : { onResult: options.onResult }),
      });
      return {
        target: target.name,
        endpoint: target.endpoint,
        messages: target.messages?.description,
        results: run.results,
      };
    } finally {
      await target.stop();
    }
  } finally {
    await probe.close();
  }
}
