import { describe, expect, it, vi } from 'vitest';
import {
  deliverEmail,
  deliverEmailFromEnv,
  type EmailMessage,
  sesAddress,
} from '../../../../shared/custom-sender/deliver-email.js';
import { DeliveryError } from '../../../../shared/custom-sender/delivery-error.js';
import type { SesClientProvider } from '../../../../shared/custom-sender/ses-client.js';
import { ConfigurationError } from '../../../../shared/errors.js';
import { OptionsError } from '../../../../shared/options.js';
import { errorOf, rejectionOf } from '../../../support/outcomes.js';

const ARN = 'arn:aws:ses:us-east-1:123456789012:identity/example.com';

describe('Shared: deliverEmailFromEnv', () => {
  it('reads every variable into options', () => {
    // Prepare
    const env = {
      EMAIL_FROM_ADDRESS: ' Example <no-reply@example.com> ',
      EMAIL_REPLY_TO_ADDRESSES: 'help@example.com, Support <support@example.com>',
      EMAIL_CONFIGURATION_SET: 'auth-mail',
      EMAIL_FROM_ARN: ARN,
      EMAIL_FEEDBACK_FORWARDING_ADDRESS: 'bounces@example.com',
      EMAIL_FEEDBACK_FORWARDING_ARN: ARN,
      EMAIL_REGION: 'eu-west-1',
    };

    // Act
    const options = deliverEmailFromEnv(env);

    // Assess
    expect(options).toEqual({
      from: 'Example <no-reply@example.com>',
      replyTo: ['help@example.com', 'Support <support@example.com>'],
      configurationSetName: 'auth-mail',
      fromArn: ARN,
      feedbackForwardingAddress: 'bounces@example.com',
      feedbackForwardingArn: ARN,
      region: 'eu-west-1',
    });
  });

  it('treats empty variables as unset', () => {
    // Prepare
    const env = {
      EMAIL_FROM_ADDRESS: 'no-reply@example.com',
      EMAIL_REPLY_TO_ADDRESSES: ' , ',
      EMAIL_CONFIGURATION_SET: '',
      EMAIL_FROM_ARN: '  ',
      EMAIL_REGION: '',
    };

    // Act
    const options = deliverEmailFromEnv(env);

    // Assess
    expect(options).toEqual({ from: 'no-reply@example.com' });
  });

  it('requires EMAIL_FROM_ADDRESS', () => {
    // Prepare
    const env = { EMAIL_CONFIGURATION_SET: 'auth-mail' };

    // Act
    const error = errorOf(ConfigurationError, () => deliverEmailFromEnv(env));

    // Assess
    expect(error.variable).toBe('EMAIL_FROM_ADDRESS');
  });

  it.each([
    ['EMAIL_FROM_ADDRESS', 'jane at example.com'],
    ['EMAIL_FROM_ADDRESS', 'Bücher Team <no-reply@example.com>'],
    ['EMAIL_FROM_ADDRESS', 'jäne@example.com'],
    ['EMAIL_REPLY_TO_ADDRESSES', 'help@example.com,secret-person'],
    ['EMAIL_CONFIGURATION_SET', 'auth mail'],
    ['EMAIL_FROM_ARN', 'arn:aws:sns:us-east-1:123456789012:topic'],
    ['EMAIL_FEEDBACK_FORWARDING_ADDRESS', 'bounces-at-example'],
    ['EMAIL_FEEDBACK_FORWARDING_ARN', 'example.com'],
    ['EMAIL_REGION', 'mars'],
  ])('refuses a bad %s, naming the variable and not the value', (variable, value) => {
    // Prepare
    const env = { EMAIL_FROM_ADDRESS: 'no-reply@example.com', [variable]: value };

    // Act
    const error = errorOf(ConfigurationError, () => deliverEmailFromEnv(env));

    // Assess
    expect(error.variable).toBe(variable);
    expect(error.cause).toBeInstanceOf(OptionsError);
    expect(error.message).not.toContain(value);
  });
});

describe('Shared: deliverEmail options', () => {
  it.each([
    ['from', { from: '' }],
    ['replyTo', { from: 'no-reply@example.com', replyTo: 'help@example.com' as unknown as string[] }],
    ['configurationSetName', { from: 'no-reply@example.com', configurationSetName: 'x'.repeat(65) }],
    ['fromArn', { from: 'no-reply@example.com', fromArn: `${ARN} ` }],
    ['region', { from: 'no-reply@example.com', region: 'US-EAST-1' }],
  ])('refuses a bad %s at construction', (option, options) => {
    // Prepare
    const ses = vi.fn<SesClientProvider>();

    // Act
    const error = errorOf(OptionsError, () => deliverEmail(options, { ses }));

    // Assess
    expect(error.option).toBe(option);
    expect(ses).not.toHaveBeenCalled();
  });

  it('accepts a display name encoded as RFC 2047 requires for non-ASCII text', () => {
    // Prepare
    const ses = vi.fn<SesClientProvider>();

    // Act
    const send = deliverEmail({ from: '=?UTF-8?B?QsO8Y2hlcg==?= <no-reply@example.com>' }, { ses });

    // Assess
    expect(send).toBeTypeOf('function');
  });
});

describe('Shared: sesAddress', () => {
  it.each([
    ['jane@example.org', 'jane@example.org'],
    ['Jane.Doe+code@Example.ORG', 'Jane.Doe+code@example.org'],
    ['jane@bücher.example', 'jane@xn--bcher-kva.example'],
    ['jäne@example.org', undefined],
    ['"jane doe"@example.org', undefined],
    ['jane@localhost', undefined],
    ['jane@@example.org', undefined],
    [' jane@example.org', undefined],
    ['', undefined],
    [42, undefined],
  ])('gives %j as %j', (address, expected) => {
    // Prepare (the address above)

    // Act
    const ses = sesAddress(address);

    // Assess
    expect(ses).toBe(expected);
  });
});

describe('Shared: deliverEmail refusals before any call', () => {
  const valid: EmailMessage = { to: 'jane@example.org', subject: 'Your code', text: '123456' };

  it.each([
    ['a recipient that is not an address', { ...valid, to: 'jane' }, 'bad-address'],
    [
      'a recipient SES cannot take (non-ASCII local part)',
      { ...valid, to: 'jäne@example.org' },
      'bad-address',
    ],
    ['no body', { to: valid.to, subject: 'Your code' }, 'invalid-message'],
    ['blank bodies', { ...valid, text: ' ', html: '\n' }, 'invalid-message'],
    ['a blank subject', { ...valid, subject: '  ' }, 'invalid-message'],
    ['a line break in the subject', { ...valid, subject: 'Code\r\nBcc: x@example.org' }, 'invalid-message'],
  ])('refuses %s as a permanent %s', async (_label, message, reason) => {
    // Prepare
    const ses = vi.fn<SesClientProvider>();
    const send = deliverEmail({ from: 'no-reply@example.com' }, { ses });

    // Act
    const error = await rejectionOf(send(message as EmailMessage, { deadline: Date.now() + 1000 }));

    // Assess
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ channel: 'email', reason, retryable: false });
    expect((error as Error).message).not.toContain('jane');
    expect(ses).not.toHaveBeenCalled();
  });

  it('refuses a deadline already past as a retryable timeout, without a call', async () => {
    // Prepare
    const ses = vi.fn<SesClientProvider>();
    const send = deliverEmail({ from: 'no-reply@example.com' }, { ses });

    // Act
    const error = await rejectionOf(send(valid, { deadline: Date.now() - 1 }));

    // Assess
    expect(error).toMatchObject({ name: 'DeliveryError', reason: 'timeout', retryable: true });
    expect(ses).not.toHaveBeenCalled();
  });
});
