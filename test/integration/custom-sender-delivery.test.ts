/**
 * deliverEmail and deliverSms against moto's SES v2 and SNS, through their own lazy SDK clients (timeouts,
 * retries, endpoint override). What moto recorded is read back from `GET /moto-api/data.json`, which lists
 * every tracked model instance: SES's `Message` (source, destinations, subject, body: the HTML part when
 * both are sent) and SNS's `SMS` (phone number, message). moto keeps neither reply-to addresses nor SMS
 * message attributes, so those are checked by what the request carried, in the unit tests.
 * What moto does not keep, and the faults it cannot produce, come from real sockets: a loopback stand-in
 * that records each request and answers in the service's own protocol (SES v2 REST-JSON, SNS Query), a
 * closed port, and a server that never answers.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { CreateEmailIdentityCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverEmail } from '../../shared/custom-sender/deliver-email.js';
import { deliverSms } from '../../shared/custom-sender/deliver-sms.js';
import { DeliveryError } from '../../shared/custom-sender/delivery-error.js';
import { lazySesClient } from '../../shared/custom-sender/ses-client.js';
import { lazySnsClient } from '../../shared/custom-sender/sns-client.js';
import { type HangingServer, startHangingServer } from '../support/hanging-server.js';
import { type ListeningServer, listenOnLoopback, readBody, unusedLoopbackUrl } from '../support/loopback.js';
import { describeWithMoto, type MotoServer, startMotoServer } from '../support/moto-server.js';
import { rejectionOf } from '../support/outcomes.js';

const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const region = 'us-east-1';

/** SES's `Message` model as moto's data.json lists it. */
type RecordedEmail = {
  id: string;
  source: string;
  subject: string;
  body: string;
  destinations: { ToAddresses?: string[] };
};

/** SNS's `SMS` model as moto's data.json lists it. */
type RecordedSms = { message_id: string; phone_number: string; message: string };

type MotoData = { ses?: { Message?: RecordedEmail[] }; sns?: { SMS?: RecordedSms[] } };

describeWithMoto('Shared: custom sender delivery against moto (SES v2, SNS)', () => {
  let moto: MotoServer;
  let admin: SESv2Client;

  beforeAll(async () => {
    moto = await startMotoServer();
    admin = new SESv2Client({ endpoint: moto.endpoint, region, credentials });
    // A verified domain: moto, like SES, refuses a sender whose address or domain is not an identity.
    await admin.send(new CreateEmailIdentityCommand({ EmailIdentity: 'example.com' }));
  });

  afterAll(async () => {
    admin?.destroy();
    await moto?.stop();
  });

  async function recorded(): Promise<MotoData> {
    const answer = await fetch(`${moto.endpoint}/moto-api/data.json`);
    return (await answer.json()) as MotoData;
  }

  async function recordedEmail(messageId: string | undefined): Promise<RecordedEmail | undefined> {
    return (await recorded()).ses?.Message?.find((message) => message.id === messageId);
  }

  function sendEmail(options: Partial<Parameters<typeof deliverEmail>[0]> = {}) {
    return deliverEmail(
      { from: 'no-reply@example.com', ...options },
      { ses: lazySesClient({ endpoint: moto.endpoint, region, credentials }) },
    );
  }

  function sendSms(options: Partial<Parameters<typeof deliverSms>[0]> = {}) {
    return deliverSms(
      { allowedCountries: ['US', 'CA', '+44'], ...options },
      { sns: lazySnsClient({ endpoint: moto.endpoint, region, credentials }) },
    );
  }

  function bounds(ms = 10_000) {
    return { deadline: Date.now() + ms };
  }

  it('sends an email: SES records its sender, recipient, UTF-8 subject and HTML body', async () => {
    // Prepare
    const subject = `Your verification code ✓ ${randomUUID()}`;
    const message = {
      to: 'jane.doe@example.org',
      subject,
      html: '<p>Code: 123456</p>',
      text: 'Code: 123456',
    };

    // Act
    const receipt = await sendEmail()(message, bounds());

    // Assess
    expect(await recordedEmail(receipt.messageId)).toEqual({
      id: receipt.messageId,
      source: 'no-reply@example.com',
      subject,
      body: '<p>Code: 123456</p>',
      destinations: { ToAddresses: ['jane.doe@example.org'] },
    });
  });

  it('sends a text-only email with a display name, reply-to and configuration set', async () => {
    // Prepare
    const subject = `Reset your password ${randomUUID()}`;
    const send = sendEmail({
      from: 'Example Support <no-reply@example.com>',
      replyTo: ['help@example.com'],
      configurationSetName: 'auth-mail',
    });

    // Act
    const receipt = await send({ to: 'jane@example.org', subject, text: 'Code: 654321' }, bounds());

    // Assess
    expect(await recordedEmail(receipt.messageId)).toMatchObject({
      source: 'Example Support <no-reply@example.com>',
      subject,
      body: 'Code: 654321',
    });
  });

  it('sends to an internationalised domain in its ASCII (punycode) form, as SES requires', async () => {
    // Prepare
    const subject = `IDN ${randomUUID()}`;

    // Act
    const receipt = await sendEmail()({ to: 'jane@bücher.example', subject, text: 'x' }, bounds());

    // Assess
    expect((await recordedEmail(receipt.messageId))?.destinations).toEqual({
      ToAddresses: ['jane@xn--bcher-kva.example'],
    });
  });

  it('classifies an unverified sender as a permanent message-rejected, naming no address', async () => {
    // Prepare
    const send = sendEmail({ from: 'no-reply@unverified.example' });
    const subject = `Unverified ${randomUUID()}`;

    // Act
    const error = await rejectionOf(send({ to: 'jane@example.org', subject, text: 'x' }, bounds()));

    // Assess
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({
      channel: 'email',
      operation: 'SendEmail',
      reason: 'message-rejected',
      retryable: false,
      errorName: 'MessageRejected',
      maskedDestination: 'j***@example.org',
    });
    const { message } = error as DeliveryError;
    expect([
      message.includes('unverified.example'),
      message.includes('jane'),
      message.includes(subject),
    ]).toEqual([false, false, false]);
    expect((await recorded()).ses?.Message?.some((sent) => sent.subject === subject)).toBe(false);
  });

  it('sends an SMS: SNS records the number and the text', async () => {
    // Prepare
    const send = sendSms({ senderId: 'Example', originationNumber: '+14155550100' });
    const text = `Your code is 123456 (${randomUUID().slice(0, 8)})`;

    // Act
    const receipt = await send({ to: '+14155550123', text }, bounds());

    // Assess
    const sms = (await recorded()).sns?.SMS?.find((entry) => entry.message_id === receipt.messageId);
    expect(sms).toEqual({ message_id: receipt.messageId, phone_number: '+14155550123', message: text });
  });

  it('refuses a number outside the allow-list before any call: nothing reaches SNS', async () => {
    // Prepare
    const send = sendSms({ allowedCountries: ['GB'] });
    const text = `Pumped ${randomUUID()}`;

    // Act
    const error = await rejectionOf(send({ to: '+18765550123', text }, bounds()));

    // Assess
    expect(error).toMatchObject({
      reason: 'country-not-allowed',
      retryable: false,
      maskedDestination: '***23',
    });
    expect((await recorded()).sns?.SMS?.some((entry) => entry.message === text)).toBe(false);
  });
});

describe('Shared: custom sender delivery when the service is down or hangs', () => {
  let hanging: HangingServer;

  beforeAll(async () => {
    hanging = await startHangingServer();
  });

  afterAll(async () => {
    await hanging?.stop();
  });

  const channels = [
    {
      channel: 'email',
      send: (endpoint: string) =>
        deliverEmail(
          { from: 'no-reply@example.com' },
          { ses: lazySesClient({ endpoint, region, credentials }) },
        )({ to: 'jane@example.org', subject: 'Code', text: '123456' }, { deadline: Date.now() + 2500 }),
    },
    {
      channel: 'sms',
      send: (endpoint: string) =>
        deliverSms({ allowedCountries: ['US'] }, { sns: lazySnsClient({ endpoint, region, credentials }) })(
          { to: '+14155550123', text: 'Your code is 123456' },
          { deadline: Date.now() + 2500 },
        ),
    },
  ] as const;

  it.each(channels)(
    '$channel: a closed port is a retryable network failure, within the deadline',
    async ({ send }) => {
      // Prepare
      const endpoint = await unusedLoopbackUrl();
      const started = Date.now();

      // Act
      const error = await rejectionOf(send(endpoint));

      // Assess
      expect(error).toBeInstanceOf(DeliveryError);
      expect(error).toMatchObject({ reason: 'network', retryable: true, errorName: 'ECONNREFUSED' });
      expect(Date.now() - started).toBeLessThan(2500 + 1000);
    },
  );

  it.each(channels)(
    '$channel: a service that never answers is a retryable timeout, by the deadline',
    async ({ send }) => {
      // Prepare
      const started = Date.now();

      // Act
      const error = await rejectionOf(send(hanging.endpoint));

      // Assess
      expect(error).toBeInstanceOf(DeliveryError);
      expect(error).toMatchObject({ reason: 'timeout', retryable: true });
      expect(Date.now() - started).toBeLessThan(2500 + 1000);
    },
  );
});

/** One answer of the stand-in: a status, the `x-amzn-ErrorType` of a REST-JSON error, and a body. */
type Reply = { status: number; errorType?: string; contentType: string; body: string };

const SNS_PUBLISHED = `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
<PublishResult><MessageId>sns-message-1</MessageId></PublishResult>
<ResponseMetadata><RequestId>request-1</RequestId></ResponseMetadata></PublishResponse>`;

function snsError(code: string, type: 'Sender' | 'Receiver'): string {
  return `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>${type}</Type>
<Code>${code}</Code><Message>Refused for +14155550123</Message></Error><RequestId>request-1</RequestId></ErrorResponse>`;
}

describe('Shared: custom sender delivery against a loopback stand-in (SES v2 REST-JSON, SNS Query)', () => {
  let server: ListeningServer;
  const requests: { path: string; body: string }[] = [];
  let reply: Reply;

  beforeAll(async () => {
    server = await listenOnLoopback(
      createServer(async (request, response) => {
        requests.push({ path: request.url ?? '', body: await readBody(request) });
        response.writeHead(reply.status, {
          'content-type': reply.contentType,
          ...(reply.errorType === undefined ? {} : { 'x-amzn-errortype': reply.errorType }),
        });
        response.end(reply.body);
      }),
    );
  });

  afterAll(async () => {
    await server?.stop();
  });

  function answer(next: Reply) {
    reply = next;
    requests.length = 0;
  }

  const email = { to: 'jane@example.org', subject: 'Your code', html: '<p>123456</p>', text: '123456' };
  const sms = { to: '+14155550123', text: 'Your code is 123456' };

  function sendEmail(options: Partial<Parameters<typeof deliverEmail>[0]> = {}) {
    return deliverEmail(
      { from: 'no-reply@example.com', ...options },
      { ses: lazySesClient({ endpoint: server.origin, region, credentials }) },
    )(email, { deadline: Date.now() + 5000 });
  }

  function sendSms(options: Partial<Parameters<typeof deliverSms>[0]> = {}) {
    return deliverSms(
      { allowedCountries: ['US'], ...options },
      { sns: lazySnsClient({ endpoint: server.origin, region, credentials }) },
    )(sms, { deadline: Date.now() + 5000 });
  }

  it('carries every sender setting and UTF-8 for each part in the SendEmail request', async () => {
    // Prepare
    answer({ status: 200, contentType: 'application/json', body: '{"MessageId":"ses-message-1"}' });
    const arn = 'arn:aws:ses:us-east-1:123456789012:identity/example.com';

    // Act
    const receipt = await sendEmail({
      from: 'Example <no-reply@example.com>',
      replyTo: ['help@example.com', 'Support <support@example.com>'],
      configurationSetName: 'auth-mail',
      fromArn: arn,
      feedbackForwardingAddress: 'bounces@example.com',
      feedbackForwardingArn: arn,
    });

    // Assess
    expect(receipt).toEqual({ messageId: 'ses-message-1' });
    expect(requests.map((request) => request.path)).toEqual(['/v2/email/outbound-emails']);
    expect(JSON.parse(requests[0]?.body ?? '')).toEqual({
      FromEmailAddress: 'Example <no-reply@example.com>',
      ReplyToAddresses: ['help@example.com', 'Support <support@example.com>'],
      ConfigurationSetName: 'auth-mail',
      FromEmailAddressIdentityArn: arn,
      FeedbackForwardingEmailAddress: 'bounces@example.com',
      FeedbackForwardingEmailAddressIdentityArn: arn,
      Destination: { ToAddresses: ['jane@example.org'] },
      Content: {
        Simple: {
          Subject: { Data: 'Your code', Charset: 'UTF-8' },
          Body: {
            Html: { Data: '<p>123456</p>', Charset: 'UTF-8' },
            Text: { Data: '123456', Charset: 'UTF-8' },
          },
        },
      },
    });
  });

  it('carries the SMS type, sender ID and origination number as Publish message attributes', async () => {
    // Prepare
    answer({ status: 200, contentType: 'text/xml', body: SNS_PUBLISHED });

    // Act
    const receipt = await sendSms({ senderId: 'Example', originationNumber: '+14155550100' });

    // Assess
    expect(receipt).toEqual({ messageId: 'sns-message-1' });
    expect(Object.fromEntries(new URLSearchParams(requests[0]?.body))).toEqual({
      Action: 'Publish',
      Version: '2010-03-31',
      PhoneNumber: '+14155550123',
      Message: 'Your code is 123456',
      'MessageAttributes.entry.1.Name': 'AWS.SNS.SMS.SMSType',
      'MessageAttributes.entry.1.Value.DataType': 'String',
      'MessageAttributes.entry.1.Value.StringValue': 'Transactional',
      'MessageAttributes.entry.2.Name': 'AWS.SNS.SMS.SenderID',
      'MessageAttributes.entry.2.Value.DataType': 'String',
      'MessageAttributes.entry.2.Value.StringValue': 'Example',
      'MessageAttributes.entry.3.Name': 'AWS.MM.SMS.OriginationNumber',
      'MessageAttributes.entry.3.Value.DataType': 'String',
      'MessageAttributes.entry.3.Value.StringValue': '+14155550100',
    });
  });

  it.each([
    [429, 'TooManyRequestsException', 'throttled', true, 2],
    [500, 'InternalServiceErrorException', 'service-unavailable', true, 2],
    [400, 'SendingPausedException', 'sending-paused', false, 1],
    [400, 'AccountSuspendedException', 'account-suspended', false, 1],
    [400, 'MailFromDomainNotVerifiedException', 'sender-not-verified', false, 1],
    [404, 'NotFoundException', 'not-found', false, 1],
    [400, 'BadRequestException', 'invalid-request', false, 1],
  ])(
    'SES answering %i %s is %s (retryable: %s) after %i attempt(s)',
    async (status, errorType, reason, retryable, attempts) => {
      // Prepare
      answer({
        status,
        errorType,
        contentType: 'application/json',
        body: '{"message":"Refused for jane@example.org"}',
      });

      // Act
      const error = await rejectionOf(sendEmail());

      // Assess
      expect(error).toMatchObject({ name: 'DeliveryError', reason, retryable, errorName: errorType });
      expect((error as Error).message).not.toContain('jane');
      expect(requests).toHaveLength(attempts);
    },
  );

  it.each([
    [400, 'Throttled', 'Sender', 'throttled', true],
    [500, 'InternalError', 'Receiver', 'service-unavailable', true],
    [400, 'InvalidParameter', 'Sender', 'invalid-request', false],
    [403, 'AuthorizationError', 'Sender', 'access-denied', false],
    [400, 'OptedOut', 'Sender', 'opted-out', false],
  ] as const)(
    'SNS answering %i %s (%s) is %s (retryable: %s)',
    async (status, code, type, reason, retryable) => {
      // Prepare
      answer({ status, contentType: 'text/xml', body: snsError(code, type) });

      // Act
      const error = await rejectionOf(sendSms());

      // Assess
      expect(error).toMatchObject({ name: 'DeliveryError', reason, retryable });
      expect((error as Error).message).not.toContain('4155550123');
    },
  );
});
