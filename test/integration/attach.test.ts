/**
 * Attach and detach against moto's Cognito, on a pool with every field set (test/support/existing-pools.ts,
 * which says what moto does not model). moto's UpdateUserPool resets every field a request leaves out (as
 * Cognito does), so a copier that forgot a field would show here as a lost setting.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CognitoIdentityProviderClient,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  type UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { attachTriggers, detachTriggers } from '../../attach/attach-triggers.js';
import { readUserPool } from '../../attach/cognito-pool.js';
import { diffPools } from '../../attach/diff-pools.js';
import { UserPoolNotFoundError, UserPoolRegionMismatchError } from '../../attach/errors.js';
import {
  createEveryFieldPool,
  EVERY_FIELD,
  functionArn,
  OUR_LINES,
  OURS,
  THEIRS,
} from '../support/existing-pools.js';
import {
  describeWithMoto,
  type MotoServer,
  motoCredentialsEnv,
  startMotoServer,
} from '../support/moto-server.js';
import { runCli } from '../unit/cli/run-cli.js';

describeWithMoto('Attach: attach and detach against a user pool (moto)', () => {
  let moto: MotoServer;
  let client: CognitoIdentityProviderClient;
  let kms: KMSClient;
  let directory: string;

  beforeAll(async () => {
    moto = await startMotoServer();
    client = new CognitoIdentityProviderClient({
      endpoint: moto.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    kms = new KMSClient({
      endpoint: moto.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    directory = mkdtempSync(join(tmpdir(), 'attach-'));
  });

  afterAll(async () => {
    client?.destroy();
    kms?.destroy();
    await moto?.stop();
    if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
  });

  /** A new pool with every field set, plus `lambdaConfig` entries; its id. */
  function createPool(lambdaConfig: Record<string, string> = {}): Promise<string> {
    return createEveryFieldPool(client, lambdaConfig);
  }

  /** A new pool with every field set but the custom senders and their key (which EVERY_FIELD has); its id. */
  async function createPoolWithoutSenders(): Promise<string> {
    const { CustomEmailSender: _email, KMSKeyID: _key, ...lambdaConfig } = EVERY_FIELD.LambdaConfig;
    const created = await client.send(
      new CreateUserPoolCommand({
        ...structuredClone(EVERY_FIELD),
        PoolName: 'existing-production-pool',
        LambdaConfig: lambdaConfig,
      }),
    );
    return created.UserPool?.Id ?? '';
  }

  /** A new KMS key of moto's; its ARN. */
  async function createKey(): Promise<string> {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: 'custom sender codes' }));
    if (KeyMetadata?.Arn === undefined) throw new Error('Test bug: moto created no key');
    return KeyMetadata.Arn;
  }

  /** Our two custom senders. */
  const SENDERS = {
    CustomEmailSender: functionArn('ours-email-sender'),
    CustomSMSSender: functionArn('ours-sms-sender'),
  };

  async function describe(userPoolId: string): Promise<UserPoolType> {
    const answer = await client.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId }));
    return answer.UserPool ?? {};
  }

  it('creates the pool with every field as set (what moto keeps is what the other tests compare)', async () => {
    // Prepare
    const userPoolId = await createPool();

    // Act
    const pool = await describe(userPoolId);

    // Assess
    expect(pool).toMatchObject({ ...EVERY_FIELD, Name: 'existing-production-pool' });
  });

  it('attaches our triggers: DescribeUserPool then differs only in their LambdaConfig keys', async () => {
    // Prepare
    const userPoolId = await createPool();
    const before = await describe(userPoolId);

    // Act
    const outcome = await attachTriggers(client, { userPoolId, functions: OURS });
    const after = await describe(userPoolId);

    // Assess
    expect({
      applied: outcome.applied,
      unexpected: outcome.unexpected,
      diff: diffPools(before, after),
    }).toEqual({
      applied: true,
      unexpected: [],
      diff: OUR_LINES,
    });
  });

  it('detaches them again: DescribeUserPool equals the original', async () => {
    // Prepare
    const userPoolId = await createPool();
    const original = await describe(userPoolId);
    await attachTriggers(client, { userPoolId, functions: OURS });

    // Act
    const outcome = await detachTriggers(client, { userPoolId, functions: OURS });
    const after = await describe(userPoolId);

    // Assess
    expect(outcome.unexpected).toEqual([]);
    expect(after).toEqual(original);
  });

  it('refuses a foreign trigger on our slot without replace, naming it, and changes nothing', async () => {
    // Prepare
    const userPoolId = await createPool({ PreSignUp: THEIRS });
    const before = await describe(userPoolId);

    // Act
    const outcome = await attachTriggers(client, { userPoolId, functions: OURS });
    const after = await describe(userPoolId);

    // Assess
    expect({ refused: outcome.plan.refused, applied: outcome.applied }).toEqual({
      refused: [
        { trigger: 'PreSignUp', path: 'LambdaConfig.PreSignUp', current: THEIRS, ours: OURS.PreSignUp },
      ],
      applied: false,
    });
    expect(after).toEqual(before);
  });

  it('with replace, records the foreign trigger, and detach puts it back', async () => {
    // Prepare
    const userPoolId = await createPool({ PreSignUp: THEIRS });
    const original = await describe(userPoolId);

    // Act
    const attached = await attachTriggers(client, { userPoolId, functions: OURS, replace: true });
    const during = await describe(userPoolId);
    await detachTriggers(client, { userPoolId, functions: OURS, restore: attached.plan.replaced });
    const after = await describe(userPoolId);

    // Assess
    expect({ replaced: attached.plan.replaced, preSignUp: during.LambdaConfig?.PreSignUp }).toEqual({
      replaced: { PreSignUp: THEIRS },
      preSignUp: OURS.PreSignUp,
    });
    expect(after).toEqual(original);
  });

  it('changes nothing on a dry run, and predicts the difference', async () => {
    // Prepare
    const userPoolId = await createPool();
    const before = await describe(userPoolId);

    // Act
    const outcome = await attachTriggers(client, { userPoolId, functions: OURS, dryRun: true });
    const after = await describe(userPoolId);

    // Assess
    expect({ applied: outcome.applied, diff: diffPools(outcome.before, outcome.after) }).toEqual({
      applied: false,
      diff: OUR_LINES,
    });
    expect(after).toEqual(before);
  });

  it('refuses an unknown pool and a pool of another Region before changing anything', async () => {
    // Prepare
    const unknown = 'us-east-1_NoSuchPool';
    const elsewhere = 'eu-west-1_AbC123';

    // Act
    const reads = await Promise.allSettled([readUserPool(client, unknown), readUserPool(client, elsewhere)]);

    // Assess
    expect(reads.map((read) => (read.status === 'rejected' ? read.reason : read.value))).toEqual([
      expect.any(UserPoolNotFoundError),
      expect.any(UserPoolRegionMismatchError),
    ]);
  });

  it('runs as npm run attach / detach with a state file: the pool ends as it began', async () => {
    // Prepare
    for (const [name, value] of Object.entries(motoCredentialsEnv)) vi.stubEnv(name, value);
    const userPoolId = await createPool({ PreSignUp: THEIRS });
    const original = await describe(userPoolId);
    const state = join(directory, 'attach-state.json');
    const target = ['--user-pool-id', userPoolId, '--endpoint-url', moto.endpoint, '--state', state];
    const functions = Object.entries(OURS).flatMap(([trigger, arn]) => ['--function', `${trigger}=${arn}`]);

    // Act
    const attach = runCli('attach', [...target, ...functions, '--replace']);
    const recorded: unknown = JSON.parse(readFileSync(state, 'utf8'));
    const detach = runCli('detach', target);
    const after = await describe(userPoolId);

    // Assess
    expect({ attach: attach.status, detach: detach.status, stderr: attach.stderr + detach.stderr }).toEqual({
      attach: 0,
      detach: 0,
      stderr: '',
    });
    expect(attach.stdout).toContain(`replaced PreSignUp: ${THEIRS}`);
    expect(recorded).toEqual({ userPoolId, functions: OURS, replaced: { PreSignUp: THEIRS } });
    expect(after).toEqual(original);
  });

  it('attaches the custom senders with the key: read back as { LambdaArn, V1_0 } and KMSKeyID, nothing else changed', async () => {
    // Prepare
    const userPoolId = await createPoolWithoutSenders();
    const kmsKeyId = await createKey();
    const before = await describe(userPoolId);

    // Act
    const outcome = await attachTriggers(client, {
      userPoolId,
      functions: { ...OURS, ...SENDERS },
      kmsKeyId,
    });
    const after = await describe(userPoolId);

    // Assess
    expect({ applied: outcome.applied, unexpected: outcome.unexpected }).toEqual({
      applied: true,
      unexpected: [],
    });
    expect(after.LambdaConfig).toMatchObject({
      CustomEmailSender: { LambdaArn: SENDERS.CustomEmailSender, LambdaVersion: 'V1_0' },
      CustomSMSSender: { LambdaArn: SENDERS.CustomSMSSender, LambdaVersion: 'V1_0' },
      KMSKeyID: kmsKeyId,
    });
    expect(diffPools(before, after)).toEqual(
      [
        ...OUR_LINES,
        `+ LambdaConfig.CustomEmailSender.LambdaArn = "${SENDERS.CustomEmailSender}"`,
        '+ LambdaConfig.CustomEmailSender.LambdaVersion = "V1_0"',
        `+ LambdaConfig.CustomSMSSender.LambdaArn = "${SENDERS.CustomSMSSender}"`,
        '+ LambdaConfig.CustomSMSSender.LambdaVersion = "V1_0"',
        `+ LambdaConfig.KMSKeyID = "${kmsKeyId}"`,
      ].sort(),
    );
  });

  it('detaches the senders and removes the key it set: DescribeUserPool equals the original', async () => {
    // Prepare
    const userPoolId = await createPoolWithoutSenders();
    const kmsKeyId = await createKey();
    const original = await describe(userPoolId);
    await attachTriggers(client, { userPoolId, functions: SENDERS, kmsKeyId });

    // Act
    const outcome = await detachTriggers(client, { userPoolId, functions: SENDERS, kmsKeyId });
    const after = await describe(userPoolId);

    // Assess
    expect(outcome.unexpected).toEqual([]);
    expect(after).toEqual(original);
  });

  it('refuses a pool that holds their sender and key without replace; with it, detach puts both back', async () => {
    // Prepare
    const userPoolId = await createPool();
    const ourKey = await createKey();
    const original = await describe(userPoolId);
    const theirKey = original.LambdaConfig?.KMSKeyID;

    // Act
    const refused = await attachTriggers(client, { userPoolId, functions: SENDERS, kmsKeyId: ourKey });
    const attached = await attachTriggers(client, {
      userPoolId,
      functions: SENDERS,
      kmsKeyId: ourKey,
      replace: true,
    });
    const during = await describe(userPoolId);
    await detachTriggers(client, {
      userPoolId,
      functions: SENDERS,
      kmsKeyId: ourKey,
      restore: attached.plan.replaced,
    });
    const after = await describe(userPoolId);

    // Assess
    expect(refused.plan.refused.map((conflict) => conflict.path)).toEqual([
      'LambdaConfig.CustomEmailSender',
      'LambdaConfig.KMSKeyID',
    ]);
    expect(refused.applied).toBe(false);
    expect(attached.plan.replaced).toEqual({
      CustomEmailSender: functionArn('their-email-sender'),
      KMSKeyID: theirKey,
    });
    expect(attached.unexpected).toEqual([]);
    expect(during.LambdaConfig?.KMSKeyID).toBe(ourKey);
    expect(after).toEqual(original);
  });

  it('runs npm run attach --kms-key-id / detach --state with the senders: the pool ends as it began', async () => {
    // Prepare
    for (const [name, value] of Object.entries(motoCredentialsEnv)) vi.stubEnv(name, value);
    const userPoolId = await createPoolWithoutSenders();
    const kmsKeyId = await createKey();
    const original = await describe(userPoolId);
    const state = join(directory, 'attach-senders-state.json');
    const target = ['--user-pool-id', userPoolId, '--endpoint-url', moto.endpoint, '--state', state];
    const functions = Object.entries(SENDERS).flatMap(([trigger, arn]) => [
      '--function',
      `${trigger}=${arn}`,
    ]);

    // Act
    const attach = runCli('attach', [...target, ...functions, '--kms-key-id', kmsKeyId]);
    const during = await describe(userPoolId);
    const detach = runCli('detach', target);
    const after = await describe(userPoolId);

    // Assess
    expect({ attach: attach.status, detach: detach.status, stderr: attach.stderr + detach.stderr }).toEqual({
      attach: 0,
      detach: 0,
      stderr: '',
    });
    expect(during.LambdaConfig?.KMSKeyID).toBe(kmsKeyId);
    expect(after).toEqual(original);
  });
});
