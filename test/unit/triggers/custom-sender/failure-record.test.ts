import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeError } from '../../../../cli/describe-error.js';
import { jsonTypeOf } from '../../../../shared/parse-event.js';
import {
  functionReferenceOf,
  parseSenderFailureRecord,
  SenderFailureRecordError,
} from '../../../../triggers/custom-sender/failure-record.js';
import {
  codeEmailSenderEvent,
  smsSenderEvent,
  testSub,
  withoutKeyAt,
  withValueAt,
} from '../../../support/builders.js';
import { errorOf } from '../../../support/outcomes.js';

/** Stands in for the encrypted code: base64, so the event parser accepts it, and easy to look for. */
const SECRET_CODE = Buffer.from('SECRET-CIPHERTEXT-EXAMPLE-0123456789').toString('base64');
const SECRET_EMAIL = 'secret.person@example.com';
const SECRET_PHONE = '+15555550199';

/** A custom email sender event as Cognito sends it (docs/custom-senders-events.md, CAP1's shape). */
const emailEvent = codeEmailSenderEvent('CustomEmailSender_SignUp', {
  code: SECRET_CODE,
  userAttributes: {
    sub: testSub,
    email_verified: 'false',
    'cognito:user_status': 'UNCONFIRMED',
    email: SECRET_EMAIL,
  },
});

/** The same user's SMS event. */
const smsEvent = smsSenderEvent('CustomSMSSender_ForgotPassword', {
  code: SECRET_CODE,
  userAttributes: { sub: testSub, phone_number: SECRET_PHONE },
});

/** Lambda's on-failure destination record, as the Lambda guide shows it, around `payload`. */
function failureRecord(payload: object = emailEvent): Record<string, unknown> {
  return {
    version: '1.0',
    timestamp: '2026-01-01T00:00:05.568Z',
    requestContext: {
      requestId: 'e4b46cbf-b738-4a00-8880-a18cdf61200e',
      functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:sign-up-CustomEmailSenderFunction:$LATEST',
      condition: 'RetriesExhausted',
      approximateInvokeCount: 3,
    },
    requestPayload: structuredClone(payload),
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: { errorType: 'SesRequestError', errorMessage: 'SendEmail failed: TimeoutError' },
  };
}

/** Every secret the records carry: none may reach an error's message or its cause chain. */
const secrets = [SECRET_CODE, SECRET_EMAIL, SECRET_PHONE];

function leaksSecret(error: Error): boolean {
  const text = `${describeError(error)} ${JSON.stringify({ ...error })}`;
  return secrets.some((secret) => text.includes(secret));
}

/** The fields the replay relies on, with the JSON types each accepts. */
const requiredFields: readonly (readonly [readonly string[], readonly string[]])[] = [
  [['version'], ['string']],
  [['timestamp'], ['string']],
  [['requestContext'], ['object']],
  [['requestContext', 'requestId'], ['string']],
  [['requestContext', 'functionArn'], ['string']],
  [['requestContext', 'condition'], ['string']],
  [['requestContext', 'approximateInvokeCount'], ['number']],
  [['requestPayload'], ['object']],
  [['requestPayload', 'triggerSource'], ['string']],
  [['requestPayload', 'userPoolId'], ['string']],
  [['requestPayload', 'request'], ['object']],
  [['requestPayload', 'request', 'code'], ['string']],
  [['requestPayload', 'request', 'userAttributes'], ['object']],
];

describe('Trigger: custom-sender parseSenderFailureRecord', () => {
  it.each([
    ['email', emailEvent],
    ['sms', smsEvent],
  ] as const)('reads an on-failure record of a %s sender event, the payload unchanged', (channel, event) => {
    // Prepare
    const body = JSON.stringify(failureRecord(event));

    // Act
    const parsed = parseSenderFailureRecord(body);

    // Assess
    expect(parsed).toEqual({
      record: failureRecord(event),
      channel,
      knownSource: true,
      functionName: 'sign-up-CustomEmailSenderFunction',
    });
  });

  it('reads a record without responseContext and responsePayload, which it never reads', () => {
    // Prepare
    const { responseContext: _context, responsePayload: _payload, ...record } = failureRecord();

    // Act
    const parsed = parseSenderFailureRecord(JSON.stringify(record));

    // Assess
    expect(parsed.record.requestContext.condition).toBe('RetriesExhausted');
  });

  it('keeps an event whose ClientMetadata the event parser would leave out, as it came', () => {
    // Prepare
    const record = withValueAt(failureRecord(), ['requestPayload', 'request', 'clientMetadata'], { n: 1 });

    // Act
    const parsed = parseSenderFailureRecord(JSON.stringify(record));

    // Assess
    expect(parsed.record.requestPayload).toEqual((record as { requestPayload: unknown }).requestPayload);
  });

  it('reads an event of an undocumented source of the right trigger, saying so', () => {
    // Prepare
    const record = withValueAt(
      failureRecord(),
      ['requestPayload', 'triggerSource'],
      'CustomEmailSender_Future',
    );

    // Act
    const parsed = parseSenderFailureRecord(JSON.stringify(record));

    // Assess
    expect({ channel: parsed.channel, knownSource: parsed.knownSource }).toEqual({
      channel: 'email',
      knownSource: false,
    });
  });

  it('refuses an on-success record: its event was delivered', () => {
    // Prepare
    const record = withValueAt(failureRecord(), ['requestContext', 'condition'], 'Success');

    // Act
    const error = errorOf(SenderFailureRecordError, () => parseSenderFailureRecord(JSON.stringify(record)));

    // Assess
    expect({ field: error.field, found: error.found }).toEqual({
      field: 'requestContext.condition',
      found: 'Success, an on-success record',
    });
  });

  it('refuses a body that is not JSON without quoting it, nor keeping the SyntaxError that quotes it', () => {
    // Prepare
    const body = JSON.stringify(failureRecord()).slice(0, -2);

    // Act
    const error = errorOf(SenderFailureRecordError, () => parseSenderFailureRecord(body));

    // Assess
    expect({ field: error.field, cause: error.cause, leaks: leaksSecret(error) }).toEqual({
      field: '(body)',
      cause: undefined,
      leaks: false,
    });
  });

  it.each([
    [['version'], '2.0', 'version'],
    [['requestContext', 'functionArn'], 'sign-up-CustomEmailSenderFunction', 'requestContext.functionArn'],
    [['requestContext', 'requestId'], '', 'requestContext.requestId'],
    [['requestContext', 'approximateInvokeCount'], -1, 'requestContext.approximateInvokeCount'],
    [['requestPayload', 'triggerSource'], 'PreSignUp_SignUp', 'requestPayload.triggerSource'],
    [['requestPayload', 'request', 'type'], 'customSMSSenderRequestV1', 'requestPayload.request.type'],
    [['requestPayload', 'request', 'code'], 'not base64!', 'requestPayload.request.code'],
  ] as const)('refuses %j = %j, naming %s', (path, value, field) => {
    // Prepare
    const record = withValueAt(failureRecord(), path, value);

    // Act
    const error = errorOf(SenderFailureRecordError, () => parseSenderFailureRecord(JSON.stringify(record)));

    // Assess
    expect(error.field).toBe(field);
  });

  it('refuses any JSON that is not a record, with a typed error that names a field', () => {
    // Prepare
    const bodies = fc.jsonValue().map((value) => JSON.stringify(value));

    // Act, Assess
    fc.assert(
      fc.property(bodies, (body) => {
        const error = errorOf(SenderFailureRecordError, () => parseSenderFailureRecord(body));
        expect(error.message).toMatch(/^Not a Lambda failure record of a custom sender: \S+ must be /);
      }),
    );
  });

  it('refuses a record with any required field missing or of another type, echoing no code or attribute', () => {
    // Prepare
    const broken = fc
      .tuple(fc.constantFrom(...requiredFields), fc.option(fc.jsonValue(), { nil: undefined }))
      .filter(([[, accepted], value]) => value === undefined || !accepted.includes(jsonTypeOf(value)))
      .chain(([[path], value]) =>
        fc.constantFrom(emailEvent, smsEvent).map((event) => {
          const record = failureRecord(event);
          return value === undefined ? withoutKeyAt(record, path) : withValueAt(record, path, value);
        }),
      );

    // Act, Assess
    fc.assert(
      fc.property(broken, (record) => {
        const error = errorOf(SenderFailureRecordError, () =>
          parseSenderFailureRecord(JSON.stringify(record)),
        );
        expect(leaksSecret(error)).toBe(false);
      }),
    );
  });

  it('refuses a record whose attributes are malformed without echoing their values', () => {
    // Prepare
    const attribute = fc.tuple(fc.string({ minLength: 1, maxLength: 20 }), fc.jsonValue());
    const broken = attribute
      .filter(([, value]) => typeof value !== 'string')
      .map(([key, value]) =>
        withValueAt(failureRecord(), ['requestPayload', 'request', 'userAttributes'], {
          email: SECRET_EMAIL,
          [`custom:${key}`]: value,
        }),
      );

    // Act, Assess
    fc.assert(
      fc.property(broken, (record) => {
        const error = errorOf(SenderFailureRecordError, () =>
          parseSenderFailureRecord(JSON.stringify(record)),
        );
        expect({
          field: error.field.startsWith('requestPayload.request.userAttributes'),
          leaks: leaksSecret(error),
        }).toEqual({
          field: true,
          leaks: false,
        });
      }),
    );
  });
});

describe('Trigger: custom-sender functionReferenceOf', () => {
  it.each([
    ['CustomEmailSenderFunction', { name: 'CustomEmailSenderFunction', isArn: false }],
    ['sender:live', { name: 'sender', qualifier: 'live', isArn: false }],
    ['123456789012:function:sender', { name: 'sender', account: '123456789012', isArn: false }],
    [
      'arn:aws:lambda:eu-west-1:123456789012:function:sender:$LATEST',
      { name: 'sender', qualifier: '$LATEST', region: 'eu-west-1', account: '123456789012', isArn: true },
    ],
    [
      'arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:sender',
      { name: 'sender', region: 'us-gov-west-1', account: '123456789012', isArn: true },
    ],
  ])('reads %s', (text, expected) => {
    // Prepare
    const defaults = { qualifier: undefined, region: undefined, account: undefined };

    // Act
    const reference = functionReferenceOf(text);

    // Assess
    expect(reference).toEqual({ ...defaults, ...expected });
  });

  it.each([
    '',
    'my function',
    'x'.repeat(65),
    'arn:aws:s3:::bucket',
    'arn:aws:lambda:us-east-1:123456789012:layer:sender',
    'arn:aws:lambda:us-east-1:1234:function:sender',
    'sender:a:b',
  ])('refuses %j', (text) => {
    // Prepare
    const input = text;

    // Act
    const reference = functionReferenceOf(input);

    // Assess
    expect(reference).toBeUndefined();
  });
});
