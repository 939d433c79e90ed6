import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../../../../shared/errors.js';
import { configureFrom } from '../../../../../shared/options.js';
import type { MessageCatalogue } from '../../../../../triggers/custom-message/message-catalogue.js';
import {
  renderMessages,
  renderMessagesFromEnv,
  renderMessagesSettings,
} from '../../../../../triggers/custom-message/rules/render-messages.js';
import { compiledCatalogue } from '../../../../../triggers/custom-message/templates/compiled.js';
import { customMessageEvent, ruleContext } from '../../../../support/builders.js';
import { spyLogger } from '../../../../support/logger-spies.js';
import { errorOf } from '../../../../support/outcomes.js';

const options = { appName: 'Example', confirmUrl: 'https://app.example.com/confirm' };

describe('Rule: renderMessages', () => {
  it('is named renderMessages, the name logs use', () => {
    // Prepare
    const built = renderMessages(options);

    // Act
    const name = built.name;

    // Assess
    expect(name).toBe('renderMessages');
  });

  it('puts the three rendered fields on the response and says it changed it', async () => {
    // Prepare
    const event = customMessageEvent();

    // Act
    const outcome = await renderMessages({ ...options, logger: spyLogger() })(event, ruleContext());

    // Assess
    expect(outcome).toBe('changed');
    expect(event.response.smsMessage).toContain(event.request.codeParameter);
    expect(event.response.emailMessage).toContain(event.request.codeParameter);
    expect(typeof event.response.emailSubject).toBe('string');
  });

  it('leaves every field null, logged, when rendering fails unexpectedly (contract §3: never fail the call)', async () => {
    // Prepare: a catalogue whose messages cannot be read at render time.
    const broken = {
      ...compiledCatalogue,
      locales: Object.fromEntries(
        Object.entries(compiledCatalogue.locales).map(([tag, locale]) => [
          tag,
          {
            ...locale,
            get messages(): never {
              throw new Error('broken catalogue');
            },
          },
        ]),
      ),
    } as MessageCatalogue;
    const logger = spyLogger();
    const event = customMessageEvent();

    // Act
    const outcome = await renderMessages({ ...options, catalogue: broken, logger })(event, ruleContext());

    // Assess
    expect(outcome).toBe('pass');
    expect(event.response).toEqual({ smsMessage: null, emailMessage: null, emailSubject: null });
    expect(logger.error).toHaveBeenCalledWith(
      'custom message failed: Cognito sends its default messages',
      // A foreign error: its name and stack frames only (shared/log-error.ts), never its message.
      expect.objectContaining({ error: expect.objectContaining({ name: 'Error' }) }),
    );
    expect(JSON.stringify(logger.error.mock.calls)).not.toContain('"message"');
    expect(logger.error).toHaveBeenCalledWith(
      'custom message failed: Cognito sends its default messages',
      expect.anything(),
    );
  });
});

describe('Rule: renderMessagesFromEnv', () => {
  it.each([
    ['DEVELOPER', ['emailSubject', 'emailMessage', 'smsMessage']],
    ['COGNITO_DEFAULT', ['smsMessage']],
  ])('writes only the fields a %s pool accepts (contract §3 item 4)', (account, fields) => {
    // Prepare
    const env = { APP_NAME: 'Example', EMAIL_SENDING_ACCOUNT: account };

    // Act
    const read = renderMessagesFromEnv(env);

    // Assess
    expect(read.fields).toEqual(fields);
  });

  it('refuses an unknown EMAIL_SENDING_ACCOUNT', () => {
    // Prepare
    const env = { APP_NAME: 'Example', EMAIL_SENDING_ACCOUNT: 'SES' };

    // Act
    const read = () => renderMessagesFromEnv(env);

    // Assess
    expect(read).toThrow(expect.objectContaining({ variable: 'EMAIL_SENDING_ACCOUNT' }));
  });

  it.each([
    ['APP_NAME', { APP_NAME: '' }],
    ['APP_NAME', { APP_NAME: 'Shop {####}' }],
    ['SUPPORT_EMAIL', { SUPPORT_EMAIL: 'help{username}@example.com' }],
    ['DEFAULT_LOCALE', { DEFAULT_LOCALE: 'xx' }],
    ['CONFIRM_URL', { CONFIRM_URL: 'http://app.example.com/confirm' }],
    ['ALLOWED_REDIRECT_ORIGINS', { ALLOWED_REDIRECT_ORIGINS: 'https://app.example.com/path' }],
    ['EMAIL_VERIFICATION_OPTION', { EMAIL_VERIFICATION_OPTION: 'CONFIRM_WITH_SMS' }],
  ])('names %s for a bad value, through the settings declaration', (variable, env) => {
    // Prepare
    const environment = { APP_NAME: 'Example', CONFIRM_URL: 'https://app.example.com/confirm', ...env };
    const configure = () =>
      configureFrom(renderMessagesSettings, () => renderMessages(renderMessagesFromEnv(environment)));

    // Act
    const error = errorOf(ConfigurationError, configure);

    // Assess
    expect(error.variable).toBe(variable);
  });
});
