import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CustomMessageEvent, CustomMessageTriggerSource } from '../../../../shared/event-types.js';
import { checkMessageField, type MessageField } from '../../../../shared/message-rules.js';
import { OptionsError } from '../../../../shared/options.js';
import { customMessageSources } from '../../../../shared/trigger-source.js';
import {
  composeMessages,
  composeMessagesOptionsFromEnv,
} from '../../../../triggers/custom-message/compose-message.js';
import { compileTemplate } from '../../../../triggers/custom-message/template-syntax.js';
import { compiledCatalogue, shippedLocales } from '../../../../triggers/custom-message/templates/compiled.js';
import { hostileText, mapKey, stringMap, valueLimit } from '../../../support/arbitraries.js';
import { customMessageEvent } from '../../../support/builders.js';
import { errorOf } from '../../../support/outcomes.js';

const options = {
  appName: 'Example App',
  supportEmail: 'help@example.com',
  confirmUrl: 'https://app.example.com/confirm',
  allowedRedirectOrigins: ['https://app.example.com'],
};
const composeMessage = composeMessages(options);
const fields: readonly MessageField[] = ['emailSubject', 'emailMessage', 'smsMessage'];

function eventFor(
  source: CustomMessageTriggerSource,
  overrides: Partial<CustomMessageEvent['request']> = {},
) {
  const admin = source === 'CustomMessage_AdminCreateUser';
  return customMessageEvent({
    triggerSource: source,
    request: { usernameParameter: admin ? '{username}' : null, ...overrides },
  });
}

function inputOf(event: CustomMessageEvent) {
  return { ...event.request, triggerSource: event.triggerSource };
}

describe('Trigger: custom-message composeMessage (every source and locale)', () => {
  const cases = customMessageSources.flatMap((source) =>
    shippedLocales.map((locale) => [source, locale] as const),
  );

  it.each(cases)('fills all three fields for %s in %s, each passing Cognito rules', (source, locale) => {
    // Prepare
    const event = eventFor(source, { clientMetadata: { locale } });

    // Act
    const { response, notes, locale: chosen } = composeMessage(event);

    // Assess
    expect({ chosen, notes }).toEqual({ chosen: locale, notes: [] });
    for (const field of fields) {
      expect(response[field]).not.toBeNull();
      expect(checkMessageField(field, response[field] ?? null, inputOf(event))).toEqual([]);
    }
  });

  it('writes lang and dir on the email for the negotiated locale', () => {
    // Prepare
    const event = eventFor('CustomMessage_SignUp', { clientMetadata: { locale: 'pt-br' } });

    // Act
    const { response } = composeMessage(event);

    // Assess
    expect(response.emailMessage).toContain('<html lang="pt-BR" dir="ltr">');
  });

  it('puts the verification link in the SignUp email', () => {
    // Prepare
    const event = eventFor('CustomMessage_SignUp');

    // Act
    const { response } = composeMessage(event);

    // Assess
    expect(response.emailMessage).toContain(
      `href="https://app.example.com/confirm?username=${event.userName}&client_id=${event.callerContext.clientId}&code={####}"`,
    );
  });

  it('leaves the link out, keeping the code, when CONFIRM_URL is unset', () => {
    // Prepare
    const compose = composeMessages({ appName: 'Example App' });

    // Act
    const { response } = compose(eventFor('CustomMessage_SignUp'));

    // Assess
    expect({
      link: response.emailMessage?.includes('href='),
      code: response.emailMessage?.includes('{####}'),
    }).toEqual({
      link: false,
      code: true,
    });
  });

  it('notes a dropped redirect without logging its value', () => {
    // Prepare
    const event = eventFor('CustomMessage_ForgotPassword', {
      clientMetadata: { redirectUri: 'https://evil.example.net/phish' },
    });

    // Act
    const { notes, response } = composeMessage(event);

    // Assess
    expect({ notes, leaked: response.emailMessage?.includes('evil') }).toEqual({
      notes: [{ kind: 'redirect-dropped', reason: 'origin-not-allowed' }],
      leaked: false,
    });
  });

  it('returns the invitation fields null, with the reason, when usernameParameter is null', () => {
    // Prepare
    const event = eventFor('CustomMessage_AdminCreateUser', { usernameParameter: null });

    // Act
    const { response, notes } = composeMessage(event);

    // Assess
    expect({ response, notes }).toEqual({
      response: { emailSubject: expect.any(String), emailMessage: null, smsMessage: null },
      notes: [
        {
          kind: 'field-dropped',
          field: 'emailMessage',
          problems: [{ rule: 'missing-value', variable: 'username' }],
        },
        {
          kind: 'field-dropped',
          field: 'smsMessage',
          problems: [{ rule: 'missing-value', variable: 'username' }],
        },
      ],
    });
  });

  it('returns an SMS made too long by oversized attributes as null (the pool default) with the breach', () => {
    // Prepare
    const sms = compileTemplate('test#smsMessage', '{{given_name}} {{family_name}} {{nickname}}: {{code}}', {
      kind: 'message',
      source: 'CustomMessage_SignUp',
      field: 'smsMessage',
    });
    const en = compiledCatalogue.locales.en;
    if (en === undefined) throw new Error('Test: en is shipped');
    const signUp = { ...en.messages.CustomMessage_SignUp, smsMessage: sms };
    const catalogue = {
      ...compiledCatalogue,
      locales: { en: { ...en, messages: { ...en.messages, CustomMessage_SignUp: signUp } } },
    };
    const compose = composeMessages({ ...options, catalogue });
    const long = 'x'.repeat(valueLimit);
    const event = eventFor('CustomMessage_SignUp', {
      userAttributes: { given_name: long, family_name: long, nickname: long },
    });

    // Act
    const { response, notes } = compose(event);

    // Assess
    expect({ sms: response.smsMessage, notes }).toEqual({
      sms: null,
      notes: [
        {
          kind: 'field-dropped',
          field: 'smsMessage',
          problems: [{ rule: 'too-long', length: 202, max: 140 }],
        },
      ],
    });
  });

  it('writes only the configured fields: email fields need an SES pool', () => {
    // Prepare
    const compose = composeMessages({ ...options, fields: ['smsMessage'] });

    // Act
    const { response } = compose(eventFor('CustomMessage_Authentication'));

    // Assess
    expect({ ...response, smsMessage: typeof response.smsMessage }).toEqual({
      smsMessage: 'string',
      emailMessage: null,
      emailSubject: null,
    });
  });

  it('answers an unknown source with all three fields null', () => {
    // Prepare
    const event = eventFor('CustomMessage_SignUp');
    Object.assign(event, { triggerSource: 'CustomMessage_AccountTakeOverNotification' });

    // Act
    const { response, notes } = composeMessage(event);

    // Assess
    expect({ response, notes }).toEqual({
      response: { smsMessage: null, emailMessage: null, emailSubject: null },
      notes: [{ kind: 'unknown-source' }],
    });
  });
});

describe('Trigger: custom-message composeMessages (configuration)', () => {
  it.each([
    ['defaultLocale', { ...options, defaultLocale: 'de' }],
    ['appName', { ...options, appName: 'Example\u00a0App' }],
    ['appName', { ...options, appName: ' ' }],
    ['appName', { ...options, appName: '' }],
    ['appName', { ...options, appName: '🎉'.repeat(64) }],
    ['confirmUrl', { ...options, confirmUrl: 'http://app.example.com/confirm' }],
    ['allowedRedirectOrigins', { ...options, allowedRedirectOrigins: ['https://app.example.com/'] }],
    ['maxValueLength', { ...options, maxValueLength: 0 }],
    ['fields', { ...options, fields: ['emailBody' as MessageField] }],
  ])('refuses a bad %s at construction with an OptionsError', (option, bad) => {
    // Prepare
    const construct = () => composeMessages(bad);

    // Act
    const error = errorOf(OptionsError, construct);

    // Assess
    expect(error.option).toBe(option);
  });

  it('reads its options from the environment', () => {
    // Prepare
    const env = {
      APP_NAME: 'Example',
      DEFAULT_LOCALE: 'fr',
      CONFIRM_URL: 'https://app.example.com/c',
      ALLOWED_REDIRECT_ORIGINS: 'https://a.example.com, https://b.example.com',
      EMAIL_VERIFICATION_OPTION: 'CONFIRM_WITH_LINK',
    };

    // Act
    const read = composeMessagesOptionsFromEnv(env);

    // Assess
    expect(read).toEqual({
      appName: 'Example',
      supportEmail: '',
      defaultLocale: 'fr',
      confirmUrl: 'https://app.example.com/c',
      allowedRedirectOrigins: ['https://a.example.com', 'https://b.example.com'],
      emailOption: 'CONFIRM_WITH_LINK',
    });
  });

  it('reads an environment without APP_NAME as an empty name, which the factory refuses', () => {
    // Prepare
    const read = composeMessagesOptionsFromEnv({});

    // Act
    const error = errorOf(OptionsError, () => composeMessages(read));

    // Assess
    expect(read.appName).toBe('');
    expect(error.option).toBe('appName');
  });
});

describe('Trigger: custom-message composeMessage (properties)', () => {
  const attributeKey = mapKey(
    'given_name',
    'family_name',
    'name',
    'nickname',
    'preferred_username',
    'locale',
  );
  const metadataKey = mapKey('locale', 'redirectUri');
  const marker = fc.constantFrom(
    '<script>',
    '<img src=x onerror=alert(1)>',
    '"><a href="//evil.example.net">',
  );
  const hostile = fc.oneof(hostileText({ maxLength: valueLimit }), marker, fc.webUrl());

  it('never lets a user "<" into the HTML, never links off the allowed origins, and every field passes the rules', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...customMessageSources),
        stringMap(attributeKey, hostile),
        stringMap(metadataKey, hostile),
        (source, userAttributes, clientMetadata) => {
          // Prepare
          const event = eventFor(source, { userAttributes, clientMetadata });

          // Act
          const { response } = composeMessage(event);

          // Assess
          for (const field of fields) {
            expect(checkMessageField(field, response[field], inputOf(event))).toEqual([]);
          }
          const html = response.emailMessage ?? '';
          for (const value of Object.values(userAttributes)) {
            if (value.includes('<') && value.length > 1) expect(html).not.toContain(value);
          }
          expect(html).not.toMatch(/<(script|img)\b/i);
          for (const [, href] of html.matchAll(/href="([^"]*)"/g)) {
            const url = new URL(href ?? '');
            expect(url.origin).toBe('https://app.example.com');
            const redirect = url.searchParams.get('redirect_uri');
            if (redirect !== null) expect(new URL(redirect).origin).toBe('https://app.example.com');
          }
        },
      ),
    );
  });
});

describe('Trigger: custom-message composeMessages (pools that verify email by link)', () => {
  const linkCompose = composeMessages({ ...options, emailOption: 'CONFIRM_WITH_LINK' });
  const linkSources = ['CustomMessage_SignUp', 'CustomMessage_ResendCode'] as const;
  const cases = linkSources.flatMap((source) => shippedLocales.map((locale) => [source, locale] as const));

  it.each(cases)('puts Cognito link placeholder, not the code, in the %s email in %s', (source, locale) => {
    // Prepare
    const event = eventFor(source, { clientMetadata: { locale } });

    // Act
    const { response, notes } = linkCompose(event);

    // Assess: a link-mode email must carry {##…##} (contract §3 item 2, EmailVerificationMessageByLinkType)
    expect(notes).toEqual([]);
    expect(response.emailMessage).toContain('{##Click Here##}');
    expect(response.emailMessage).not.toContain('{####}');
    expect(response.smsMessage).toContain('{####}');
    for (const field of fields) {
      expect(checkMessageField(field, response[field] ?? null, inputOf(event), 'CONFIRM_WITH_LINK')).toEqual(
        [],
      );
    }
  });

  it('keeps the code email for the sources Cognito never sends a link for', () => {
    // Prepare
    const event = eventFor('CustomMessage_ForgotPassword');

    // Act
    const { response } = linkCompose(event);

    // Assess
    expect(response.emailMessage).toContain('{####}');
    expect(response.emailMessage).not.toContain('{##Click Here##}');
  });

  it.each([
    ['null', null],
    ['absent', undefined],
  ])('leaves the email to the pool when linkParameter is %s', (_case, linkParameter) => {
    // Prepare
    const event = eventFor('CustomMessage_SignUp');
    if (linkParameter === undefined) delete event.request.linkParameter;
    else event.request.linkParameter = linkParameter;

    // Act
    const { response, notes } = linkCompose(event);

    // Assess
    expect(response.emailMessage).toBeNull();
    expect(notes).toContainEqual({
      kind: 'field-dropped',
      field: 'emailMessage',
      problems: [{ rule: 'missing-value', variable: 'cognitoLink' }],
    });
  });

  it.each([
    ['appName', { appName: 'Shop {####}' }],
    ['supportEmail', { supportEmail: 'help\uFF5Busername\uFF5D@example.com' }],
    ['emailOption', { emailOption: 'CONFIRM_WITH_SMS' as never }],
  ])('refuses %s that Cognito would expand or cannot use, at cold start', (option, override) => {
    // Prepare
    const build = () => composeMessages({ ...options, ...override });

    // Act
    const error = errorOf(OptionsError, build);

    // Assess
    expect(error.option).toBe(option);
  });
});
