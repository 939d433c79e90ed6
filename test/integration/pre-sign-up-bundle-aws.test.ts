/**
 * The built pre sign-up bundle calling AWS for real (moto's server on loopback): the invite secret from an
 * SSM SecureString and the alias guard's ListUsers. This proves the bundle loads the SDK it leaves external
 * (template.yaml `External: ['@aws-sdk/*']`) through `require`, as it must in Lambda, and that each call is
 * made with the function's environment only.
 */
import { readFileSync } from 'node:fs';
import {
  AdminCreateUserCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fromProjectRoot } from '../../harness/paths.js';
import { createReplayer, type Replayer } from '../../harness/replay.js';
import type { PreSignUpEvent } from '../../shared/event-types.js';
import {
  describeWithMoto,
  type MotoServer,
  motoCredentialsEnv,
  startMotoServer,
} from '../support/moto-server.js';

const invited = JSON.parse(
  readFileSync(fromProjectRoot('events/pre-sign-up/sign-up.invite-valid.json'), 'utf8'),
) as PreSignUpEvent;
const PARAMETER = '/cognito-sign-up/invite-secret';

describeWithMoto('Trigger: pre-sign-up bundle against AWS APIs (moto)', () => {
  let moto: MotoServer;
  let replayer: Replayer;
  let poolId: string;
  let emptyPoolId: string;

  beforeAll(async () => {
    moto = await startMotoServer();
    const config = {
      endpoint: moto.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    };
    await new SSMClient(config).send(
      new PutParameterCommand({
        Name: PARAMETER,
        Type: 'SecureString',
        Value: 'fixture-invite-secret-not-for-production-0001',
      }),
    );
    const cognito = new CognitoIdentityProviderClient(config);
    poolId = (await cognito.send(new CreateUserPoolCommand({ PoolName: 'bundle-test' }))).UserPool?.Id ?? '';
    emptyPoolId =
      (await cognito.send(new CreateUserPoolCommand({ PoolName: 'bundle-test-empty' }))).UserPool?.Id ?? '';
    // Someone else already holds jane.doe@example.com in the first pool: the alias guard must see it.
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: 'john',
        UserAttributes: [{ Name: 'email', Value: 'jane.doe@example.com' }],
        MessageAction: 'SUPPRESS',
      }),
    );
    replayer = createReplayer({
      mode: 'bundle',
      environment: {
        ...motoCredentialsEnv,
        POWERTOOLS_LOG_LEVEL: 'SILENT',
        INVITE_SECRET: '',
        INVITE_SECRET_SSM_PARAMETER: PARAMETER,
        ALIAS_GUARD: 'list-users',
        AWS_ENDPOINT_URL_SSM: moto.endpoint,
        AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: moto.endpoint,
      },
    });
  });

  afterAll(async () => {
    await replayer?.close();
    await moto?.stop();
  });

  it('verifies an invite with the secret from SSM, and the alias guard keeps an address another user holds unverified', async () => {
    // Prepare
    const event = { ...structuredClone(invited), userPoolId: poolId };

    // Act
    const call = await replayer.replayEvent(event);

    // Assess
    expect(call.cognito).toMatchObject({
      outcome: 'success',
      effective: { autoConfirmUser: true, autoVerifyEmail: false, autoVerifyPhone: false },
    });
  });

  it('confirms and verifies when no other user holds the address', async () => {
    // Prepare
    const event = { ...structuredClone(invited), userPoolId: emptyPoolId };

    // Act
    const call = await replayer.replayEvent(event);

    // Assess
    expect(call.cognito).toMatchObject({
      outcome: 'success',
      effective: { autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: false },
    });
  });
});
