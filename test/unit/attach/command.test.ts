import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UserPoolType } from '@aws-sdk/client-cognito-identity-provider';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ATTACH_USAGE, attachCommand, type CommandIo, detachCommand } from '../../../attach/command.js';
import { UserPoolNotFoundError } from '../../../attach/errors.js';
import { UsageError } from '../../../cli/command-line.js';
import { type FakeCognito, type FakeCognitoOptions, fakeCognito } from './fake-cognito.js';
import { everyFieldPool, OURS, THEIRS } from './pools.js';

const POOL_ID = 'us-east-1_AbC123';
const FUNCTIONS = Object.entries(OURS).flatMap(([trigger, arn]) => ['--function', `${trigger}=${arn}`]);

/** A command's streams and the fake Cognito it talks to, with the client options it asked for. */
function harness(options: Partial<FakeCognitoOptions> & { pool?: UserPoolType } = {}) {
  const cognito: FakeCognito = fakeCognito({ ...options, pool: options.pool ?? everyFieldPool() });
  const out: string[] = [];
  const err: string[] = [];
  const clients: { region: string; endpoint: string | undefined }[] = [];
  const io: CommandIo = {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    client: (target) => {
      clients.push(target);
      return cognito.client;
    },
  };
  return { cognito, io, out, err, clients };
}

describe('Attach: attachCommand', () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'attach-command-'));
  });

  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('attaches, prints the difference, and exits 0', async () => {
    // Prepare
    const { io, out, err, clients } = harness();

    // Act
    const status = await attachCommand(['--user-pool-id', POOL_ID, ...FUNCTIONS], io);

    // Assess
    expect({ status, err, clients }).toEqual({
      status: 0,
      err: [],
      clients: [{ region: 'us-east-1', endpoint: undefined }],
    });
    expect(out).toEqual(
      expect.arrayContaining([
        'user pool us-east-1_AbC123 (existing-production-pool)',
        `+ LambdaConfig.PreSignUp = "${OURS.PreSignUp}"`,
        'attached: 3 slot(s) changed',
      ]),
    );
  });

  it('refuses a slot that holds another function, exits 1, and sends no update', async () => {
    // Prepare
    const { io, err, cognito } = harness({
      pool: { ...everyFieldPool(), LambdaConfig: { PreSignUp: THEIRS[0] } },
    });

    // Act
    const status = await attachCommand(['--user-pool-id', POOL_ID, ...FUNCTIONS], io);

    // Assess
    expect({ status, err }).toEqual({
      status: 1,
      err: [
        `attach: LambdaConfig.PreSignUp points at ${THEIRS[0]}, not at ours (${OURS.PreSignUp})`,
        'attach: nothing was changed; pass --replace to replace it (detach then restores it)',
      ],
    });
    expect(cognito.calls.map((call) => call.operation)).toEqual(['DescribeUserPool']);
  });

  it('on a dry run prints the difference and what it would not send back, and sends nothing', async () => {
    // Prepare
    const { io, out, cognito } = harness();

    // Act
    const status = await attachCommand(['--user-pool-id', POOL_ID, ...FUNCTIONS, '--dry-run'], io);

    // Assess
    expect({ status, calls: cognito.calls.length, last: out.at(-1) }).toEqual({
      status: 0,
      calls: 1,
      last: 'dry run: nothing was changed',
    });
    expect(out).toContain('sent back other than read (attach/pool-fields.ts says why):');
  });

  it('with --replace and --state, records what it replaced', async () => {
    // Prepare
    const state = join(directory, 'state.json');
    const { io, out } = harness({ pool: { ...everyFieldPool(), LambdaConfig: { PreSignUp: THEIRS[0] } } });

    // Act
    const status = await attachCommand(
      ['--user-pool-id', POOL_ID, ...FUNCTIONS, '--replace', '--state', state],
      io,
    );

    // Assess
    expect(status).toBe(0);
    expect(out).toContain(`replaced PreSignUp: ${THEIRS[0]} (recorded in ${state}; detach puts it back)`);
    expect(JSON.parse(readFileSync(state, 'utf8'))).toEqual({
      userPoolId: POOL_ID,
      functions: OURS,
      replaced: { PreSignUp: THEIRS[0] },
    });
  });

  it('passes --region and --endpoint-url to the client', async () => {
    // Prepare
    const { io, clients } = harness();

    // Act
    await attachCommand(
      [
        '--user-pool-id',
        POOL_ID,
        ...FUNCTIONS,
        '--region',
        'us-east-1',
        '--endpoint-url',
        'http://127.0.0.1:5000',
      ],
      io,
    );

    // Assess
    expect(clients).toEqual([{ region: 'us-east-1', endpoint: 'http://127.0.0.1:5000' }]);
  });

  it('prints its usage for --help', async () => {
    // Prepare
    const { io, out } = harness();

    // Act
    const status = await attachCommand(['--help'], io);

    // Assess
    expect({ status, out }).toEqual({ status: 0, out: [ATTACH_USAGE] });
  });

  it.each([
    ['no pool id', FUNCTIONS, /--user-pool-id is required/],
    [
      'a malformed pool id',
      ['--user-pool-id', 'AbC123', ...FUNCTIONS],
      /--user-pool-id: "AbC123" is not a user pool id/,
    ],
    [
      'a Region the pool id does not name',
      ['--user-pool-id', POOL_ID, '--region', 'eu-west-1', ...FUNCTIONS],
      /--region eu-west-1: user pool us-east-1_AbC123 is in us-east-1/,
    ],
    ['no function', ['--user-pool-id', POOL_ID], /at least one --function/],
    [
      'a function without its trigger',
      ['--user-pool-id', POOL_ID, '--function', OURS.PreSignUp],
      /<Trigger>=<arn>/,
    ],
    [
      'an unknown trigger',
      ['--user-pool-id', POOL_ID, '--function', `PreAuth=${OURS.PreSignUp}`],
      /Unknown trigger "PreAuth"/,
    ],
    [
      'an ARN that is no function',
      ['--user-pool-id', POOL_ID, '--function', 'PreSignUp=x'],
      /not a Lambda function ARN/,
    ],
    [
      'a trigger given twice',
      [
        '--user-pool-id',
        POOL_ID,
        '--function',
        `PreSignUp=${OURS.PreSignUp}`,
        '--function',
        `PreSignUp=${OURS.PreSignUp}`,
      ],
      /PreSignUp is given twice/,
    ],
    [
      'an endpoint that is no URL',
      ['--user-pool-id', POOL_ID, ...FUNCTIONS, '--endpoint-url', 'localhost:1'],
      /--endpoint-url/,
    ],
  ])('refuses %s as a usage error, before any request', async (_case, argv, message) => {
    // Prepare
    const { io, clients } = harness();

    // Act
    const run = attachCommand(argv, io);

    // Assess
    await expect(run).rejects.toThrow(UsageError);
    await expect(run).rejects.toThrow(message);
    expect(clients).toEqual([]);
  });

  it('refuses a state file of another pool', async () => {
    // Prepare
    const state = join(directory, 'state.json');
    writeFileSync(state, JSON.stringify({ userPoolId: 'us-east-1_Other', functions: {}, replaced: {} }));
    const { io } = harness();

    // Act
    const run = attachCommand(['--user-pool-id', POOL_ID, ...FUNCTIONS, '--state', state], io);

    // Assess
    await expect(run).rejects.toThrow(/records user pool us-east-1_Other/);
  });

  it("lets Cognito's refusals through as their own errors", async () => {
    // Prepare
    const failure = { status: 400, type: 'ResourceNotFoundException', message: 'User pool does not exist.' };
    const { io } = harness({ failures: { DescribeUserPool: failure } });

    // Act
    const run = attachCommand(['--user-pool-id', POOL_ID, ...FUNCTIONS], io);

    // Assess
    await expect(run).rejects.toThrow(UserPoolNotFoundError);
  });
});

describe('Attach: detachCommand', () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'detach-command-'));
  });

  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('takes the functions and what to restore from the state file, and forgets them after', async () => {
    // Prepare
    const state = join(directory, 'state.json');
    writeFileSync(
      state,
      JSON.stringify({ userPoolId: POOL_ID, functions: OURS, replaced: { PreSignUp: THEIRS[0] } }),
    );
    const { io, cognito } = harness({ pool: { ...everyFieldPool(), LambdaConfig: { ...OURS } } });

    // Act
    const status = await detachCommand(['--user-pool-id', POOL_ID, '--state', state], io);

    // Assess
    expect(status).toBe(0);
    expect(cognito.pool().LambdaConfig).toEqual({ PreSignUp: THEIRS[0] });
    expect(JSON.parse(readFileSync(state, 'utf8'))).toEqual({
      userPoolId: POOL_ID,
      functions: {},
      replaced: {},
    });
  });

  it('leaves a slot that is not ours any more, says so, and exits 0', async () => {
    // Prepare
    const { io, err } = harness({ pool: { ...everyFieldPool(), LambdaConfig: { PreSignUp: THEIRS[1] } } });

    // Act
    const status = await detachCommand(
      ['--user-pool-id', POOL_ID, '--function', `PreSignUp=${OURS.PreSignUp}`],
      io,
    );

    // Assess
    expect({ status, err }).toEqual({
      status: 0,
      err: [
        `detach: left LambdaConfig.PreSignUp as it is: it points at ${THEIRS[1]}, not at ours (${OURS.PreSignUp})`,
      ],
    });
  });

  it('puts back what --restore names', async () => {
    // Prepare
    const { io, cognito } = harness({
      pool: { ...everyFieldPool(), LambdaConfig: { PreSignUp: OURS.PreSignUp } },
    });

    // Act
    await detachCommand(
      [
        '--user-pool-id',
        POOL_ID,
        '--function',
        `PreSignUp=${OURS.PreSignUp}`,
        '--restore',
        `PreSignUp=${THEIRS[2]}`,
      ],
      io,
    );

    // Assess
    expect(cognito.pool().LambdaConfig).toEqual({ PreSignUp: THEIRS[2] });
  });

  it.each([
    ['neither functions nor a state file', ['--user-pool-id', POOL_ID], /give --function/],
    [
      'a state file that does not exist',
      ['--user-pool-id', POOL_ID, '--state', '/nonexistent/state.json'],
      /no such file/,
    ],
  ])('refuses %s as a usage error', async (_case, argv, message) => {
    // Prepare
    const { io } = harness();

    // Act
    const run = detachCommand(argv, io);

    // Assess
    await expect(run).rejects.toThrow(UsageError);
    await expect(run).rejects.toThrow(message);
  });
});
