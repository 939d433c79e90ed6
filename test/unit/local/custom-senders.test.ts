import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterEach, describe, expect, it } from 'vitest';
import {
  localCodeKey,
  type MailEndpoint,
  pendingCodes,
  senderDelivery,
  startMailEndpoint,
} from '../../../local/custom-senders.js';
import { createInbox } from '../../../local/inbox.js';
import { decryptCode } from '../../../shared/custom-sender/code-cipher.js';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const cleanUps: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
});

function inboxFolder() {
  const folder = mkdtempSync(join(tmpdir(), 'custom-senders-'));
  cleanUps.push(() => rmSync(folder, { recursive: true, force: true }));
  return createInbox({ directory: folder });
}

async function mailEndpoint(pending = pendingCodes()) {
  const inbox = inboxFolder();
  const mail: MailEndpoint = await startMailEndpoint({ inbox, pending });
  cleanUps.push(() => mail.close());
  return { inbox, mail, pending };
}

describe('Local: senderDelivery (the pool side of sender mode)', () => {
  it('invokes the sender of the medium with the event Cognito sends, the code encrypted for the pool', async () => {
    // Prepare
    const key = localCodeKey();
    const pending = pendingCodes();
    const invoked: [string, unknown][] = [];
    const deliver = senderDelivery({
      region: 'us-east-1',
      key,
      pending,
      invoke: async (trigger, event) => void invoked.push([trigger, event]),
    });
    const user = {
      Username: 'sub-1',
      UserStatus: 'UNCONFIRMED',
      Attributes: [{ Name: 'email', Value: 'jane@example.com' }],
    };

    // Act
    await deliver(
      { logger: undefined },
      'SignUp',
      'client-1',
      'local_Pool1',
      user,
      '482913',
      { locale: 'fr' },
      {
        AttributeName: 'email',
        DeliveryMedium: 'EMAIL',
        Destination: 'jane@example.com',
      },
    );

    // Assess
    const [[trigger, event]] = invoked as [
      [string, { request: { code: string } & Record<string, unknown> } & Record<string, unknown>],
    ];
    expect(trigger).toBe('CustomEmailSender');
    expect(event).toMatchObject({
      version: '1',
      triggerSource: 'CustomEmailSender_SignUp',
      userPoolId: 'local_Pool1',
      userName: 'sub-1',
      callerContext: { clientId: 'client-1' },
      request: {
        type: 'customEmailSenderRequestV1',
        userAttributes: {
          email: 'jane@example.com',
          email_verified: 'false',
          'cognito:user_status': 'UNCONFIRMED',
        },
        clientMetadata: { locale: 'fr' },
      },
    });
    expect(event.request.code).not.toContain('482913');
    await expect(
      decryptCode(event.request.code, { ...key, deadline: 5_000, expectedUserPoolId: 'local_Pool1' }),
    ).resolves.toBe('482913');
    expect(pending.take('jane@example.com')).toEqual({
      code: '482913',
      source: 'CustomEmailSender_SignUp',
      userName: 'sub-1',
    });
  });

  it("HTML-escapes < and > in an administrator's temporary password before encrypting it, as Cognito does", async () => {
    // Prepare
    const key = localCodeKey();
    const codes: string[] = [];
    const deliver = senderDelivery({
      region: 'us-east-1',
      key,
      pending: pendingCodes(),
      invoke: async (_trigger, event) =>
        void codes.push((event as { request: { code: string } }).request.code),
    });
    const user = { Username: 'sub-2', Attributes: [{ Name: 'phone_number', Value: '+14155550100' }] };

    // Act
    await deliver({ logger: undefined }, 'AdminCreateUser', null, 'local_Pool1', user, 'a<b>c', undefined, {
      AttributeName: 'phone_number',
      DeliveryMedium: 'SMS',
      Destination: '+14155550100',
    });

    // Assess
    await expect(decryptCode(codes[0] ?? '', { ...key, deadline: 5_000 })).resolves.toBe('a&lt;b&gt;c');
  });
});

describe('Local: startMailEndpoint (the SES/SNS stand-in of sender mode)', () => {
  it('puts an SES v2 SendEmail into the inbox with the code the pool sent to that address', async () => {
    // Prepare
    const { inbox, mail, pending } = await mailEndpoint();
    pending.note('jane@example.com', {
      code: '482913',
      source: 'CustomEmailSender_SignUp',
      userName: 'sub-1',
    });
    const ses = new SESv2Client({ endpoint: mail.url, region: 'us-east-1', credentials });
    cleanUps.push(() => ses.destroy());

    // Act
    const answer = await ses.send(
      new SendEmailCommand({
        FromEmailAddress: 'no-reply@example.com',
        Destination: { ToAddresses: ['jane@example.com'] },
        Content: { Simple: { Subject: { Data: 'Your code' }, Body: { Html: { Data: '<p>482913</p>' } } } },
      }),
    );

    // Assess
    expect(answer.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(inbox.messages()).toMatchObject([
      {
        channel: 'email',
        to: 'jane@example.com',
        subject: 'Your code',
        code: '482913',
        source: 'CustomEmailSender_SignUp',
        custom: true,
      },
    ]);
  });

  it('puts an SNS Publish to a phone number into the inbox as an SMS', async () => {
    // Prepare
    const { inbox, mail, pending } = await mailEndpoint();
    pending.note('+14155550100', { code: '730561', source: 'CustomSMSSender_SignUp', userName: 'sub-3' });
    const sns = new SNSClient({ endpoint: mail.url, region: 'us-east-1', credentials });
    cleanUps.push(() => sns.destroy());

    // Act
    const answer = await sns.send(
      new PublishCommand({ PhoneNumber: '+14155550100', Message: 'Example: 730561' }),
    );

    // Assess
    expect(answer.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(inbox.messages()).toMatchObject([
      { channel: 'sms', to: '+14155550100', code: '730561', source: 'CustomSMSSender_SignUp' },
    ]);
  });
});
