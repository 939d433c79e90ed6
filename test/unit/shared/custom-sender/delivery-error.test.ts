/**
 * Classification of what an SDK call throws. The errors are hand-made in the SDK's shapes (`name`,
 * `$fault`, `$metadata.httpStatusCode`, `$retryable`, a Node.js `code`): the common ones are also produced
 * by real servers in test/integration/custom-sender-delivery.test.ts; these cover the rest, which no local
 * server produces (an expired token, a KMS refusal, an undici code, an error that is not an Error).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  classifyDeliveryError,
  DeliveryError,
  DeliveryFailure,
  isRetryableFailure,
} from '../../../../shared/custom-sender/delivery-error.js';
import { DeadlineExceededError } from '../../../../shared/errors.js';
import { loggableError } from '../../../../shared/log-error.js';

const target = { channel: 'email', operation: 'SendEmail' } as const;

/** An error as the SDK builds one from a service's answer. */
function serviceError(name: string, status: number, fault: 'client' | 'server', message = 'x'): Error {
  return Object.assign(new Error(message), { name, $fault: fault, $metadata: { httpStatusCode: status } });
}

/** A socket error as Node.js builds one. */
function socketError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code, errno: -111, syscall: 'connect' });
}

describe('Shared: classifyDeliveryError', () => {
  it.each([
    ['TooManyRequestsException', 429, 'throttled'],
    ['LimitExceededException', 400, 'throttled'],
    ['ThrottledException', 400, 'throttled'],
    ['KMSThrottlingException', 400, 'throttled'],
    ['InternalServiceErrorException', 500, 'service-unavailable'],
    ['InternalErrorException', 500, 'service-unavailable'],
    ['ExpiredTokenException', 400, 'credentials-expired'],
    ['MessageRejected', 400, 'message-rejected'],
    ['SendingPausedException', 400, 'sending-paused'],
    ['AccountSuspendedException', 400, 'account-suspended'],
    ['MailFromDomainNotVerifiedException', 400, 'sender-not-verified'],
    ['NotFoundException', 404, 'not-found'],
    ['AuthorizationErrorException', 403, 'access-denied'],
    ['KMSDisabledException', 400, 'access-denied'],
    ['BadRequestException', 400, 'invalid-request'],
    ['InvalidParameterException', 400, 'invalid-request'],
    ['InvalidParameterValue', 400, 'invalid-request'],
    ['OptedOutException', 400, 'opted-out'],
    ['EndpointDisabledException', 400, 'opted-out'],
  ])('classifies %s (HTTP %i) as %s', (name, status, reason) => {
    // Prepare
    const error = serviceError(name, status, status >= 500 ? 'server' : 'client');

    // Act
    const classified = classifyDeliveryError(error, target);

    // Assess
    expect(classified).toMatchObject({
      reason,
      retryable: isRetryableFailure(reason as DeliveryFailure),
      errorName: name,
    });
    expect(classified.cause).toBe(error);
  });

  it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET'])(
    'classifies the socket error %s as a retryable network failure',
    (code) => {
      // Prepare
      const error = socketError(code);

      // Act
      const classified = classifyDeliveryError(error, target);

      // Assess
      expect(classified).toMatchObject({ reason: 'network', retryable: true, errorName: code });
    },
  );

  it('finds a socket code on the cause of a wrapping error', () => {
    // Prepare
    const error = new TypeError('fetch failed', { cause: socketError('ECONNRESET') });

    // Act
    const classified = classifyDeliveryError(error, target);

    // Assess
    expect(classified).toMatchObject({ reason: 'network', errorName: 'ECONNRESET' });
  });

  it.each([
    ['the SDK request timeout', Object.assign(new Error('timed out'), { name: 'TimeoutError' })],
    ['an aborted signal', new DOMException('This operation was aborted', 'AbortError')],
    ['the deadline', new DeadlineExceededError('SendEmail', 2500)],
  ])('classifies %s as a retryable timeout', (_label, error) => {
    // Prepare (the error above)

    // Act
    const classified = classifyDeliveryError(error, target);

    // Assess
    expect(classified).toMatchObject({ reason: 'timeout', retryable: true });
  });

  it.each([
    ['an unknown 5xx', serviceError('WeirdGatewayThing', 502, 'server'), 'service-unavailable', true],
    ['an unknown 429', serviceError('SomethingElse', 429, 'client'), 'throttled', true],
    [
      'an unknown name the SDK marks throttling',
      Object.assign(serviceError('Busy', 400, 'client'), { $retryable: { throttling: true } }),
      'throttled',
      true,
    ],
    [
      'an unknown name the SDK marks retryable',
      Object.assign(serviceError('Blip', 400, 'client'), { $retryable: {} }),
      'service-unavailable',
      true,
    ],
    ['an unknown 4xx', serviceError('NewKindOfRefusal', 400, 'client'), 'refused', false],
    ['an Error with nothing to go by', new Error('boom'), 'unknown', true],
    ['a thrown string', 'boom', 'unknown', true],
  ] as const)('classifies %s by what is left: %s', (_label, error, reason, retryable) => {
    // Prepare (the error above)

    // Act
    const classified = classifyDeliveryError(error, target);

    // Assess
    expect(classified).toMatchObject({ reason, retryable });
  });

  it('reads the service code where the class name is generic (query protocols keep `Code`)', () => {
    // Prepare
    const throttling = Object.assign(serviceError('SNSServiceException', 400, 'client'), {
      Code: 'Throttling',
    });
    const invalid = Object.assign(serviceError('SNSServiceException', 400, 'client'), {
      Code: 'InvalidParameter',
    });

    // Act
    const classified = [classifyDeliveryError(throttling, target), classifyDeliveryError(invalid, target)];

    // Assess
    expect(classified.map((one) => [one.reason, one.errorName])).toEqual([
      ['throttled', 'Throttling'],
      ['invalid-request', 'InvalidParameter'],
    ]);
  });

  it('returns a DeliveryError as it is', () => {
    // Prepare
    const error = new DeliveryError({ ...target, reason: 'country-not-allowed' });

    // Act
    const classified = classifyDeliveryError(error, target);

    // Assess
    expect(classified).toBe(error);
  });

  it('never repeats the SDK message (which may quote an address) in its own, nor in a log line', () => {
    // Prepare
    const error = serviceError(
      'MessageRejected',
      400,
      'client',
      'Email address not verified jane@example.org',
    );

    // Act
    const classified = classifyDeliveryError(error, { ...target, maskedDestination: 'j***@example.org' });
    const logged = JSON.stringify(loggableError(classified));

    // Assess
    expect(classified.message).toBe('SendEmail failed: message-rejected (permanent, MessageRejected)');
    expect(logged).not.toContain('jane@example.org');
    expect(classified.maskedDestination).toBe('j***@example.org');
  });

  it('keeps any thrown value out of its message: only the operation, a listed reason and a safe name', () => {
    // Prepare
    const reasons = new Set<string>(Object.values(DeliveryFailure));

    // Act & Assess
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.integer({ min: 100, max: 599 }), (name, message, status) => {
        const classified = classifyDeliveryError(serviceError(name, status, 'client', message), target);
        expect(reasons.has(classified.reason)).toBe(true);
        expect(classified.message).toMatch(
          /^SendEmail failed: [a-z-]+ \((retryable|permanent)(, [A-Za-z][A-Za-z0-9_.:-]{0,99})?\)$/,
        );
      }),
    );
  });
});

describe('Shared: DeliveryError', () => {
  it('is retryable exactly for the transient reasons', () => {
    // Prepare
    const reasons = Object.values(DeliveryFailure);

    // Act
    const retryable = reasons.filter((reason) => new DeliveryError({ ...target, reason }).retryable);

    // Assess
    expect(retryable.sort()).toEqual(
      ['credentials-expired', 'network', 'service-unavailable', 'throttled', 'timeout', 'unknown'].sort(),
    );
  });

  it('says permanent or retryable in its message, with the error name when there is one', () => {
    // Prepare
    const sms = { channel: 'sms', operation: 'Publish' } as const;

    // Act
    const messages = [
      new DeliveryError({ ...sms, reason: 'country-not-allowed' }).message,
      new DeliveryError({ ...sms, reason: 'throttled', errorName: 'ThrottledException' }).message,
      new DeliveryError({ ...sms, reason: 'refused', errorName: 'bad name with spaces' }).message,
    ];

    // Assess
    expect(messages).toEqual([
      'Publish failed: country-not-allowed (permanent)',
      'Publish failed: throttled (retryable, ThrottledException)',
      'Publish failed: refused (permanent, UnnamedError)',
    ]);
  });
});
