import { describe, expect, it } from 'vitest';
import { attachTriggers, detachTriggers } from '../../../attach/attach-triggers.js';
import { readUserPool, writeUserPool } from '../../../attach/cognito-pool.js';
import {
  UnknownPoolFieldError,
  UserPoolAccessDeniedError,
  UserPoolChangedError,
  UserPoolNotFoundError,
  UserPoolRegionMismatchError,
  UserPoolRequestError,
} from '../../../attach/errors.js';
import { writableRequestOf } from '../../../attach/pool-fields.js';
import { fakeCognito } from './fake-cognito.js';
import { everyFieldPool, OURS, THEIRS } from './pools.js';

const POOL_ID = 'us-east-1_AbC123';
const denied = { status: 400, type: 'AccessDeniedException', message: 'User: x is not authorized' };

describe('Attach: readUserPool', () => {
  it('reads the pool as the SDK parses it', async () => {
    // Prepare
    const cognito = fakeCognito({ pool: everyFieldPool() });

    // Act
    const pool = await readUserPool(cognito.client, POOL_ID);

    // Assess
    expect(pool).toEqual(everyFieldPool());
  });

  it('refuses an answer with fields the SDK dropped, at any depth, naming them', async () => {
    // Prepare
    const cognito = fakeCognito({
      pool: everyFieldPool(),
      extraFields: {
        PasskeyConfiguration: { Enabled: true },
        LambdaConfig: { ...everyFieldPool().LambdaConfig, PreSignIn: THEIRS[0] },
      },
    });

    // Act
    const read = readUserPool(cognito.client, POOL_ID);

    // Assess
    await expect(read).rejects.toThrow(UnknownPoolFieldError);
    await expect(read).rejects.toMatchObject({ fields: ['LambdaConfig.PreSignIn', 'PasskeyConfiguration'] });
  });

  it('sends no request for a pool of another Region than the client', async () => {
    // Prepare
    const cognito = fakeCognito({ pool: everyFieldPool(), region: 'eu-west-1' });

    // Act
    const read = readUserPool(cognito.client, POOL_ID);

    // Assess
    await expect(read).rejects.toThrow(UserPoolRegionMismatchError);
    expect(cognito.calls).toEqual([]);
  });

  it.each([
    [
      'an unknown pool',
      { status: 400, type: 'ResourceNotFoundException', message: 'no' },
      UserPoolNotFoundError,
    ],
    ['missing permissions', denied, UserPoolAccessDeniedError],
    [
      'bad credentials',
      { status: 400, type: 'UnrecognizedClientException', message: 'x' },
      UserPoolAccessDeniedError,
    ],
    [
      'any other refusal',
      { status: 400, type: 'TooManyRequestsException', message: 'x' },
      UserPoolRequestError,
    ],
  ])('turns %s into its own error', async (_case, failure, errorClass) => {
    // Prepare
    const cognito = fakeCognito({ pool: everyFieldPool(), failures: { DescribeUserPool: failure } });

    // Act
    const read = readUserPool(cognito.client, POOL_ID);

    // Assess
    await expect(read).rejects.toThrow(errorClass);
    await expect(read).rejects.toThrow(/nothing was changed/);
  });
});

describe('Attach: writeUserPool', () => {
  it("names cognito-idp:UpdateUserPool and the pool's SMS role when the update is denied", async () => {
    // Prepare
    const pool = everyFieldPool();
    const cognito = fakeCognito({ pool, failures: { UpdateUserPool: denied } });

    // Act
    const write = writeUserPool(cognito.client, writableRequestOf(pool).request, pool);

    // Assess
    await expect(write).rejects.toMatchObject({
      name: 'UserPoolAccessDeniedError',
      operation: 'UpdateUserPool',
      code: 'AccessDeniedException',
      message: expect.stringContaining(`iam:PassRole on ${pool.SmsConfiguration?.SnsCallerArn}`),
    });
  });

  it('says a refused update changed nothing', async () => {
    // Prepare
    const pool = everyFieldPool();
    const failure = { status: 400, type: 'InvalidParameterException', message: 'The message is invalid.' };
    const cognito = fakeCognito({ pool, failures: { UpdateUserPool: failure } });

    // Act
    const write = writeUserPool(cognito.client, writableRequestOf(pool).request, pool);

    // Assess
    await expect(write).rejects.toMatchObject({ name: 'UserPoolRequestError', changed: false });
  });
});

describe('Attach: attachTriggers and detachTriggers', () => {
  it('reads, checks, updates and reads back; the pool then differs only in our slots (and what it did not send)', async () => {
    // Prepare
    const cognito = fakeCognito({ pool: everyFieldPool() });

    // Act
    const outcome = await attachTriggers(cognito.client, { userPoolId: POOL_ID, functions: OURS });

    // Assess
    expect(cognito.calls.map((call) => call.operation)).toEqual([
      'DescribeUserPool',
      'DescribeUserPool',
      'UpdateUserPool',
      'DescribeUserPool',
    ]);
    const planned = outcome.differences.filter((difference) => !outcome.dropped.includes(difference));
    expect(planned.map((difference) => difference.path)).toEqual([
      'LambdaConfig.CustomMessage',
      'LambdaConfig.PostConfirmation',
      'LambdaConfig.PreSignUp',
    ]);
    expect(outcome.unexpected).toEqual([]);
  });

  it('reports a legacy field that is gone as dropped, not as unexpected', async () => {
    // Prepare
    const cognito = fakeCognito({ pool: everyFieldPool() });

    // Act
    const outcome = await attachTriggers(cognito.client, { userPoolId: POOL_ID, functions: OURS });

    // Assess
    expect(outcome.dropped.map((difference) => difference.path)).toEqual([
      'AcrConfiguration.Level1.AcrValue',
      'AcrConfiguration.Level3.AcrValue',
      'AcrConfiguration.Level4.AcrValue',
      'AdminCreateUserConfig.UnusedAccountValidityDays',
      'EmailVerificationMessage',
      'EmailVerificationSubject',
      'SmsVerificationMessage',
    ]);
  });

  it('reports what the update changed beyond the plan', async () => {
    // Prepare
    const cognito = fakeCognito({
      pool: everyFieldPool(),
      update: (pool, request) => ({ ...pool, LambdaConfig: request.LambdaConfig, MfaConfiguration: 'OFF' }),
    });

    // Act
    const outcome = await attachTriggers(cognito.client, { userPoolId: POOL_ID, functions: OURS });

    // Assess
    expect(outcome.unexpected).toEqual([{ path: 'MfaConfiguration', before: '"OPTIONAL"', after: '"OFF"' }]);
  });

  it('sends nothing when the pool changed after it was planned from', async () => {
    // Prepare
    const cognito = fakeCognito({
      pool: everyFieldPool(),
      beforeDescribe: (count, pool) => {
        if (count === 2) pool.MfaConfiguration = 'ON';
      },
    });

    // Act
    const attach = attachTriggers(cognito.client, { userPoolId: POOL_ID, functions: OURS });

    // Assess
    await expect(attach).rejects.toThrow(UserPoolChangedError);
    expect(cognito.calls.map((call) => call.operation)).not.toContain('UpdateUserPool');
  });

  it('reads once and sends nothing on a dry run', async () => {
    // Prepare
    const cognito = fakeCognito({ pool: everyFieldPool() });

    // Act
    const outcome = await attachTriggers(cognito.client, {
      userPoolId: POOL_ID,
      functions: OURS,
      dryRun: true,
    });

    // Assess
    expect({
      calls: cognito.calls.length,
      applied: outcome.applied,
      changes: outcome.differences.length,
    }).toEqual({
      calls: 1,
      applied: false,
      changes: 3,
    });
  });

  it('detaches what attach set, putting back what it replaced', async () => {
    // Prepare
    const original = { ...everyFieldPool(), LambdaConfig: { PreSignUp: THEIRS[0] } };
    const cognito = fakeCognito({ pool: original });
    const attached = await attachTriggers(cognito.client, {
      userPoolId: POOL_ID,
      functions: OURS,
      replace: true,
    });

    // Act
    const outcome = await detachTriggers(cognito.client, {
      userPoolId: POOL_ID,
      functions: OURS,
      restore: attached.plan.replaced,
    });

    // Assess
    expect(outcome.unexpected).toEqual([]);
    expect(cognito.pool().LambdaConfig).toEqual({ PreSignUp: THEIRS[0] });
  });
});
