/**
 * The pipeline's user pool (local/cognito-local.ts: cognito-local behind the front server, corrections
 * included) answering as Cognito does around its code messages (contract §5b), driven by the AWS SDK for
 * JavaScript v3: destinations are masked in every `CodeDeliveryDetails`; a client with
 * `PreventUserExistenceErrors: ENABLED` answers an unknown user of ForgotPassword and ResendConfirmationCode
 * as though a code had been sent, in the same shape as for a known user, while the known user still gets a
 * real code in the inbox; GetUserAttributeVerificationCode names where its code went; errors carry
 * `x-amzn-ErrorType`. No trigger is configured: messages go straight to a real inbox.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CodeDeliveryDetailsType,
  type CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ForgotPasswordCommand,
  GetUserAttributeVerificationCodeCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CognitoLocal, startCognitoLocal } from '../../local/cognito-local.js';
import { createInbox, type Inbox } from '../../local/inbox.js';
import { localCognitoClient } from '../e2e/support/clients.js';
import { rejectionOf } from '../support/outcomes.js';

const PASSWORD = 'Correct-Horse-42';
const MASKED_EMAIL = /^[^*@]\*\*\*@[^*@]\*\*\*$/;

describe('Integration: local user pool answers around code messages', () => {
  let directory: string;
  let inbox: Inbox;
  let pool: CognitoLocal;
  let cognito: CognitoIdentityProviderClient;
  /** A client with `PreventUserExistenceErrors: ENABLED` (template.yaml's setting) and one with `LEGACY`. */
  const clients = { enabled: '', legacy: '' };
  let users = 0;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'local-api-fidelity-'));
    inbox = createInbox({ directory: join(directory, 'inbox') });
    pool = await startCognitoLocal({
      dataDir: directory,
      region: 'us-east-1',
      // No trigger is configured, so nothing calls the Lambda API.
      lambdaEndpoint: 'http://127.0.0.1:9',
      triggerFunctions: {},
      sender: inbox,
    });
    cognito = localCognitoClient(pool.url);
    const created = await cognito.send(
      new CreateUserPoolCommand({
        PoolName: 'fidelity',
        UsernameAttributes: ['email'],
        AutoVerifiedAttributes: ['email'],
      }),
    );
    const userPoolId = created.UserPool?.Id ?? '';
    for (const setting of ['ENABLED', 'LEGACY'] as const) {
      const client = await cognito.send(
        new CreateUserPoolClientCommand({
          UserPoolId: userPoolId,
          ClientName: setting.toLowerCase(),
          ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
          PreventUserExistenceErrors: setting,
        }),
      );
      clients[setting === 'ENABLED' ? 'enabled' : 'legacy'] = client.UserPoolClient?.ClientId ?? '';
    }
  });
  afterAll(async () => {
    cognito?.destroy();
    await pool?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  /** A fresh address; the local part starts with `label`'s first letter. */
  function uniqueEmail(label: string): string {
    users += 1;
    return `${label}-${users}-${Date.now()}@example.com`;
  }

  /** The messages the inbox holds for `address`, oldest first. */
  function messagesTo(address: string) {
    return inbox.messages().filter((message) => message.to === address);
  }

  /** Signs a new user up with the ENABLED client; resolves with the address and SignUp's answer. */
  async function signedUp(label: string) {
    const email = uniqueEmail(label);
    const answer = await cognito.send(
      new SignUpCommand({
        ClientId: clients.enabled,
        Username: email,
        Password: PASSWORD,
        UserAttributes: [{ Name: 'email', Value: email }],
      }),
    );
    return { email, answer };
  }

  /**
   * Signs a new user up and confirms them with the emailed code, which verifies the address: ForgotPassword
   * sends a reset code only to a verified address (contract §5b).
   */
  async function verifiedUser(label: string) {
    const { email } = await signedUp(label);
    const code = messagesTo(email).at(-1)?.code ?? '';
    await cognito.send(
      new ConfirmSignUpCommand({ ClientId: clients.enabled, Username: email, ConfirmationCode: code }),
    );
    return { email };
  }

  /** The operations that send a code to a user named without a token. */
  type CodeOperation = 'ResendConfirmationCode' | 'ForgotPassword';

  /** Calls `operation` for `username` through `clientId`. */
  function askForCode(operation: CodeOperation, clientId: string, username: string) {
    const input = { ClientId: clientId, Username: username };
    return operation === 'ForgotPassword'
      ? cognito.send(new ForgotPasswordCommand(input))
      : cognito.send(new ResendConfirmationCodeCommand(input));
  }

  /** The parts of CodeDeliveryDetails that do not depend on the address. */
  function shapeOf(details: CodeDeliveryDetailsType | undefined) {
    return {
      keys: Object.keys(details ?? {}).sort(),
      attribute: details?.AttributeName,
      medium: details?.DeliveryMedium,
      masked: MASKED_EMAIL.test(details?.Destination ?? ''),
    };
  }

  it('masks the destination SignUp names, and delivers the real code to the real address', async () => {
    // Prepare
    const label = 'jane';

    // Act
    const { email, answer } = await signedUp(label);

    // Assess
    expect(answer.CodeDeliveryDetails).toEqual({
      AttributeName: 'email',
      DeliveryMedium: 'EMAIL',
      Destination: 'j***@e***',
    });
    expect(messagesTo(email).map((message) => message.code)).toEqual([expect.stringMatching(/^\d{6}$/)]);
  });

  it('answers ResendConfirmationCode for a known user with the masked destination and a new code in the inbox', async () => {
    // Prepare
    const { email } = await signedUp('kim');

    // Act
    const answer = await cognito.send(
      new ResendConfirmationCodeCommand({ ClientId: clients.enabled, Username: email }),
    );

    // Assess
    expect(answer.CodeDeliveryDetails).toEqual({
      AttributeName: 'email',
      DeliveryMedium: 'EMAIL',
      Destination: 'k***@e***',
    });
    expect(messagesTo(email).map((message) => message.source)).toEqual([
      'CustomMessage_SignUp',
      'CustomMessage_ResendCode',
    ]);
  });

  it.each<CodeOperation>(['ResendConfirmationCode', 'ForgotPassword'])(
    'answers %s for an unknown user under ENABLED in the shape a known user gets, and sends nothing',
    async (operation) => {
      // Prepare
      const { email: known } =
        operation === 'ForgotPassword' ? await verifiedUser('lee') : await signedUp('lee');
      const unknown = uniqueEmail('nobody');
      const sentBefore = inbox.messages().length;

      // Act
      const forKnown = await askForCode(operation, clients.enabled, known);
      const sentForKnown = inbox.messages().length - sentBefore;
      const forUnknown = await askForCode(operation, clients.enabled, unknown);

      // Assess
      expect(shapeOf(forUnknown.CodeDeliveryDetails)).toEqual(shapeOf(forKnown.CodeDeliveryDetails));
      expect(Object.keys(forUnknown).filter((key) => key !== '$metadata')).toEqual(['CodeDeliveryDetails']);
      expect(forUnknown.CodeDeliveryDetails?.Destination).toBe('n***@e***');
      expect(sentForKnown).toBe(1);
      expect(inbox.messages().length - sentBefore).toBe(1);
      expect(messagesTo(unknown)).toEqual([]);
    },
  );

  it('masks the destination ForgotPassword names for a known user, whose reset code reaches the inbox', async () => {
    // Prepare
    const { email } = await verifiedUser('max');

    // Act
    const answer = await cognito.send(
      new ForgotPasswordCommand({ ClientId: clients.enabled, Username: email }),
    );

    // Assess
    expect(answer.CodeDeliveryDetails).toEqual({
      AttributeName: 'email',
      DeliveryMedium: 'EMAIL',
      Destination: 'm***@e***',
    });
    expect(messagesTo(email).at(-1)).toMatchObject({
      source: 'CustomMessage_ForgotPassword',
      code: expect.stringMatching(/^\d{6}$/),
    });
  });

  it.each<CodeOperation>(['ResendConfirmationCode', 'ForgotPassword'])(
    'answers %s for an unknown user under LEGACY with UserNotFoundException',
    async (operation) => {
      // Prepare
      const unknown = uniqueEmail('nobody');

      // Act
      const error = await rejectionOf(askForCode(operation, clients.legacy, unknown));

      // Assess
      expect(error).toBeInstanceOf(UserNotFoundException);
    },
  );

  it('sends x-amzn-ErrorType beside __type in an error answer', async () => {
    // Prepare
    const body = JSON.stringify({ ClientId: clients.legacy, Username: uniqueEmail('nobody') });

    // Act
    const response = await fetch(pool.url, {
      method: 'POST',
      body,
      headers: {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': 'AWSCognitoIdentityProviderService.ForgotPassword',
      },
    });
    const answer = (await response.json()) as { __type?: string };

    // Assess
    expect({
      status: response.status,
      header: response.headers.get('x-amzn-ErrorType'),
      type: answer.__type,
    }).toEqual({ status: 400, header: 'UserNotFoundException:', type: 'UserNotFoundException' });
  });

  describe('signed-in user', () => {
    /** A confirmed, signed-in user: the address and an access token. */
    async function signedIn(label: string) {
      const { email } = await signedUp(label);
      const code = messagesTo(email).at(-1)?.code ?? '';
      await cognito.send(
        new ConfirmSignUpCommand({ ClientId: clients.enabled, Username: email, ConfirmationCode: code }),
      );
      const auth = await cognito.send(
        new InitiateAuthCommand({
          ClientId: clients.enabled,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: email, PASSWORD },
        }),
      );
      return { email, accessToken: auth.AuthenticationResult?.AccessToken ?? '' };
    }

    it('answers GetUserAttributeVerificationCode with the masked destination of the code it sent', async () => {
      // Prepare
      const { email, accessToken } = await signedIn('nia');

      // Act
      const answer = await cognito.send(
        new GetUserAttributeVerificationCodeCommand({ AccessToken: accessToken, AttributeName: 'email' }),
      );

      // Assess
      expect(answer.CodeDeliveryDetails).toEqual({
        AttributeName: 'email',
        DeliveryMedium: 'EMAIL',
        Destination: 'n***@e***',
      });
      expect(messagesTo(email).at(-1)).toMatchObject({
        source: 'CustomMessage_VerifyUserAttribute',
        code: expect.stringMatching(/^\d{6}$/),
      });
    });

    it('masks the destination in UpdateUserAttributes’ CodeDeliveryDetailsList; the code goes to the new address', async () => {
      // Prepare
      const { accessToken } = await signedIn('oli');
      const newEmail = uniqueEmail('pat');

      // Act
      const answer = await cognito.send(
        new UpdateUserAttributesCommand({
          AccessToken: accessToken,
          UserAttributes: [{ Name: 'email', Value: newEmail }],
        }),
      );

      // Assess
      expect(answer.CodeDeliveryDetailsList).toEqual([
        { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'p***@e***' },
      ]);
      expect(messagesTo(newEmail)).toHaveLength(1);
    });
  });
});
