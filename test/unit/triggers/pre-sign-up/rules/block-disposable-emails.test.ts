import { disposableEmailBlocklist } from 'disposable-email-domains-js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeDomain } from '../../../../../shared/email.js';
import { ConfigurationError } from '../../../../../shared/errors.js';
import { OptionsError, optionalRule } from '../../../../../shared/options.js';
import { preSignUpSources } from '../../../../../shared/trigger-source.js';
import {
  blockDisposableEmails,
  blockDisposableEmailsFromEnv,
  blockDisposableEmailsSettings,
  EmailDisposableError,
} from '../../../../../triggers/pre-sign-up/rules/block-disposable-emails.js';
import {
  AttributeInvalidError,
  requireValidAttributes,
} from '../../../../../triggers/pre-sign-up/rules/require-valid-attributes.js';
import { hostileEmail } from '../../../../support/arbitraries.js';
import { preSignUpEventWith } from '../../../../support/builders.js';
import { errorOf, outcomeOf } from '../../../../support/outcomes.js';

const fixedMessage = 'EMAIL_DISPOSABLE: Disposable email addresses cannot be used to sign up.';

// Built once for the file: the bundled list is what a cold start builds.
const rule = blockDisposableEmails();

describe('Rule: blockDisposableEmails (the bundled list)', () => {
  it('holds thousands of domains, each already in shared/email.ts normal form and listed once', () => {
    // Prepare
    const list = disposableEmailBlocklist();

    // Act
    const notNormal = list.filter((domain) => normalizeDomain(domain) !== domain);

    // Assess
    expect(list.length).toBeGreaterThan(5000);
    expect(notNormal).toEqual([]);
    expect(new Set(list).size).toBe(list.length);
  });

  it.each(['mailinator.com', 'guerrillamail.com', 'yopmail.com'])('lists %s', (domain) => {
    // Prepare
    const event = preSignUpEventWith({ email: `alice@${domain}` });

    // Act
    const error = errorOf(EmailDisposableError, () => rule(event));

    // Assess
    expect(error.listed).toBe(domain);
  });

  it.each(['gmail.com', 'outlook.com', 'example.com'])('does not list %s', (domain) => {
    // Prepare
    const event = preSignUpEventWith({ email: `alice@${domain}` });

    // Act
    const outcome = rule(event);

    // Assess
    expect(outcome).toBe('pass');
  });
});

describe('Rule: blockDisposableEmails (matching)', () => {
  it('is named blockDisposableEmails, the name logs and SHADOW_RULES use', () => {
    // Prepare (the file's rule)

    // Act
    const name = rule.name;

    // Assess
    expect(name).toBe('blockDisposableEmails');
  });

  it('rejects a listed domain with the fixed sentence, keeping domain and list entry for logs', () => {
    // Prepare
    const event = preSignUpEventWith({ email: 'alice@mailinator.com' });

    // Act
    const error = errorOf(EmailDisposableError, () => rule(event));

    // Assess
    expect(error.message).toBe(fixedMessage);
    expect(error).toMatchObject({
      code: 'EMAIL_DISPOSABLE',
      domain: 'mailinator.com',
      listed: 'mailinator.com',
    });
  });

  it.each(['alice@inbox.mailinator.com', 'alice@a.b.c.mailinator.com'])(
    'rejects %s: a sub-domain of a throwaway domain is a throwaway too',
    (email) => {
      // Prepare
      const event = preSignUpEventWith({ email });

      // Act
      const error = errorOf(EmailDisposableError, () => rule(event));

      // Assess
      expect(error.listed).toBe('mailinator.com');
    },
  );

  it('does not take a domain that merely ends like a listed one for a sub-domain', () => {
    // Prepare
    const strict = blockDisposableEmails({ domains: ['throwaway.example'] });
    const event = preSignUpEventWith({ email: 'alice@notthrowaway.example' });

    // Act
    const outcome = strict(event);

    // Assess
    expect(outcome).toBe('pass');
  });

  it.each([
    ['upper case and a trailing dot', 'alice@MAILINATOR.Com.'],
    ['a quoted local part', '"alice smith"@mailinator.com'],
  ])('matches despite %s', (_label, email) => {
    // Prepare
    const event = preSignUpEventWith({ email });

    // Act
    const error = errorOf(EmailDisposableError, () => rule(event));

    // Assess
    expect(error.domain).toBe('mailinator.com');
  });

  it('matches a Unicode address against a punycode entry', () => {
    // Prepare
    const strict = blockDisposableEmails({ domains: ['xn--bcher-kva.example'] });
    const event = preSignUpEventWith({ email: 'jane@Bücher.example' });

    // Act
    const error = errorOf(EmailDisposableError, () => strict(event));

    // Assess
    expect(error.listed).toBe('xn--bcher-kva.example');
  });

  it('rejects a domain with ß whose older reading (ss, IDNA2003) is listed: some mail software sends there', () => {
    // Prepare
    const strict = blockDisposableEmails({ domains: ['abyssmail.com'] });
    const event = preSignUpEventWith({ email: 'jane@abyßmail.com' });

    // Act
    const error = errorOf(EmailDisposableError, () => strict(event));

    // Assess
    expect({ domain: error.domain, listed: error.listed }).toEqual({
      domain: 'abyssmail.com',
      listed: 'abyssmail.com',
    });
  });

  it('skips AdminCreateUser: an administrator decided', () => {
    // Prepare
    const event = preSignUpEventWith({ email: 'alice@mailinator.com' }, 'PreSignUp_AdminCreateUser');

    // Act
    const outcome = rule(event);

    // Assess
    expect(outcome).toBe('skipped');
  });

  it('applies to ExternalProvider', () => {
    // Prepare
    const event = preSignUpEventWith({ email: 'alice@mailinator.com' }, 'PreSignUp_ExternalProvider');

    // Act
    const error = errorOf(EmailDisposableError, () => rule(event));

    // Assess
    expect(error.code).toBe('EMAIL_DISPOSABLE');
  });

  it.each([
    ['absent', {}],
    ['empty', { email: '' }],
    ['without a readable domain', { email: 'alice@' }],
  ])('passes when the email is %s: requireValidAttributes judges that', (_label, attributes) => {
    // Prepare
    const event = preSignUpEventWith(attributes);

    // Act
    const outcome = rule(event);

    // Assess
    expect(outcome).toBe('pass');
  });

  it.each(['alice@xn--0.mailinator.com', 'alice@xn--a.0-mail.com'])(
    'leaves %s (a label that is not valid punycode) to requireValidAttributes, which refuses it',
    (email) => {
      // Prepare
      const event = preSignUpEventWith({ email });

      // Act
      const outcome = rule(event);
      const refused = errorOf(AttributeInvalidError, () => requireValidAttributes()(event));

      // Assess
      expect(outcome).toBe('pass');
      expect(refused.attribute).toBe('email');
    },
  );
});

describe('Rule: blockDisposableEmails (allow)', () => {
  it('exempts an allowed domain', () => {
    // Prepare
    const lenient = blockDisposableEmails({ allow: ['Mailinator.com.'] });
    const event = preSignUpEventWith({ email: 'alice@mailinator.com' });

    // Act
    const outcome = lenient(event);

    // Assess
    expect(outcome).toBe('pass');
  });

  it('does not exempt a sub-domain with an exact entry', () => {
    // Prepare
    const lenient = blockDisposableEmails({ allow: ['mailinator.com'] });
    const event = preSignUpEventWith({ email: 'alice@team.mailinator.com' });

    // Act
    const error = errorOf(EmailDisposableError, () => lenient(event));

    // Assess
    expect(error.domain).toBe('team.mailinator.com');
  });

  it('exempts sub-domains with a *. entry', () => {
    // Prepare
    const lenient = blockDisposableEmails({ allow: ['*.mailinator.com'] });
    const event = preSignUpEventWith({ email: 'alice@team.mailinator.com' });

    // Act
    const outcome = lenient(event);

    // Assess
    expect(outcome).toBe('pass');
  });
});

describe('Rule: blockDisposableEmails (options checked at construction)', () => {
  it('normalises the domains it is given', () => {
    // Prepare
    const strict = blockDisposableEmails({ domains: ['Throwaway.Example.'] });
    const event = preSignUpEventWith({ email: 'alice@throwaway.example' });

    // Act
    const error = errorOf(EmailDisposableError, () => strict(event));

    // Assess
    expect(error.listed).toBe('throwaway.example');
  });

  it('uses only the domains it is given', () => {
    // Prepare
    const strict = blockDisposableEmails({ domains: new Set(['throwaway.example']) });
    const event = preSignUpEventWith({ email: 'alice@mailinator.com' });

    // Act
    const outcome = strict(event);

    // Assess
    expect(outcome).toBe('pass');
  });

  it.each([
    ['an allow entry that is not a domain', { allow: ['not a domain'] }, 'allow'],
    ['allow that is not an array', { allow: 'example.com' }, 'allow'],
    ['a string as domains', { domains: 'mailinator.com' }, 'domains'],
    ['a domain that is not one', { domains: ['mailinator.com', 'localhost'] }, 'domains'],
  ])('throws an OptionsError naming the option for %s', (_label, options, named) => {
    // Prepare
    const build = () => blockDisposableEmails(options as never);

    // Act
    const error = errorOf(OptionsError, build);

    // Assess
    expect(error.option).toBe(named);
  });
});

describe('Rule: blockDisposableEmailsFromEnv', () => {
  it.each([
    ['unset', {}],
    ['false', { BLOCK_DISPOSABLE_EMAILS: 'false', DISPOSABLE_EMAIL_ALLOW: 'mailinator.com' }],
    // The allow-list is the factory's to check, and no factory runs while the rule is off.
    [
      'false, whatever DISPOSABLE_EMAIL_ALLOW holds',
      { BLOCK_DISPOSABLE_EMAILS: 'false', DISPOSABLE_EMAIL_ALLOW: '@' },
    ],
  ])('turns the rule off when BLOCK_DISPOSABLE_EMAILS is %s', (_label, env) => {
    // Prepare (nothing beyond the environment)

    // Act
    const options = blockDisposableEmailsFromEnv(env);

    // Assess
    expect(options).toBeUndefined();
  });

  it('turns the rule on with the allow entries as written (the factory normalises them)', () => {
    // Prepare
    const env = { BLOCK_DISPOSABLE_EMAILS: 'TRUE', DISPOSABLE_EMAIL_ALLOW: 'Mailinator.com, *.yopmail.com.' };

    // Act
    const options = blockDisposableEmailsFromEnv(env);

    // Assess
    expect(options).toEqual({ allow: ['Mailinator.com', '*.yopmail.com.'] });
  });

  it.each([
    ['BLOCK_DISPOSABLE_EMAILS', { BLOCK_DISPOSABLE_EMAILS: 'yes' }],
    [
      'DISPOSABLE_EMAIL_ALLOW',
      { BLOCK_DISPOSABLE_EMAILS: 'true', DISPOSABLE_EMAIL_ALLOW: 'example.com,@example.org' },
    ],
  ])('names %s for a bad value, through the settings declaration', (variable, env) => {
    // Prepare
    const configure = () =>
      optionalRule(blockDisposableEmailsSettings, blockDisposableEmailsFromEnv(env), blockDisposableEmails);

    // Act
    const error = errorOf(ConfigurationError, configure);

    // Assess
    expect(error.variable).toBe(variable);
  });
});

describe('Rule: blockDisposableEmails (property)', () => {
  const source = fc.constantFrom(...preSignUpSources);
  // Host-name labels: `xn--0` has the shape but is not valid punycode, so it is not a host name (tested above).
  const label = fc
    .stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/)
    .filter((candidate) => normalizeDomain(`${candidate}.example`) !== undefined);

  it('passes, skips or throws EmailDisposableError for any email, and never touches the response', () => {
    // Prepare
    const email = hostileEmail(fc.domain(), '@mailinator.com', '__proto__@mailinator.com');

    // Act
    const property = fc.property(email, source, (address, triggerSource) => {
      const event = preSignUpEventWith({ email: address }, triggerSource);
      const outcome = outcomeOf(() => rule(event));
      const untouched = Object.values(event.response).every((flag) => flag === false);
      if (outcome instanceof EmailDisposableError) return untouched && outcome.message === fixedMessage;
      return untouched && (outcome === 'pass' || outcome === 'skipped');
    });

    // Assess
    expect(() => fc.assert(property, { numRuns: 1000 })).not.toThrow();
  });

  it('rejects any sub-domain of a listed domain on SignUp', () => {
    // Prepare
    const listed = fc.constantFrom(...disposableEmailBlocklist());
    // Within the 254-character address limit: a longer one is not an address at all (rule 1's business).
    const subDomain = fc
      .tuple(fc.array(label, { maxLength: 3 }), listed)
      .filter(([labels, domain]) => `alice@${[...labels, domain].join('.')}`.length <= 254);

    // Act
    const property = fc.property(subDomain, ([labels, domain]) => {
      const full = [...labels, domain].join('.');
      try {
        rule(preSignUpEventWith({ email: `alice@${full}` }));
      } catch (error) {
        return error instanceof EmailDisposableError && error.domain === full;
      }
      return false;
    });

    // Assess
    expect(() => fc.assert(property, { numRuns: 500 })).not.toThrow();
  });
});
