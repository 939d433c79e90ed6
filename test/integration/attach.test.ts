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
  DescribeUserPoolCommand,
  type UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { attachTriggers, detachTriggers } from '../../attach/attach-triggers.js';
import { readUserPool } from '../../attach/cognito-pool.js';
import { diffPools } from '../../attach/diff-pools.js';
import { UserPoolNotFoundError, UserPoolRegionMismatchError } from '../../attach/errors.js';
import { createEveryFieldPool, EVERY_FIELD, OUR_LINES, OURS, THEIRS } from '../support/existing-pools.js';
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
  let directory: string;

  beforeAll(async () => {
    moto = await startMotoServer();
    client = new CognitoIdentityProviderClient({
      endpoint: moto.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    directory = mkdtempSync(join(tmpdir(), 'attach-'));
  });

  afterAll(async () => {
    client?.destroy();
    await moto?.stop();
    if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
  });

  /** A new pool with every field set, plus `lambdaConfig` entries; its id. */
  function createPool(lambdaConfig: Record<string, string> = {}): Promise<string> {
    return createEveryFieldPool(client, lambdaConfig);
  }

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
});
