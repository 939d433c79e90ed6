import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  formatFailure,
  type LintFailure,
  lintConfigurations,
  lintInputCases,
  lintMessages,
} from '../../../scripts/lint-messages.js';
import type { CustomMessageTriggerSource } from '../../../shared/event-types.js';
import { customMessageSources } from '../../../shared/trigger-source.js';
import type {
  CompiledMessage,
  MessageCatalogue,
} from '../../../triggers/custom-message/message-catalogue.js';
import type { TemplatePart } from '../../../triggers/custom-message/render-template.js';
import { compileTemplate } from '../../../triggers/custom-message/template-syntax.js';
import { compiledCatalogue, shippedLocales } from '../../../triggers/custom-message/templates/compiled.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const typical = lintConfigurations.filter((configuration) => configuration.name === 'typical');
const longValues = lintConfigurations.filter((configuration) => configuration.name === 'long values');

/** The shipped catalogue with one field of one source in `en` replaced by `parts`. */
function catalogueWith(
  source: CustomMessageTriggerSource,
  field: keyof CompiledMessage,
  parts: readonly TemplatePart[],
): MessageCatalogue {
  const en = compiledCatalogue.locales.en;
  if (en === undefined) throw new TypeError('Test bug: the catalogue has no en');
  const message = { ...en.messages[source], [field]: parts };
  return {
    ...compiledCatalogue,
    locales: { ...compiledCatalogue.locales, en: { ...en, messages: { ...en.messages, [source]: message } } },
  };
}

describe('CLI: lint-messages', () => {
  it('finds no failure in the shipped templates, having checked every combination', () => {
    // Prepare
    // A configuration may narrow the linkParameter shapes it meets (a link-verifying pool always sends one).
    const linkShapes = lintConfigurations.reduce(
      (sum, { linkParameters }) => sum + (linkParameters?.length ?? 3),
      0,
    );
    const combinations =
      linkShapes * shippedLocales.length * customMessageSources.length * lintInputCases.length;

    // Act
    const report = lintMessages();

    // Assess
    expect(report).toEqual({ checked: combinations * 3, failed: 0, failures: [] });
  });

  it('fails an SMS template that a long name pushes past 140 characters, naming where and why', () => {
    // Prepare
    const longSms = compileTemplate(
      'test/sign-up.yaml#smsMessage',
      '{{appName}}: {{#given_name}}hello {{given_name}}, {{/given_name}}your verification code is {{code}}',
      { kind: 'message', source: 'CustomMessage_SignUp', field: 'smsMessage' },
    );
    const catalogue = catalogueWith('CustomMessage_SignUp', 'smsMessage', longSms);

    // Act
    const report = lintMessages({ catalogue, configurations: longValues });

    // Assess
    expect(report.failures).toContainEqual({
      locale: 'en',
      source: 'CustomMessage_SignUp',
      field: 'smsMessage',
      configuration: 'long values',
      inputCase: 'max-length ASCII',
      linkParameter: 'present',
      rule: 'too-long',
      description: 'smsMessage has 170 characters, more than 140',
    });
  });

  it('fails only the field whose template breaks a rule', () => {
    // Prepare
    const longSms = compileTemplate(
      'test/sign-up.yaml#smsMessage',
      '{{appName}}: {{#given_name}}hello {{given_name}}, {{/given_name}}your verification code is {{code}}',
      { kind: 'message', source: 'CustomMessage_SignUp', field: 'smsMessage' },
    );
    const catalogue = catalogueWith('CustomMessage_SignUp', 'smsMessage', longSms);

    // Act
    const { failures } = lintMessages({ catalogue, configurations: longValues });

    // Assess
    const where = new Set(failures.map((failure) => `${failure.locale} ${failure.source} ${failure.field}`));
    expect([...where]).toEqual(['en CustomMessage_SignUp smsMessage']);
  });

  it('fails an email body with a character Cognito refuses', () => {
    // Prepare
    const catalogue = catalogueWith('CustomMessage_ForgotPassword', 'emailMessage', [
      '<p>Your code:\u00A0',
      { v: 'code' },
      '</p>',
    ]);

    // Act
    const { failures } = lintMessages({ catalogue, configurations: typical });

    // Assess
    expect(
      failures.map((failure) => [failure.source, failure.field, failure.rule, failure.description]),
    ).toContainEqual([
      'CustomMessage_ForgotPassword',
      'emailMessage',
      'invalid-character',
      'emailMessage contains U+00A0, outside the characters Cognito allows',
    ]);
  });

  it('fails an invitation SMS without the temporary password placeholder', () => {
    // Prepare
    const catalogue = catalogueWith('CustomMessage_AdminCreateUser', 'smsMessage', [
      'Welcome, your user name is ',
      { v: 'username' },
    ]);

    // Act
    const { failures } = lintMessages({ catalogue, configurations: typical });

    // Assess
    expect(failures.map((failure) => [failure.source, failure.rule, failure.description])).toContainEqual([
      'CustomMessage_AdminCreateUser',
      'missing-placeholder',
      'smsMessage does not contain the placeholder {####}',
    ]);
  });

  it('fails a template that needs a value the event does not carry', () => {
    // Prepare
    const catalogue = catalogueWith('CustomMessage_Authentication', 'smsMessage', [
      'Sign in at ',
      { v: 'link' },
      ' with ',
      { v: 'code' },
    ]);

    // Act
    const { failures } = lintMessages({ catalogue, configurations: typical });

    // Assess
    expect(failures.map((failure) => [failure.source, failure.rule, failure.description])).toContainEqual([
      'CustomMessage_Authentication',
      'missing-value',
      'smsMessage needs {{link}}, which the event or configuration did not provide',
    ]);
  });

  it('counts each unusable field once, however many rules it breaks', () => {
    // Prepare
    const catalogue = catalogueWith('CustomMessage_SignUp', 'smsMessage', ['\u00A0'.repeat(141)]);

    // Act
    const report = lintMessages({
      catalogue,
      configurations: typical,
      inputCases: lintInputCases.slice(0, 1),
    });

    // Assess
    expect({ failed: report.failed, rules: report.failures.map((failure) => failure.rule) }).toEqual({
      failed: 3,
      rules: [
        'too-long',
        'missing-placeholder',
        'too-long',
        'missing-placeholder',
        'too-long',
        'missing-placeholder',
      ],
    });
  });

  it('formats a failure naming the locale, source, field, configuration, input case and rule', () => {
    // Prepare
    const failure: LintFailure = {
      locale: 'fr',
      source: 'CustomMessage_SignUp',
      field: 'smsMessage',
      configuration: 'long values',
      inputCase: 'emoji',
      linkParameter: 'null',
      rule: 'too-long',
      description: 'smsMessage has 150 characters, more than 140',
    };

    // Act
    const line = formatFailure(failure);

    // Assess
    expect(line).toBe(
      'fr CustomMessage_SignUp smsMessage [long values / emoji / linkParameter null]: too-long: smsMessage has 150 characters, more than 140',
    );
  });

  it('exits 0 from the command line and ends with the counts, linting the configured APP_NAME too', () => {
    // Prepare
    const perLinkShape = shippedLocales.length * customMessageSources.length * lintInputCases.length * 3;
    // The environment's configuration meets all three linkParameter shapes.
    const linkShapes = lintConfigurations.reduce(
      (sum, { linkParameters }) => sum + (linkParameters?.length ?? 3),
      3,
    );
    const env = {
      ...process.env,
      APP_NAME: 'Configured App',
      CONFIRM_URL: 'https://app.example.com/confirm',
    };

    // Act
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/lint-messages.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
      env,
      timeout: 60_000,
    });

    // Assess
    expect({ status: run.status, last: run.stdout.trim().split('\n').at(-1), stderr: run.stderr }).toEqual({
      status: 0,
      last: `${perLinkShape * linkShapes} checked, 0 failed`,
      stderr: '',
    });
  });
});
