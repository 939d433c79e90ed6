/**
 * The guard's key and options. Its behaviour against a real DynamoDB API (claims, leases, releases,
 * interleavings) is in test/integration/custom-sender-send-once.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import {
  type SendIdentity,
  sendOnce,
  sendOnceFromEnv,
  sendOnceKey,
} from '../../../../shared/custom-sender/send-once.js';
import type { DynamoDbClientProvider } from '../../../../shared/dynamodb-client.js';
import { ConfigurationError, EventShapeError } from '../../../../shared/errors.js';
import { OptionsError } from '../../../../shared/options.js';
import { errorOf } from '../../../support/outcomes.js';

const base: SendIdentity = {
  userPoolId: 'us-east-1_EXAMPLE',
  userName: 'jane@example.com',
  triggerSource: 'CustomEmailSender_SignUp',
  ciphertext: 'AYADeHJlcGxhY2VkLWNpcGhlcnRleHQ=',
};

describe('Shared: sendOnceKey', () => {
  it('is a SHA-256 in hex that holds none of its inputs', () => {
    // Prepare
    const identity = structuredClone(base);

    // Act
    const key = sendOnceKey(identity);

    // Assess
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.values(identity).some((value) => key.includes(value))).toBe(false);
  });

  it('is the same for every retry of one event', () => {
    // Prepare
    const retry = structuredClone(base);

    // Act
    const keys = [sendOnceKey(base), sendOnceKey(retry)];

    // Assess
    expect(keys[0]).toBe(keys[1]);
  });

  it.each(['userPoolId', 'userName', 'triggerSource', 'ciphertext'] as const)(
    'changes when %s changes',
    (field) => {
      // Prepare
      const other = { ...base, [field]: `${base[field]}x` };

      // Act
      const keys = [sendOnceKey(base), sendOnceKey(other)];

      // Assess
      expect(keys[0]).not.toBe(keys[1]);
    },
  );

  it('never lets one field shift into the next (property)', () => {
    // Prepare
    const text = fc.string({ minLength: 1, maxLength: 20 });

    // Act & Assess
    fc.assert(
      fc.property(text, text, text, text, (a, b, c, d) => {
        const joined = { ...base, userName: `${a}${b}`, triggerSource: c, ciphertext: d };
        const shifted = { ...base, userName: a, triggerSource: `${b}${c}`, ciphertext: d };
        expect(sendOnceKey(joined)).not.toBe(sendOnceKey(shifted));
      }),
    );
  });

  it.each([
    ['userPoolId', { userPoolId: '' }, 'empty string'],
    ['userName', { userName: undefined }, 'absent'],
    ['request.code', { ciphertext: null }, 'null'],
  ])('refuses a missing %s, naming the field and never a value', (path, change, found) => {
    // Prepare
    const identity = { ...base, ...change } as SendIdentity;

    // Act
    const error = errorOf(EventShapeError, () => sendOnceKey(identity));

    // Assess
    expect(error).toMatchObject({ path, found });
    expect(error.message).not.toContain(base.userName);
  });
});

describe('Shared: sendOnce options', () => {
  it.each([
    ['tableName', { tableName: 'a b' }],
    ['tableName', { tableName: 'ab' }],
    ['leaseSeconds', { tableName: 'Sends', leaseSeconds: 0 }],
    ['leaseSeconds', { tableName: 'Sends', leaseSeconds: 901 }],
    ['ttlSeconds', { tableName: 'Sends', ttlSeconds: 3600 }],
    ['markReserveMs', { tableName: 'Sends', markReserveMs: -1 }],
    ['whenStoreFails', { tableName: 'Sends', whenStoreFails: 'retry' as 'send' }],
  ])('refuses a bad %s at construction', (option, options) => {
    // Prepare
    const dynamodb = vi.fn<DynamoDbClientProvider>();

    // Act
    const error = errorOf(OptionsError, () => sendOnce(options, { dynamodb }));

    // Assess
    expect(error.option).toBe(option);
    expect(dynamodb).not.toHaveBeenCalled();
  });
});

describe('Shared: sendOnceFromEnv', () => {
  it('is off without SEND_ONCE_TABLE', () => {
    // Prepare
    const env = { SEND_ONCE_LEASE_SECONDS: '20' };

    // Act
    const options = sendOnceFromEnv(env);

    // Assess
    expect(options).toBeUndefined();
  });

  it('reads every variable, with defaults for the unset ones', () => {
    // Prepare
    const full = {
      SEND_ONCE_TABLE: 'arn:aws:dynamodb:us-east-1:123456789012:table/CustomSenderSends',
      SEND_ONCE_LEASE_SECONDS: '45',
      SEND_ONCE_TTL_SECONDS: '172800',
      SEND_ONCE_WHEN_STORE_FAILS: 'throw',
    };

    // Act
    const options = [sendOnceFromEnv(full), sendOnceFromEnv({ SEND_ONCE_TABLE: 'CustomSenderSends' })];

    // Assess
    expect(options).toEqual([
      { tableName: full.SEND_ONCE_TABLE, leaseSeconds: 45, ttlSeconds: 172_800, whenStoreFails: 'throw' },
      { tableName: 'CustomSenderSends', leaseSeconds: 30, ttlSeconds: 86_400, whenStoreFails: 'send' },
    ]);
  });

  it.each([
    ['SEND_ONCE_TABLE', 'no spaces allowed'],
    ['SEND_ONCE_LEASE_SECONDS', 'thirty'],
    ['SEND_ONCE_LEASE_SECONDS', '0'],
    ['SEND_ONCE_TTL_SECONDS', '3600'],
    ['SEND_ONCE_TTL_SECONDS', '1.5'],
    ['SEND_ONCE_WHEN_STORE_FAILS', 'ignore'],
  ])('refuses a bad %s, naming the variable', (variable, value) => {
    // Prepare
    const env = { SEND_ONCE_TABLE: 'CustomSenderSends', [variable]: value };

    // Act
    const error = errorOf(ConfigurationError, () => sendOnceFromEnv(env));

    // Assess
    expect(error.variable).toBe(variable);
  });
});
