/**
 * Sends one composed SMS through Amazon SNS `Publish` to a phone number, for a custom SMS sender. The number
 * is checked before any call: E.164, and its country on the allow-list (SMS pumping control: a number
 * outside it is a permanent `country-not-allowed`, and costs nothing). Failures come out as one
 * {@link DeliveryError} (delivery-error.ts).
 *
 * SNS is what moto (the tests' local AWS) supports. The follow-up is AWS End User Messaging SMS
 * (`pinpoint-sms-voice-v2` `SendTextMessage`), the API SNS's SMS now runs on: it adds per-message
 * configuration sets, `MaxPrice`, protect configurations (its own country rules) and a `DryRun`; the checks
 * here stay in front of it unchanged.
 *
 * @see https://docs.aws.amazon.com/sns/latest/dg/sms_publish-to-phone.html
 */
import type { MessageAttributeValue } from '@aws-sdk/client-sns';
import { isRegion } from '../aws-client.js';
import { type Env, readChoice, readList, readString } from '../config.js';
import { maskPhone } from '../mask.js';
import { configureFrom, OptionsError } from '../options.js';
import { declareSettings } from '../settings.js';
import { type DeliveryBounds, type DeliveryReceipt, deliveryCall } from './delivery-call.js';
import { DeliveryError, DeliveryFailure } from './delivery-error.js';
import { countryAllowList, isE164 } from './sms-countries.js';
import { defaultSnsClient, loadSnsSdk, type SnsClientProvider } from './sns-client.js';

/** SNS's SMS types: `Transactional` is routed for deliverability (codes), `Promotional` for cost. */
export const SmsType = { Transactional: 'Transactional', Promotional: 'Promotional' } as const;

/** One of {@link SmsType}. */
export type SmsType = (typeof SmsType)[keyof typeof SmsType];

/** Options of {@link deliverSms}. */
export type DeliverSmsOptions = {
  /**
   * Where an SMS may go: calling codes or longer prefixes (`+44`, `+1876`), ISO 3166-1 regions (`GB`, `US`),
   * or `*` alone for everywhere. Required: an empty list is a configuration error, not "no restriction".
   */
  allowedCountries: readonly string[];
  /** `AWS.SNS.SMS.SMSType`; default `Transactional`. */
  smsType?: SmsType;
  /** `AWS.SNS.SMS.SenderID`: 1-11 letters, digits or inner hyphens, one letter at least (where allowed). */
  senderId?: string;
  /** `AWS.MM.SMS.OriginationNumber`: an E.164 number of the account's that sends. */
  originationNumber?: string;
  /** The SNS Region; the function's own (`AWS_REGION`) when unset. */
  region?: string;
};

/** What {@link deliverSms} calls out to. */
export type DeliverSmsDependencies = { sns: SnsClientProvider };

/** One composed SMS. */
export type SmsMessage = {
  /** The destination, E.164 (Cognito's `phone_number` attribute is). */
  to: string;
  /** The text, code included. */
  text: string;
};

/** Sends one SMS; resolves with SNS's message id, or rejects with a {@link DeliveryError}. */
export type SmsDelivery = (message: SmsMessage, bounds: DeliveryBounds) => Promise<DeliveryReceipt>;

const defaults = { smsType: SmsType.Transactional };

// SNS: "1-11 alphanumeric or hyphen (-) characters, including at least one letter and no spaces", starting
// and ending with a letter or digit.
const SENDER_ID = /^(?=[^A-Za-z]*[A-Za-z])[A-Za-z0-9](?:[A-Za-z0-9-]{0,9}[A-Za-z0-9])?$/;
// SNS splits a long SMS into parts and refuses a message over 1,600 bytes.
const MAX_SMS_BYTES = 1600;

/** The options with their defaults, checked; the allow-list compiled. */
function checkedOptions(options: DeliverSmsOptions) {
  const settings = { ...defaults, ...options };
  const allowList = countryAllowList(settings.allowedCountries, 'allowedCountries');
  if (!Object.values(SmsType).includes(settings.smsType)) {
    throw new OptionsError('smsType', `"${SmsType.Transactional}" or "${SmsType.Promotional}"`);
  }
  if (settings.senderId !== undefined && !SENDER_ID.test(settings.senderId)) {
    throw new OptionsError('senderId', '1-11 letters, digits or inner hyphens, at least one letter');
  }
  if (settings.originationNumber !== undefined && !isE164(settings.originationNumber)) {
    throw new OptionsError('originationNumber', 'an E.164 phone number such as +14155550100');
  }
  if (settings.region !== undefined && !isRegion(settings.region)) {
    throw new OptionsError('region', 'an AWS Region such as us-east-1');
  }
  return { settings, allowList };
}

/**
 * A sender of one SMS through SNS `Publish`, options checked once (at cold start). Refuses, before any call,
 * a destination that is not E.164 (`bad-phone-number`), one outside the allow-list
 * (`country-not-allowed`) and an empty or over-long text (`invalid-message`), all permanent.
 * @throws OptionsError naming the option.
 *
 * @example
 * const send = deliverSms({ allowedCountries: ['US', 'CA', '+44'], senderId: 'Example' });
 * await send({ to: '+14155550123', text: 'Your code is 123456' }, { deadline: Date.now() + 10_000 });
 */
export function deliverSms(
  options: DeliverSmsOptions,
  dependencies: DeliverSmsDependencies = { sns: defaultSnsClient },
): SmsDelivery {
  const { settings, allowList } = checkedOptions(options);
  const { sns } = dependencies;
  if (typeof sns !== 'function') throw new OptionsError('dependencies.sns', 'a function');

  // Fixed per function: built once.
  const attributes: Record<string, MessageAttributeValue> = {
    'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: settings.smsType },
    ...(settings.senderId === undefined
      ? {}
      : { 'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: settings.senderId } }),
    ...(settings.originationNumber === undefined
      ? {}
      : { 'AWS.MM.SMS.OriginationNumber': { DataType: 'String', StringValue: settings.originationNumber } }),
  };

  return async function deliverSms(message, bounds) {
    const to: unknown = message.to;
    const maskedDestination = maskPhone(to);
    const target = { channel: 'sms', operation: 'Publish', maskedDestination } as const;
    if (!isE164(to)) throw new DeliveryError({ ...target, reason: DeliveryFailure.BadPhoneNumber });
    if (!allowList.allows(to))
      throw new DeliveryError({ ...target, reason: DeliveryFailure.CountryNotAllowed });
    const text: unknown = message.text;
    if (typeof text !== 'string' || text.trim() === '' || Buffer.byteLength(text, 'utf8') > MAX_SMS_BYTES) {
      throw new DeliveryError({ ...target, reason: DeliveryFailure.InvalidMessage });
    }

    const answer = await deliveryCall(target, bounds, async (signal) => {
      const [client, { PublishCommand }] = await Promise.all([sns(settings.region), loadSnsSdk()]);
      return client.send(
        new PublishCommand({ PhoneNumber: to, Message: text, MessageAttributes: attributes }),
        { abortSignal: signal },
      );
    });
    return { messageId: answer.MessageId };
  };
}

/**
 * The options from `SMS_ALLOWED_COUNTRIES` (required: comma-separated calling codes, regions, or `*`),
 * `SMS_TYPE` (`Transactional` or `Promotional`, default `Transactional`), `SMS_SENDER_ID`,
 * `SMS_ORIGINATION_NUMBER` and `SMS_REGION`, checked at once: a bad value throws a `ConfigurationError`
 * naming its variable.
 */
export function deliverSmsFromEnv(env: Env): DeliverSmsOptions {
  const senderId = readString(env, 'SMS_SENDER_ID', '');
  const originationNumber = readString(env, 'SMS_ORIGINATION_NUMBER', '');
  const region = readString(env, 'SMS_REGION', '');
  const options: DeliverSmsOptions = {
    allowedCountries: readList(env, 'SMS_ALLOWED_COUNTRIES'),
    smsType: readChoice(env, 'SMS_TYPE', Object.values(SmsType), defaults.smsType),
    ...(senderId === '' ? {} : { senderId }),
    ...(originationNumber === '' ? {} : { originationNumber }),
    ...(region === '' ? {} : { region }),
  };
  // The factory's checks, reported by the variable each option came from.
  configureFrom(deliverSmsSettings, () => checkedOptions(options));
  return options;
}

/** What {@link deliverSms} reads (shared/settings.ts). */
export const deliverSmsSettings = declareSettings({
  owner: 'deliverSms',
  variables: [
    { name: 'SMS_ALLOWED_COUNTRIES', option: 'allowedCountries' },
    { name: 'SMS_TYPE', option: 'smsType' },
    { name: 'SMS_SENDER_ID', option: 'senderId' },
    { name: 'SMS_ORIGINATION_NUMBER', option: 'originationNumber' },
    { name: 'SMS_REGION', option: 'region' },
  ],
});
