/**
 * `npm start`'s own life: it stops cleanly on Ctrl-C (sent, as a terminal does, to the whole process group
 * of npm, sh, the tsx wrapper and node), also during the start; it writes `ready: false` before anything
 * slow; and it refuses, in one line, a data folder another run holds, a port that is taken, or a bad option.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startProbeLambda } from '../../conformance/probe-lambda.js';
import { PROJECT_ROOT } from '../../harness/paths.js';
import { readStateFile } from '../../local/state-file.js';
import { TEMPORARY_DATA_DIR_PREFIX } from '../../local/temporary-data-dir.js';
import { cognitoClientFor, signUpWithEmail, uniqueEmail } from './support/clients.js';
import {
  type PipelineChild,
  type PipelineProcess,
  spawnPipelineProcess,
  startPipelineProcess,
} from './support/pipeline-process.js';

/** Folders and processes a test made, removed after it whatever happened. */
const cleanUps: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
});

function privateFolder(label: string): string {
  const folder = mkdtempSync(join(tmpdir(), `e2e-${label}-`));
  cleanUps.push(() => rmSync(folder, { recursive: true, force: true }));
  return folder;
}

/** Stopped after the test like a developer would (SIGINT; SIGKILL if it hangs). */
function spawned(child: PipelineChild): PipelineChild {
  cleanUps.push(async () => {
    child.signal('SIGINT');
    await child.ended(10_000);
    child.cleanUp();
  });
  return child;
}

function started(pipeline: PipelineProcess): PipelineProcess {
  cleanUps.push(async () => {
    await pipeline.stop('SIGINT');
  });
  return pipeline;
}

/** The temporary data folders in `folder` (the `TMPDIR` a run was given). */
function temporaryDataDirsIn(folder: string): string[] {
  return readdirSync(folder).filter((name) => name.startsWith(TEMPORARY_DATA_DIR_PREFIX));
}

async function takenPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  cleanUps.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port: (server.address() as { port: number }).port, server };
}

describe('E2E: npm start stops on Ctrl-C', () => {
  it('stops on SIGINT to the process group of npm start, repeated: Stopped., no data folder, ready false, no process left', async () => {
    // Prepare
    const pipeline = started(await startPipelineProcess({ via: 'npm' }));
    const cognito = cognitoClientFor(pipeline.state);
    const email = uniqueEmail('ctrl-c');
    await signUpWithEmail(cognito, pipeline.state, email);
    cognito.destroy();
    const running = pipeline.descendants();

    // Act
    // Three times, 5 ms apart: Ctrl-C pressed again, or relayed again by a wrapper, while the stop runs. npm
    // itself ends by the signal (exit 130), as in a terminal: the pipeline's own end is in its output.
    const { survivors } = await pipeline.stop('SIGINT', { repeat: 2, repeatAfterMs: 5 });

    // Assess
    expect(running.length).toBeGreaterThan(3);
    expect(pipeline.output()).toMatch(/SIGINT: stopping the pipeline…\nStopped\.\n/);
    expect(existsSync(pipeline.state.dataDir)).toBe(false);
    expect(readStateFile(pipeline.stateFile) ?? { ready: false }).toMatchObject({ ready: false });
    expect(survivors).toEqual([]);
  });

  it('stops on SIGINT during the start: Stopped., no data folder, the state file says not ready and why', async () => {
    // Prepare
    const temporary = privateFolder('tmpdir');
    const child = spawned(spawnPipelineProcess({ env: { TMPDIR: temporary } }));
    const starting = await child.waitForState((state) => state.ready === false);

    // Act
    child.signal('SIGINT');
    const code = await child.ended();

    // Assess
    expect(code).toBe(0);
    expect(child.output()).toContain('Stopped.');
    expect(child.output()).not.toContain('pipeline ready');
    expect(existsSync(starting.dataDir)).toBe(false);
    expect(temporaryDataDirsIn(temporary)).toEqual([]);
    expect(readStateFile(child.stateFile)).toMatchObject({
      ready: false,
      stoppedAt: expect.any(String),
      error: 'The pipeline was stopped before it was ready',
    });
  });

  it('ends on SIGINT right after the spawn without leaving a temporary data folder', async () => {
    // Prepare
    const temporary = privateFolder('tmpdir');
    const child = spawned(spawnPipelineProcess({ env: { TMPDIR: temporary } }));

    // Act
    child.signal('SIGINT');
    await child.ended();

    // Assess
    expect(temporaryDataDirsIn(temporary)).toEqual([]);
    expect(readStateFile(child.stateFile)?.ready ?? false).toBe(false);
  });
});

describe('E2E: startPipeline exits without a stop', () => {
  it('removes its temporary data folder and marks its state file stopped when the process exits', async () => {
    // Prepare
    const stateFile = join(privateFolder('state'), 'state.json');
    const script = `
      import { startPipeline } from './local/pipeline.ts';
      const pipeline = await startPipeline({ build: false, stateFile: ${JSON.stringify(stateFile)}, write: () => {} });
      console.log(pipeline.state.dataDir);
      process.exit(0);
    `;

    // Act
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
      timeout: 30_000,
    });
    const dataDir = result.stdout.trim();

    // Assess
    expect(result.status).toBe(0);
    expect(dataDir).toMatch(new RegExp(TEMPORARY_DATA_DIR_PREFIX));
    expect(existsSync(dataDir)).toBe(false);
    expect(readStateFile(stateFile)).toMatchObject({ ready: false, stoppedAt: expect.any(String) });
  });
});

describe('E2E: npm start state file and refusals', () => {
  it('replaces a stale ready state with ready: false, its pid and start time, before it gets ready', async () => {
    // Prepare
    const stateFile = join(privateFolder('state'), 'state.json');
    writeFileSync(stateFile, JSON.stringify({ ready: true, pid: 1, startedAt: '2020-01-01T00:00:00.000Z' }));
    const child = spawned(spawnPipelineProcess({ stateFile }));

    // Act
    const starting = await child.waitForState((state) => state.pid === child.pid);
    const ready = await child.waitForState((state) => state.ready === true);

    // Assess
    expect(starting).toEqual({
      ready: false,
      pid: child.pid,
      startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      dataDir: expect.any(String),
    });
    expect(ready).toMatchObject({ pid: child.pid, startedAt: starting.startedAt });
  });

  it('refuses a second start on the same --data-dir in one line naming the running one', async () => {
    // Prepare
    const dataDir = privateFolder('data');
    const first = started(await startPipelineProcess({ args: ['--data-dir', dataDir] }));

    // Act
    const second = spawned(spawnPipelineProcess({ args: ['--data-dir', dataDir] }));
    const code = await second.ended();

    // Assess
    expect(code).toBe(1);
    expect(second.output().trim().split('\n')).toEqual([
      `npm start failed: ${dataDir} is in use by another npm start (pid ${first.state.pid}): stop it first or choose another --data-dir (if no such process runs, delete ${dataDir}/.lock)`,
    ]);
    expect(readStateFile(first.stateFile)).toMatchObject({ ready: true, pid: first.state.pid });
  });

  it('takes over the lock of a --data-dir whose process is gone', async () => {
    // Prepare
    const dataDir = privateFolder('data');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, '.lock'), '2147483646\n');

    // Act
    const pipeline = started(await startPipelineProcess({ args: ['--data-dir', dataDir] }));

    // Assess
    expect(pipeline.state.ready).toBe(true);
  });

  it.each([
    ['cognito-port', 'The user pool API (cognito-local)'],
    ['lambda-port', 'The Lambda Invoke API'],
    ['dynamodb-port', 'DynamoDB (dynalite)'],
  ])('fails in one line naming the service and --%s when that port is taken', async (option, service) => {
    // Prepare
    const { port } = await takenPort();
    const temporary = privateFolder('tmpdir');

    // Act
    const child = spawned(
      spawnPipelineProcess({ args: [`--${option}`, String(port)], env: { TMPDIR: temporary } }),
    );
    const code = await child.ended();

    // Assess
    expect(code).toBe(1);
    expect(child.output().trim().split('\n')).toEqual([
      `npm start failed: ${service} cannot listen on 127.0.0.1:${port}: the port is in use; choose another with --${option} <n>, or leave --${option} out for a free port`,
    ]);
    expect(temporaryDataDirsIn(temporary)).toEqual([]);
  });

  it('refuses a port option that is not a port number as a usage error, naming it first', async () => {
    // Prepare
    const args = ['--cognito-port', 'abc'];

    // Act
    const child = spawned(spawnPipelineProcess({ args }));
    const code = await child.ended();

    // Assess
    expect(code).toBe(2);
    const lines = child.output().trim().split('\n');
    expect(lines[0]).toBe('--cognito-port must be a port number (0-65535), not "abc"');
    expect(lines).toContain('Usage: npm start -- [options]');
  });

  it('refuses a --lambda-endpoint that is not an http(s) URL as a usage error', async () => {
    // Prepare
    const args = ['--lambda-endpoint', 'ftp://127.0.0.1:9001'];

    // Act
    const child = spawned(spawnPipelineProcess({ args }));
    const code = await child.ended();

    // Assess
    expect(code).toBe(2);
    expect(child.output().trim().split('\n')[0]).toBe(
      '--lambda-endpoint must be an http(s) URL, not "ftp://127.0.0.1:9001"',
    );
  });

  it("sends the pool's trigger calls to --lambda-endpoint under the template's function names", async () => {
    // Prepare
    const probe = await startProbeLambda();
    cleanUps.push(() => probe.close());
    const pipeline = started(await startPipelineProcess({ args: ['--lambda-endpoint', probe.url] }));
    const cognito = cognitoClientFor(pipeline.state);
    const email = uniqueEmail('external-lambda');

    // Act
    await signUpWithEmail(cognito, pipeline.state, email);
    cognito.destroy();

    // Assess
    expect(pipeline.state.endpoints.lambda).toBe(probe.url);
    expect(probe.calls().map((call) => [call.functionName, call.trigger])).toEqual([
      ['PreSignUpFunction', 'PreSignUp'],
      ['CustomMessageFunction', 'CustomMessage'],
    ]);
  });
});
