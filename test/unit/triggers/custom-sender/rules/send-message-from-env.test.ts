/**
 * What the custom sender rule reads from its function's environment: the code key (the pool's KMS key, or a
 * local raw AES key), NOTIFY_UNVERIFIED_EMAIL and ONE_CLICK_LINK_HOSTS (docs/custom-senders.md, "Configuration").
 */
import { describe, expect, it } from 'vitest';
import { LOCAL_CODE_KEY } from '../../../../../shared/custom-sender/code-cipher.js';
import { ConfigurationError } from '../../../../../shared/errors.js';
import { OptionsError } from '../../../../../shared/options.js';
import {
  codeKeyFromEnv,
  sendMessage,
  sendMessageFromEnv,
} from '../../../../../triggers/custom-sender/rules/send-message.js';
import { errorOf } from '../../../../support/outcomes.js';

const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const RAW_AES = Buffer.alloc(32, 9).toString('base64');

describe('Rule: sendMessage (codeKeyFromEnv)', () => {
  it("reads the pool's KMS key from CODE_KEY_ARN", () => {
    // Prepare
    const env = { CODE_KEY_ARN: KEY_ARN };

    // Act
    const key = codeKeyFromEnv(env);

    // Assess
    expect(key).toEqual({ keyArn: KEY_ARN });
  });

  it('reads a local raw AES key from CODE_KEY_RAW_AES, under the local key names', () => {
    // Prepare
    const env = { CODE_KEY_RAW_AES: RAW_AES };

    // Act
    const key = codeKeyFromEnv(env);

    // Assess
    expect(key).toEqual({ rawAesKey: Buffer.alloc(32, 9), ...LOCAL_CODE_KEY });
  });

  it.each([
    ['neither key', {}, 'CODE_KEY_ARN'],
    ['both keys', { CODE_KEY_ARN: KEY_ARN, CODE_KEY_RAW_AES: RAW_AES }, 'CODE_KEY_RAW_AES'],
    ['a 16-byte raw key', { CODE_KEY_RAW_AES: Buffer.alloc(16).toString('base64') }, 'CODE_KEY_RAW_AES'],
    ['a raw key that is not base64', { CODE_KEY_RAW_AES: `${RAW_AES.slice(0, -2)}!=` }, 'CODE_KEY_RAW_AES'],
  ])('refuses %s with a ConfigurationError naming the variable', (_label, env, variable) => {
    // Prepare (the environment)

    // Act
    const error = errorOf(ConfigurationError, () => codeKeyFromEnv(env));

    // Assess
    expect(error.variable).toBe(variable);
  });
});

describe('Rule: sendMessage (sendMessageFromEnv: the account-takeover settings)', () => {
  const emailEnv = { CODE_KEY_ARN: KEY_ARN, APP_NAME: 'Example', EMAIL_FROM_ADDRESS: 'no-reply@example.com' };

  it.each([
    ['unset', undefined, false],
    ['"true"', 'true', true],
    ['"FALSE"', 'FALSE', false],
  ])('reads it %s for the email sender as %s', (_label, value, expected) => {
    // Prepare
    const env = value === undefined ? emailEnv : { ...emailEnv, NOTIFY_UNVERIFIED_EMAIL: value };

    // Act
    const options = sendMessageFromEnv(env, 'email');

    // Assess
    expect(options.notifyUnverifiedEmail).toBe(expected);
  });

  it('refuses a value other than true or false, naming the variable', () => {
    // Prepare
    const env = { ...emailEnv, NOTIFY_UNVERIFIED_EMAIL: 'yes' };

    // Act
    const error = errorOf(ConfigurationError, () => sendMessageFromEnv(env, 'email'));

    // Assess
    expect(error.variable).toBe('NOTIFY_UNVERIFIED_EMAIL');
  });

  it('is not an option of the SMS sender (the notification is email only)', () => {
    // Prepare
    const env = { CODE_KEY_ARN: KEY_ARN, APP_NAME: 'Example', SMS_ALLOWED_COUNTRIES: 'US' };

    // Act
    const options = sendMessageFromEnv(env, 'sms');

    // Assess
    expect(options).not.toHaveProperty('notifyUnverifiedEmail');
  });

  it('checks it for the SMS sender too, which declares it: a bad value is refused, not ignored', () => {
    // Prepare
    const env = { CODE_KEY_ARN: KEY_ARN, SMS_ALLOWED_COUNTRIES: 'US', NOTIFY_UNVERIFIED_EMAIL: 'sometimes' };

    // Act
    const error = errorOf(ConfigurationError, () => sendMessageFromEnv(env, 'sms'));

    // Assess
    expect(error.variable).toBe('NOTIFY_UNVERIFIED_EMAIL');
  });

  it('reads ONE_CLICK_LINK_HOSTS as normalised domain entries for the email sender', () => {
    // Prepare
    const env = { ...emailEnv, ONE_CLICK_LINK_HOSTS: ' Auth.Example.com. , *.login.example.org' };

    // Act
    const options = sendMessageFromEnv(env, 'email');

    // Assess
    expect(options.oneClickLinkHosts).toEqual(['auth.example.com', '*.login.example.org']);
  });

  it('refuses an ONE_CLICK_LINK_HOSTS entry that is not a host name, naming the variable', () => {
    // Prepare
    const env = { ...emailEnv, ONE_CLICK_LINK_HOSTS: 'https://auth.example.com' };

    // Act
    const error = errorOf(ConfigurationError, () => sendMessageFromEnv(env, 'email'));

    // Assess
    expect(error.variable).toBe('ONE_CLICK_LINK_HOSTS');
  });

  it('refuses a notifyUnverifiedEmail that is not a boolean, naming the option', () => {
    // Prepare
    const options = { ...sendMessageFromEnv(emailEnv, 'email'), notifyUnverifiedEmail: 'true' as never };

    // Act
    const error = errorOf(OptionsError, () => sendMessage(options));

    // Assess
    expect(error.option).toBe('notifyUnverifiedEmail');
  });
});
