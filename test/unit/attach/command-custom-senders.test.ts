import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UserPoolType } from '@aws-sdk/client-cognito-identity-provider';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ATTACH_USAGE,
  attachCommand,
  type CommandIo,
  DETACH_USAGE,
  detachCommand,
} from '../../../attach/command.js';
import { UsageError } from '../../../cli/command-line.js';
import { fakeCognito } from './fake-cognito.js';
import { ACCOUNT, everyFieldPool, functionArn, OURS } from './pools.js';

const POOL_ID = 'us-east-1_AbC123';
const EMAIL = functionArn('ours-email-sender');
const SMS = functionArn('ours-sms-sender');
const SENDERS = ['--function', `CustomEmailSender=${EMAIL}`, '--function', `CustomSMSSender=${SMS}`];
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const OTHER_KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/0f5e7c4e-6d5c-4f6b-9b1d-2f3a4b5c6d7e`;

/** A command's streams and the fake Cognito it talks to. */
function harness(pool: UserPoolType) {
  const cognito = fakeCognito({ pool });
  const out: string[] = [];
  const err: string[] = [];
  let clients = 0;
  const io: CommandIo = {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    client: () => {
      clients += 1;
      return cognito.client;
    },
  };
  return { cognito, io, out, err, clients: () => clients };
}

const plainPool = (lambdaConfig: UserPoolType['LambdaConfig'] = {}): UserPoolType => ({
  ...everyFieldPool(),
  LambdaConfig: lambdaConfig,
});

describe('Attach: attachCommand --kms-key-id', () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'attach-senders-'));
  });

  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it.each([
    ['a sender without --kms-key-id', [...SENDERS], /need the KMS key/],
    [
      'a bare key id',
      [...SENDERS, '--kms-key-id', '1234abcd-12ab-34cd-56ef-1234567890ab'],
      /not a KMS key ARN/,
    ],
    ['an alias', [...SENDERS, '--kms-key-id', 'alias/codes'], /not a KMS key ARN/],
    [
      'an alias ARN',
      [...SENDERS, '--kms-key-id', `arn:aws:kms:us-east-1:${ACCOUNT}:alias/codes`],
      /not a KMS key ARN/,
    ],
    [
      'a key without a sender',
      ['--function', `PreSignUp=${OURS.PreSignUp}`, '--kms-key-id', KEY],
      /only for the custom senders/,
    ],
  ])('refuses %s as a usage error, before any request', async (_what, argv, message) => {
    // Prepare
    const { io, clients } = harness(plainPool());

    // Act
    const run = attachCommand(['--user-pool-id', POOL_ID, ...argv], io);

    // Assess
    await expect(run).rejects.toThrow(UsageError);
    await expect(run).rejects.toThrow(message);
    expect(clients()).toBe(0);
  });

  it('attaches both senders with V1_0 and the key, and records the key in the state file', async () => {
    // Prepare
    const state = join(directory, 'state.json');
    const { io, out, cognito } = harness(plainPool());

    // Act
    const status = await attachCommand(
      ['--user-pool-id', POOL_ID, ...SENDERS, '--kms-key-id', KEY, '--state', state],
      io,
    );

    // Assess
    expect(status).toBe(0);
    expect(cognito.pool().LambdaConfig).toEqual({
      CustomEmailSender: { LambdaArn: EMAIL, LambdaVersion: 'V1_0' },
      CustomSMSSender: { LambdaArn: SMS, LambdaVersion: 'V1_0' },
      KMSKeyID: KEY,
    });
    expect(out).toEqual(
      expect.arrayContaining([`+ LambdaConfig.KMSKeyID = "${KEY}"`, 'attached: 3 slot(s) changed']),
    );
    expect(JSON.parse(readFileSync(state, 'utf8'))).toEqual({
      userPoolId: POOL_ID,
      functions: { CustomEmailSender: EMAIL, CustomSMSSender: SMS },
      replaced: {},
      kmsKeyId: KEY,
    });
  });

  it('refuses a pool that holds another key, saying why, exits 1, and sends no update', async () => {
    // Prepare
    const { io, err, cognito } = harness(plainPool({ KMSKeyID: OTHER_KEY }));

    // Act
    const status = await attachCommand(['--user-pool-id', POOL_ID, ...SENDERS, '--kms-key-id', KEY], io);

    // Assess
    expect(status).toBe(1);
    expect(err[0]).toBe(`attach: LambdaConfig.KMSKeyID points at ${OTHER_KEY}, not at ours (${KEY})`);
    expect(err[1]).toMatch(/codes in flight/);
    expect(cognito.calls.map((call) => call.operation)).not.toContain('UpdateUserPool');
  });

  it('with --replace, replaces the key and records the old one for detach', async () => {
    // Prepare
    const state = join(directory, 'state.json');
    const { io, out } = harness(plainPool({ KMSKeyID: OTHER_KEY }));

    // Act
    const status = await attachCommand(
      ['--user-pool-id', POOL_ID, ...SENDERS, '--kms-key-id', KEY, '--replace', '--state', state],
      io,
    );

    // Assess
    expect(status).toBe(0);
    expect(out).toContain(`replaced KMSKeyID: ${OTHER_KEY} (recorded in ${state}; detach puts it back)`);
    expect(JSON.parse(readFileSync(state, 'utf8')).replaced).toEqual({ KMSKeyID: OTHER_KEY });
  });

  it('names --kms-key-id in both usages', () => {
    // Assess
    expect(ATTACH_USAGE).toContain('--kms-key-id <arn>');
    expect(DETACH_USAGE).toContain('--kms-key-id <arn>');
  });
});

describe('Attach: detachCommand and the custom senders', () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'detach-senders-'));
  });

  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('after attach with --state, restores the pool exactly, key included, and forgets the key', async () => {
    // Prepare
    const state = join(directory, 'state.json');
    const before = plainPool({ KMSKeyID: OTHER_KEY, PreAuthentication: functionArn('their-pre-auth') });
    const { io, cognito } = harness(before);
    await attachCommand(
      ['--user-pool-id', POOL_ID, ...SENDERS, '--kms-key-id', KEY, '--replace', '--state', state],
      io,
    );

    // Act
    const status = await detachCommand(['--user-pool-id', POOL_ID, '--state', state], io);

    // Assess
    expect(status).toBe(0);
    expect(cognito.pool().LambdaConfig).toEqual(before.LambdaConfig);
    expect(JSON.parse(readFileSync(state, 'utf8'))).toEqual({
      userPoolId: POOL_ID,
      functions: {},
      replaced: {},
    });
  });

  it('keeps the key while a sender of the state file stays attached', async () => {
    // Prepare
    const state = join(directory, 'state.json');
    const { io, cognito } = harness(plainPool());
    await attachCommand(['--user-pool-id', POOL_ID, ...SENDERS, '--kms-key-id', KEY, '--state', state], io);

    // Act
    const status = await detachCommand(
      ['--user-pool-id', POOL_ID, '--state', state, '--function', `CustomEmailSender=${EMAIL}`],
      io,
    );

    // Assess
    expect(status).toBe(0);
    expect(cognito.pool().LambdaConfig).toEqual({
      CustomSMSSender: { LambdaArn: SMS, LambdaVersion: 'V1_0' },
      KMSKeyID: KEY,
    });
    expect(JSON.parse(readFileSync(state, 'utf8')).kmsKeyId).toBe(KEY);
  });

  it('puts back the key --restore KMSKeyID names (an alias ARN a pool may hold), and refuses a bare one', async () => {
    // Prepare
    const alias = `arn:aws:kms:us-east-1:${ACCOUNT}:alias/their-key`;
    const pool = plainPool({ CustomEmailSender: { LambdaArn: EMAIL, LambdaVersion: 'V1_0' }, KMSKeyID: KEY });
    const { io, cognito } = harness(pool);
    const base = ['--user-pool-id', POOL_ID, '--function', `CustomEmailSender=${EMAIL}`, '--kms-key-id', KEY];

    // Act
    const refused = detachCommand([...base, '--restore', 'KMSKeyID=alias/their-key'], io);
    await expect(refused).rejects.toThrow(UsageError);
    const status = await detachCommand([...base, '--restore', `KMSKeyID=${alias}`], io);

    // Assess
    expect(status).toBe(0);
    expect(cognito.pool().LambdaConfig).toEqual({ KMSKeyID: alias });
  });
});
