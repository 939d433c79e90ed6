import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { deliverSms, deliverSmsFromEnv } from '../../../../shared/custom-sender/deliver-sms.js';
import { DeliveryError } from '../../../../shared/custom-sender/delivery-error.js';
import { regionOf } from '../../../../shared/custom-sender/sms-countries.js';
import type { SnsClientProvider } from '../../../../shared/custom-sender/sns-client.js';
import { ConfigurationError } from '../../../../shared/errors.js';
import { OptionsError } from '../../../../shared/options.js';
import { errorOf, rejectionOf } from '../../../support/outcomes.js';

describe('Shared: deliverSmsFromEnv', () => {
  it('reads every variable into options', () => {
    // Prepare
    const env = {
      SMS_ALLOWED_COUNTRIES: 'US, CA, +44',
      SMS_TYPE: 'Promotional',
      SMS_SENDER_ID: 'Example',
      SMS_ORIGINATION_NUMBER: '+14155550100',
      SMS_REGION: 'us-west-2',
    };

    // Act
    const options = deliverSmsFromEnv(env);

    // Assess
    expect(options).toEqual({
      allowedCountries: ['US', 'CA', '+44'],
      smsType: 'Promotional',
      senderId: 'Example',
      originationNumber: '+14155550100',
      region: 'us-west-2',
    });
  });

  it('sends Transactional SMS by default, with no sender ID or origination number', () => {
    // Prepare
    const env = { SMS_ALLOWED_COUNTRIES: 'GB', SMS_SENDER_ID: '', SMS_ORIGINATION_NUMBER: ' ' };

    // Act
    const options = deliverSmsFromEnv(env);

    // Assess
    expect(options).toEqual({ allowedCountries: ['GB'], smsType: 'Transactional' });
  });

  it('requires SMS_ALLOWED_COUNTRIES: no list is not "everywhere" (* says that)', () => {
    // Prepare
    const env = { SMS_TYPE: 'Transactional' };

    // Act
    const error = errorOf(ConfigurationError, () => deliverSmsFromEnv(env));

    // Assess
    expect(error.variable).toBe('SMS_ALLOWED_COUNTRIES');
  });

  it.each([
    ['SMS_ALLOWED_COUNTRIES', 'US,+4'],
    ['SMS_ALLOWED_COUNTRIES', 'US,YT'],
    ['SMS_TYPE', 'transactional-ish'],
    ['SMS_SENDER_ID', 'Example Co'],
    ['SMS_SENDER_ID', '123456'],
    ['SMS_SENDER_ID', 'ExampleCorpLtd'],
    ['SMS_SENDER_ID', '-Example'],
    ['SMS_ORIGINATION_NUMBER', '4155550199'],
    ['SMS_REGION', 'moon-1a'],
  ])('refuses a bad %s, naming the variable and not the value', (variable, value) => {
    // Prepare
    const env = { SMS_ALLOWED_COUNTRIES: 'US', [variable]: value };

    // Act
    const error = errorOf(ConfigurationError, () => deliverSmsFromEnv(env));

    // Assess
    expect(error.variable).toBe(variable);
    expect(error.message).not.toContain(value);
  });
});

describe('Shared: deliverSms options', () => {
  it.each([
    ['allowedCountries', { allowedCountries: [] }],
    ['smsType', { allowedCountries: ['US'], smsType: 'Cheap' as 'Promotional' }],
    ['senderId', { allowedCountries: ['US'], senderId: '' }],
    ['originationNumber', { allowedCountries: ['US'], originationNumber: '+0123' }],
  ])('refuses a bad %s at construction', (option, options) => {
    // Prepare
    const sns = vi.fn<SnsClientProvider>();

    // Act
    const error = errorOf(OptionsError, () => deliverSms(options, { sns }));

    // Assess
    expect(error.option).toBe(option);
  });

  it.each(['E', 'Example', 'Example-Co', 'A1234567890', '1st-Bank'])(
    'accepts the sender ID %s',
    (senderId) => {
      // Prepare
      const sns = vi.fn<SnsClientProvider>();

      // Act
      const send = deliverSms({ allowedCountries: ['US'], senderId }, { sns });

      // Assess
      expect(send).toBeTypeOf('function');
    },
  );
});

describe('Shared: deliverSms refusals before any call', () => {
  it.each([
    ['a number that is not E.164', { to: '0044 7700 900123', text: 'Code 123456' }, 'bad-phone-number'],
    ['a number outside the allow-list', { to: '+18765550123', text: 'Code 123456' }, 'country-not-allowed'],
    ['an empty text', { to: '+447700900123', text: ' ' }, 'invalid-message'],
    ['a text over 1,600 bytes', { to: '+447700900123', text: 'é'.repeat(801) }, 'invalid-message'],
  ])('refuses %s as a permanent %s', async (_label, message, reason) => {
    // Prepare
    const sns = vi.fn<SnsClientProvider>();
    const send = deliverSms({ allowedCountries: ['US', 'GB'] }, { sns });

    // Act
    const error = await rejectionOf(send(message, { deadline: Date.now() + 1000 }));

    // Assess
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ channel: 'sms', operation: 'Publish', reason, retryable: false });
    expect((error as Error).message).not.toMatch(/\d{4}/);
    expect(sns).not.toHaveBeenCalled();
  });

  it('refuses every number outside the allow-list before calling SNS (property)', async () => {
    // Prepare
    const sns = vi.fn<SnsClientProvider>();
    const send = deliverSms({ allowedCountries: ['GB', 'IE'] }, { sns });
    const elsewhere = fc
      .tuple(
        fc.integer({ min: 1, max: 9 }),
        fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 6, maxLength: 14 }),
      )
      .map(([first, rest]) => `+${first}${rest}`)
      .filter((phone) => !['GB', 'IE'].includes(regionOf(phone) ?? ''));

    // Act & Assess
    await fc.assert(
      fc.asyncProperty(elsewhere, async (to) => {
        const error = await rejectionOf(send({ to, text: 'Code 123456' }, { deadline: Date.now() + 1000 }));
        expect(error).toMatchObject({
          reason: 'country-not-allowed',
          maskedDestination: `***${to.slice(-2)}`,
        });
      }),
    );
    expect(sns).not.toHaveBeenCalled();
  });
});
