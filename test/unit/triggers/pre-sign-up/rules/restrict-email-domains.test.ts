import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { domainMatches, domainOfAddress, normalizeDomainEntry } from '../../../../../shared/email.js';
import { ConfigurationError, SignUpRejection } from '../../../../../shared/errors.js';
import type { StringMap } from '../../../../../shared/event-types.js';
import { OptionsError, optionalRule } from '../../../../../shared/options.js';
import { preSignUpSources } from '../../../../../shared/trigger-source.js';
import {
  EmailDomainBlockedError,
  EmailDomainNotAllowedError,
  restrictEmailDomains,
  restrictEmailDomainsFromEnv,
  restrictEmailDomainsSettings,
} from '../../../../../triggers/pre-sign-up/rules/restrict-email-domains.js';
import { hostileEmail } from '../../../../support/arbitraries.js';
import { preSignUpEventWith } from '../../../../support/builders.js';
import { errorOf, outcomeOf } from '../../../../support/outcomes.js';

const sentence = 'Sign-up with this email domain is not allowed.';

describe('Rule: restrictEmailDomains (sources)', () => {
  it('is named restrictEmailDomains, the name logs and SHADOW_RULES use', () => {
    // Prepare
    const rule = restrictEmailDomains({ blocked: ['example.org'] });

    // Act
    const name = rule.name;

    // Assess
    expect(name).toBe('restrictEmailDomains');
  });

  it('skips AdminCreateUser: an administrator decided', () => {
    // Prepare
    const rule = restrictEmailDomains({ blocked: ['example.org'] });
    const event = preSignUpEventWith({ email: 'alice@example.org' }, 'PreSignUp_AdminCreateUser');

    // Act
    const outcome = rule(event);

    // Assess
    expect(outcome).toBe('skipped');
  });

  it.each(['PreSignUp_SignUp', 'PreSignUp_ExternalProvider'] as const)('applies to %s', (source) => {
    // Prepare
    const rule = restrictEmailDomains({ blocked: ['example.org'] });
    const event = preSignUpEventWith({ email: 'alice@example.org' }, source);

    // Act
    const error = errorOf(EmailDomainBlockedError, () => rule(event));

    // Assess
    expect(error.code).toBe('EMAIL_DOMAIN_BLOCKED');
  });

  it.each([
    ['absent', {}],
    ['empty', { email: '' }],
  ])(
    'passes when the email is %s and only a block-list is set: requiring one is rule 1',
    (_label, attributes) => {
      // Prepare
      const rule = restrictEmailDomains({ blocked: ['example.org'] });
      const event = preSignUpEventWith(attributes);

      // Act
      const outcome = rule(event);

      // Assess
      expect(outcome).toBe('pass');
    },
  );

  it.each(['PreSignUp_SignUp', 'PreSignUp_ExternalProvider'] as const)(
    'refuses %s without an email when an allow-list is set: no address, no allowed domain',
    (source) => {
      // Prepare
      const rule = restrictEmailDomains({ allowed: ['example.com'] });
      const event = preSignUpEventWith({ given_name: 'Sam' }, source);

      // Act
      const error = errorOf(EmailDomainNotAllowedError, () => rule(event));

      // Assess
      expect(error.domain).toBeUndefined();
    },
  );

  it('reads only an own email attribute, never an inherited one', () => {
    // Prepare
    const rule = restrictEmailDomains({ blocked: ['example.org'] });
    const inherited = Object.create({ email: 'alice@example.org' }) as StringMap;

    // Act
    const outcome = rule(preSignUpEventWith(inherited));

    // Assess
    expect(outcome).toBe('pass');
  });

  it('passes every email when both lists are empty', () => {
    // Prepare
    const rule = restrictEmailDomains({});
    const event = preSignUpEventWith({ email: 'alice@anything.example' });

    // Act
    const outcome = rule(event);

    // Assess
    expect(outcome).toBe('pass');
  });
});

describe('Rule: restrictEmailDomains (blocked)', () => {
  it('rejects a blocked domain with the fixed sentence, keeping domain and entry for logs', () => {
    // Prepare
    const rule = restrictEmailDomains({ blocked: ['Example.ORG.'] });
    const event = preSignUpEventWith({ email: 'alice@example.org' });

    // Act
    const error = errorOf(EmailDomainBlockedError, () => rule(event));

    // Assess
    expect(error.message).toBe(`EMAIL_DOMAIN_BLOCKED: ${sentence}`);
    expect(error).toMatchObject({ domain: 'example.org', entry: 'example.org' });
  });

  it.each([
    ['upper case', 'alice@EXAMPLE.Org'],
    ['a trailing dot', 'alice@example.org.'],
  ])('matches regardless of %s', (_label, email) => {
    // Prepare
    const rule = restrictEmailDomains({ blocked: ['example.org'] });
    const event = preSignUpEventWith({ email });

    // Act
    const error = errorOf(EmailDomainBlockedError, () => rule(event));

    // Assess
    expect(error.domain).toBe('example.org');
  });

  it.each([
    ['a Unicode entry blocks the punycode address', 'bücher.example', 'jane@xn--bcher-kva.example'],
    ['a punycode entry blocks the Unicode address', 'xn--bcher-kva.example', 'jane@Bücher.example'],
  ])('treats IDN and punycode as one: %s', (_label, entry, email) => {
    // Prepare
    const rule = restrictEmailDomains({ blocked: [entry] });
    const event = preSignUpEventWith({ email });

    // Act
    const error = errorOf(EmailDomainBlockedError, () => rule(event));

    // Assess
    expect(error.domain).toBe('xn--bcher-kva.example');
  });

  it('blocks a domain with ß whose older reading (ss, IDNA2003) is blocked', () => {
    // Prepare
    const rule = restrictEmailDomains({ blocked: ['strasse.example'] });
    const event = preSignUpEventWith({ email: 'alice@straße.example' });

    // Act
    const error = errorOf(SignUpRejection, () => rule(event));

    // Assess
    expect(error.code).toBe('EMAIL_DOMAIN_BLOCKED');
  });

  it('does not block a sub-domain with an exact entry', () => {
    // Prepare
    const rule = restrictEmailDomains({ blocked: ['example.org'] });
    const event = preSignUpEventWith({ email: 'alice@mail.example.org' });

    // Act
    const outcome = rule(event);

    // Assess
    expect(outcome).toBe('pass');
  });

  it.each(['alice@mail.example.org', 'alice@a.b.example.org'])('blocks %s with a *. entry', (email) => {
    // Prepare
    const rule = restrictEmailDomains({ blocked: ['*.example.org'] });
    const event = preSignUpEventWith({ email });

    // Act
    const error = errorOf(EmailDomainBlockedError, () => rule(event));

    // Assess
    expect(error.entry).toBe('*.example.org');
  });

  it.each([
    ['the apex', 'alice@example.org'],
    ['a domain that merely ends the same', 'alice@badexample.org'],
  ])('does not block %s with a *. entry', (_label, email) => {
    // Prepare
    const rule = restrictEmailDomains({ blocked: ['*.example.org'] });
    const event = preSignUpEventWith({ email });

    // Act
    const outcome = rule(event);

    // Assess
    expect(outcome).toBe('pass');
  });

  it('judges an address with a quoted local part by the domain after its last @', () => {
    // Prepare
    const rule = restrictEmailDomains({ blocked: ['example.org'] });
    const event = preSignUpEventWith({ email: '"alice smith"@example.org' });

    // Act
    const error = errorOf(EmailDomainBlockedError, () => rule(event));

    // Assess
    expect(error.domain).toBe('example.org');
  });

  it('passes an address without a readable domain when only a block-list is set', () => {
    // Prepare
    const rule = restrictEmailDomains({ blocked: ['example.org'] });
    const event = preSignUpEventWith({ email: 'not an address' });

    // Act
    const outcome = rule(event);

    // Assess
    expect(outcome).toBe('pass');
  });
});

describe('Rule: restrictEmailDomains (allowed)', () => {
  it('passes an allowed domain', () => {
    // Prepare
    const rule = restrictEmailDomains({ allowed: ['example.com'] });
    const event = preSignUpEventWith({ email: 'alice@Example.com' });

    // Act
    const outcome = rule(event);

    // Assess
    expect(outcome).toBe('pass');
  });

  it('rejects a domain off the allow-list with the same sentence as a blocked one', () => {
    // Prepare
    const rule = restrictEmailDomains({ allowed: ['example.com'] });
    const event = preSignUpEventWith({ email: 'alice@example.net' });

    // Act
    const error = errorOf(EmailDomainNotAllowedError, () => rule(event));

    // Assess
    expect(error.message).toBe(`EMAIL_DOMAIN_NOT_ALLOWED: ${sentence}`);
    expect(error.domain).toBe('example.net');
  });

  it('rejects a sub-domain unless a *. entry allows it', () => {
    // Prepare
    const rule = restrictEmailDomains({ allowed: ['example.com'] });
    const event = preSignUpEventWith({ email: 'alice@eu.example.com' });

    // Act
    const error = errorOf(EmailDomainNotAllowedError, () => rule(event));

    // Assess
    expect(error.domain).toBe('eu.example.com');
  });

  it('passes a sub-domain a *. entry allows', () => {
    // Prepare
    const rule = restrictEmailDomains({ allowed: ['example.com', '*.example.com'] });
    const event = preSignUpEventWith({ email: 'alice@eu.example.com' });

    // Act
    const outcome = rule(event);

    // Assess
    expect(outcome).toBe('pass');
  });

  it.each([
    [['xn--strae-oqa.example'], 'rejects'],
    [['straße.example', 'strasse.example'], 'passes'],
  ])('allows a domain with ß only if every reading is allowed: %j %s it', (allowed, verdict) => {
    // Prepare
    const rule = restrictEmailDomains({ allowed });
    const event = preSignUpEventWith({ email: 'alice@straße.example' });

    // Act
    const outcome = outcomeOf(() => rule(event));

    // Assess
    expect(outcome instanceof SignUpRejection ? outcome.code : outcome).toBe(
      verdict === 'passes' ? 'pass' : 'EMAIL_DOMAIN_NOT_ALLOWED',
    );
  });

  it('lets the block-list win over the allow-list', () => {
    // Prepare
    const rule = restrictEmailDomains({ allowed: ['*.example.com'], blocked: ['old.example.com'] });
    const event = preSignUpEventWith({ email: 'alice@old.example.com' });

    // Act
    const error = errorOf(EmailDomainBlockedError, () => rule(event));

    // Assess
    expect(error.code).toBe('EMAIL_DOMAIN_BLOCKED');
  });

  it('fails closed on an address without a readable domain when an allow-list is set', () => {
    // Prepare
    const rule = restrictEmailDomains({ allowed: ['example.com'] });
    const event = preSignUpEventWith({ email: 'alice@example.com@' });

    // Act
    const error = errorOf(EmailDomainNotAllowedError, () => rule(event));

    // Assess
    expect(error.domain).toBeUndefined();
  });
});

describe('Rule: restrictEmailDomains (options checked at construction)', () => {
  it.each([
    ['allowed that is not an array', { allowed: 'example.com' }, 'allowed'],
    ['a blocked entry that is not a domain', { blocked: ['example.org', 'not a domain'] }, 'blocked'],
    ['a blocked entry that is not a string', { blocked: [42] }, 'blocked'],
    ['a wildcard in the middle', { allowed: ['a.*.example.com'] }, 'allowed'],
    ['an address instead of a domain', { allowed: ['alice@example.com'] }, 'allowed'],
  ])('throws an OptionsError naming the option for %s', (_label, options, named) => {
    // Prepare
    const build = () => restrictEmailDomains(options as never);

    // Act
    const error = errorOf(OptionsError, build);

    // Assess
    expect(error.option).toBe(named);
  });
});

describe('Rule: restrictEmailDomainsFromEnv', () => {
  it.each([
    ['unset', {}],
    ['empty', { ALLOWED_EMAIL_DOMAINS: '', BLOCKED_EMAIL_DOMAINS: ' , ' }],
  ])('turns the rule off when both lists are %s', (_label, env) => {
    // Prepare (nothing beyond the environment)

    // Act
    const options = restrictEmailDomainsFromEnv(env);

    // Assess
    expect(options).toBeUndefined();
  });

  it('reads both lists as written (the factory normalises them)', () => {
    // Prepare
    const env = {
      ALLOWED_EMAIL_DOMAINS: 'Example.COM., *.Bücher.example',
      BLOCKED_EMAIL_DOMAINS: 'old.example.com',
    };

    // Act
    const options = restrictEmailDomainsFromEnv(env);

    // Assess
    expect(options).toEqual({
      allowed: ['Example.COM.', '*.Bücher.example'],
      blocked: ['old.example.com'],
    });
  });

  it('turns the rule on with a block-list alone', () => {
    // Prepare
    const env = { BLOCKED_EMAIL_DOMAINS: 'example.org' };

    // Act
    const options = restrictEmailDomainsFromEnv(env);

    // Assess
    expect(options).toEqual({ allowed: [], blocked: ['example.org'] });
  });

  it.each([
    ['ALLOWED_EMAIL_DOMAINS', { ALLOWED_EMAIL_DOMAINS: 'example.com,exa mple.com' }],
    ['BLOCKED_EMAIL_DOMAINS', { BLOCKED_EMAIL_DOMAINS: '*example.org' }],
  ])('names %s for a bad entry, through the settings declaration', (variable, env) => {
    // Prepare
    const configure = () =>
      optionalRule(restrictEmailDomainsSettings, restrictEmailDomainsFromEnv(env), restrictEmailDomains);

    // Act
    const error = errorOf(ConfigurationError, configure);

    // Assess
    expect(error.variable).toBe(variable);
  });
});

describe('Rule: restrictEmailDomains (property)', () => {
  const allowed = ['example.com', '*.example.com'];
  const blocked = ['old.example.com', 'example.org', '*.example.net'];
  const listedDomain = fc.constantFrom(
    'example.com',
    'old.example.com',
    'example.org',
    'example.net',
    'a.example.net',
  );
  const domain = fc.oneof(
    listedDomain,
    fc.domain(),
    listedDomain.map((d) => `x.${d}`),
  );
  const email = hostileEmail(domain);
  const source = fc.constantFrom(...preSignUpSources);

  it('passes, skips or throws one of its two rejections, and never touches the response', () => {
    // Prepare
    const rule = restrictEmailDomains({ allowed, blocked });

    // Act
    const property = fc.property(email, source, (address, triggerSource) => {
      const event = preSignUpEventWith({ email: address }, triggerSource);
      const outcome = outcomeOf(() => rule(event));
      const untouched = Object.values(event.response).every((flag) => flag === false);
      const rejected =
        (outcome instanceof EmailDomainBlockedError || outcome instanceof EmailDomainNotAllowedError) &&
        outcome instanceof SignUpRejection &&
        outcome.sentence === sentence;
      return untouched && (rejected || outcome === 'pass' || outcome === 'skipped');
    });

    // Assess
    expect(() => fc.assert(property, { numRuns: 1000 })).not.toThrow();
  });

  it('lets a SignUp through only with an allowed, unblocked domain', () => {
    // Prepare
    const rule = restrictEmailDomains({ allowed, blocked });
    const entries = (list: string[]) => list.map((entry) => normalizeDomainEntry(entry) ?? '');

    // Act
    const property = fc.property(email, (address) => {
      try {
        rule(preSignUpEventWith({ email: address }));
      } catch {
        return true;
      }
      const matched = domainOfAddress(address);
      return (
        matched !== undefined &&
        entries(allowed).some((entry) => domainMatches(matched, entry)) &&
        !entries(blocked).some((entry) => domainMatches(matched, entry))
      );
    });

    // Assess
    expect(() => fc.assert(property, { numRuns: 1000 })).not.toThrow();
  });
});
