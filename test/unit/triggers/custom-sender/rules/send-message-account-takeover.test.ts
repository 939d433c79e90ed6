/**
 * The account-takeover path of the custom sender rule against a local Cognito API (moto behind the test
 * proxy: AdminGetUser runs for real, through the SDK). SES is a recording fake here; the built bundle sends
 * through moto's SES in test/integration/custom-sender-bundle.test.ts.
 */
import { randomUUID } from 'node:crypto';
import {
  AdminCreateUserCommand,
  AdminDeleteUserAttributesCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { expect, it, vi } from 'vitest';
import { CognitoRequestError } from '../../../../../shared/cognito-client.js';
import { LOCAL_CODE_KEY } from '../../../../../shared/custom-sender/code-cipher.js';
import type { CustomEmailSenderAccountTakeOverEvent } from '../../../../../shared/custom-sender/events.js';
import { invocationRecord } from '../../../../../shared/metrics.js';
import { sendMessage } from '../../../../../triggers/custom-sender/rules/send-message.js';
import { accountTakeOverEvent, ruleContext } from '../../../../support/builders.js';
import { testCredentials } from '../../../../support/cognito-idp-server.js';
import { cognitoClientFor, useCognitoIdpServer } from '../../../../support/cognito-test-client.js';
import { describeWithMoto, motoCredentialsEnv } from '../../../../support/moto-server.js';

type SentEmail = {
  Destination?: { ToAddresses?: string[] };
  Content?: { Simple?: { Subject?: { Data?: string } } };
};

/** A recording SES v2 client getter: each SendEmail input is kept and answered with a message id. */
function recordingSes() {
  const sent: SentEmail[] = [];
  const client = {
    send: vi.fn(async (command: { input: SentEmail }) => {
      sent.push(command.input);
      return { MessageId: `message-${sent.length}` };
    }),
  };
  return { ses: async () => client as unknown as SESv2Client, sent };
}

function silentLogger() {
  return { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
}

/** An account-takeover event for `userName` in `userPoolId`, shaped as the one real capture (PR52111). */
function takeoverEvent(userPoolId: string, userName: string): CustomEmailSenderAccountTakeOverEvent {
  return accountTakeOverEvent(
    {
      EVENT_ID: randomUUID(),
      USER_NAME: userName,
      IP_ADDRESS: '203.0.113.7',
      ACCOUNT_TAKE_OVER_ACTION: 'BLOCK',
      ONE_CLICK_LINK_VALID: 'https://cognito-idp.us-east-1.amazonaws.com/risk?token=valid',
      ONE_CLICK_LINK_INVALID: 'https://cognito-idp.us-east-1.amazonaws.com/risk?token=invalid',
      LOGIN_TIME: 'Friday, March 19, 2021 02:25 PM UTC',
      FEEDBACK_TOKEN: 'feedback-token-example',
      CITY: null,
      COUNTRY: null,
      DEVICE_NAME: null,
    },
    { region: motoCredentialsEnv.AWS_REGION, userPoolId, userName },
  );
}

describeWithMoto('Rule: sendMessage (account-takeover notification, AdminGetUser against moto)', () => {
  const server = useCognitoIdpServer();

  function rule(ses = recordingSes(), logger = silentLogger(), notifyUnverifiedEmail?: boolean) {
    return sendMessage({
      ...(notifyUnverifiedEmail === undefined ? {} : { notifyUnverifiedEmail }),
      channel: 'email',
      key: { rawAesKey: Buffer.alloc(32, 7), ...LOCAL_CODE_KEY },
      compose: { appName: 'Example' },
      email: { from: 'no-reply@example.com' },
      dependencies: {
        ses: ses.ses,
        cognito: cognitoClientFor(server, { requestTimeoutMs: 500, maxAttempts: 1 }),
      },
      logger,
    });
  }

  async function adminClient() {
    return new CognitoIdentityProviderClient({
      region: motoCredentialsEnv.AWS_REGION,
      endpoint: server.endpoint,
      credentials: testCredentials,
    });
  }

  it('looks the user up and sends the notification to the email the pool holds', async () => {
    // Prepare
    const poolId = await server.createPool();
    const { username } = await server.createNativeUser(poolId, {
      email: 'jane.takeover@example.com',
      emailVerified: true,
      status: 'CONFIRMED',
    });
    const ses = recordingSes();
    const metrics = invocationRecord();
    const context = { ...ruleContext(), metrics };

    // Act
    const outcome = await rule(ses)(takeoverEvent(poolId, username), context);

    // Assess
    expect(outcome).toBe('changed');
    expect(server.callsOf('AdminGetUser').map((call) => call.input)).toEqual([
      { UserPoolId: poolId, Username: username },
    ]);
    expect(ses.sent.map((email) => email.Destination?.ToAddresses)).toEqual([['jane.takeover@example.com']]);
    expect(ses.sent[0]?.Content?.Simple?.Subject?.Data).toContain('Example');
    expect(metrics.counts().get('MessagesSent')).toBe(1);
  });

  it('skips a user without an email, logged and counted as not sent, without throwing', async () => {
    // Prepare
    const poolId = await server.createPool();
    const username = randomUUID();
    const admin = await adminClient();
    await admin.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: username,
        UserAttributes: [{ Name: 'email', Value: 'gone@example.com' }],
        MessageAction: 'SUPPRESS',
      }),
    );
    await admin.send(
      new AdminDeleteUserAttributesCommand({
        UserPoolId: poolId,
        Username: username,
        UserAttributeNames: ['email'],
      }),
    );
    admin.destroy();
    const ses = recordingSes();
    const logger = silentLogger();

    // Act
    const outcome = await rule(ses, logger)(takeoverEvent(poolId, username), ruleContext());

    // Assess
    expect(outcome).toBe('skipped');
    expect(ses.sent).toEqual([]);
    expect(logger.warn).toHaveBeenCalledWith(
      'custom sender: notification not sent, no verified email to send it to',
      {
        triggerSource: 'CustomEmailSender_AccountTakeOverNotification',
        because: 'no-email',
      },
    );
  });

  it('skips an unverified email by default: where and how someone signed in goes only to a proven address', async () => {
    // Prepare
    const poolId = await server.createPool();
    const { username } = await server.createNativeUser(poolId, {
      email: 'unproven.takeover@example.com',
      emailVerified: false,
      status: 'CONFIRMED',
    });
    const ses = recordingSes();
    const logger = silentLogger();
    const metrics = invocationRecord();

    // Act
    const outcome = await rule(ses, logger)(takeoverEvent(poolId, username), { ...ruleContext(), metrics });

    // Assess
    expect(outcome).toBe('skipped');
    expect(ses.sent).toEqual([]);
    expect(logger.warn.mock.calls[0]?.[1]).toEqual({
      triggerSource: 'CustomEmailSender_AccountTakeOverNotification',
      because: 'unverified-email',
    });
    expect(metrics.counts().get('MessagesSent')).toBe(0);
  });

  it('sends to an unverified email when notifyUnverifiedEmail is set (a pool that never verifies emails)', async () => {
    // Prepare
    const poolId = await server.createPool();
    const { username } = await server.createNativeUser(poolId, {
      email: 'unproven.optin@example.com',
      emailVerified: false,
      status: 'CONFIRMED',
    });
    const ses = recordingSes();

    // Act
    const outcome = await rule(ses, silentLogger(), true)(takeoverEvent(poolId, username), ruleContext());

    // Assess
    expect(outcome).toBe('changed');
    expect(ses.sent.map((email) => email.Destination?.ToAddresses)).toEqual([['unproven.optin@example.com']]);
  });

  it('skips a user the pool no longer has', async () => {
    // Prepare
    const poolId = await server.createPool();
    const ses = recordingSes();
    const logger = silentLogger();

    // Act
    const outcome = await rule(ses, logger)(takeoverEvent(poolId, randomUUID()), ruleContext());

    // Assess
    expect(outcome).toBe('skipped');
    expect(ses.sent).toEqual([]);
    expect(logger.warn.mock.calls[0]?.[1]).toEqual({
      triggerSource: 'CustomEmailSender_AccountTakeOverNotification',
      because: 'user-not-found',
    });
  });

  it('fails the invocation (Lambda retries it) when AdminGetUser is throttled, and sends nothing', async () => {
    // Prepare
    const poolId = await server.createPool();
    const { username } = await server.createNativeUser(poolId, {
      email: 'kim.takeover@example.com',
      emailVerified: true,
      status: 'CONFIRMED',
    });
    server.inject({ operation: 'AdminGetUser', kind: 'throttle' });
    const ses = recordingSes();

    // Act
    const result = rule(ses)(takeoverEvent(poolId, username), ruleContext());

    // Assess
    await expect(result).rejects.toBeInstanceOf(CognitoRequestError);
    expect(ses.sent).toEqual([]);
  });

  it("gives up on a lookup that does not answer by the invocation's deadline", async () => {
    // Prepare
    const poolId = await server.createPool();
    const { username } = await server.createNativeUser(poolId, {
      email: 'lee.takeover@example.com',
      emailVerified: true,
      status: 'CONFIRMED',
    });
    server.inject({ operation: 'AdminGetUser', kind: 'hang' });
    const ses = recordingSes();
    const started = Date.now();

    // Act
    const result = rule(ses)(takeoverEvent(poolId, username), ruleContext(300));

    // Assess
    await expect(result).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(ses.sent).toEqual([]);
  });
});
