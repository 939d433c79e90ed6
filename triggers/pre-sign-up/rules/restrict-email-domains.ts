/**
 * Rule 2 of pre sign-up: an allow-list and a block-list of email domains, compared in shared/email.ts's
 * normal form (case-insensitive, trailing dot ignored, IDN and punycode as one).
 */
import { type Env, readList } from '../../../shared/config.js';
import { domainEntriesOf, domainMatches, domainOfAddress, domainReadingsOf } from '../../../shared/email.js';
import { SignUpRejection } from '../../../shared/errors.js';
import type { PreSignUpEvent } from '../../../shared/event-types.js';
import type { RuleOutcome } from '../../../shared/handler-core.js';
import { declareSettings, SettingValue } from '../../../shared/settings.js';
import { emailOf } from '../email-attribute.js';
import { isSelfServiceSource } from '../self-service-sources.js';

/** The email's domain is not on `ALLOWED_EMAIL_DOMAINS`. */
export class EmailDomainNotAllowedError extends SignUpRejection {
  /** The normalised domain, or `undefined` when the address has no readable domain. */
  public readonly domain: string | undefined;

  public constructor(domain: string | undefined, options?: ErrorOptions) {
    // Same sentence as EmailDomainBlockedError on purpose (shared/rejection-codes.ts): the user learns nothing.
    super('EMAIL_DOMAIN_NOT_ALLOWED', options);
    this.name = 'EmailDomainNotAllowedError';
    this.domain = domain;
  }
}

/** The email's domain matches an entry of `BLOCKED_EMAIL_DOMAINS`. */
export class EmailDomainBlockedError extends SignUpRejection {
  /** The normalised domain. */
  public readonly domain: string;
  /** The (normalised) entry that matched. */
  public readonly entry: string;

  public constructor(domain: string, entry: string, options?: ErrorOptions) {
    super('EMAIL_DOMAIN_BLOCKED', options);
    this.name = 'EmailDomainBlockedError';
    this.domain = domain;
    this.entry = entry;
  }
}

/** Options of {@link restrictEmailDomains}. Entries: `example.com` (exactly) or `*.example.com` (sub-domains). */
export type RestrictEmailDomainsOptions = {
  /** Only these domains may sign up. Empty (the default): no allow-list. */
  allowed?: readonly string[];
  /** These domains may not sign up; wins over `allowed`. */
  blocked?: readonly string[];
};

/** What {@link restrictEmailDomains} reads: two lists of domain entries. */
export const restrictEmailDomainsSettings = declareSettings({
  owner: 'restrictEmailDomains',
  variables: [
    { name: 'ALLOWED_EMAIL_DOMAINS', option: 'allowed', value: SettingValue.EmailDomains },
    { name: 'BLOCKED_EMAIL_DOMAINS', option: 'blocked', value: SettingValue.EmailDomains },
  ],
});

const defaults = {
  allowed: [] as readonly string[],
  blocked: [] as readonly string[],
};

/**
 * Refuses an email domain on the block-list (`EMAIL_DOMAIN_BLOCKED`) or, when an allow-list is set, off it
 * (`EMAIL_DOMAIN_NOT_ALLOWED`). Applies to `SignUp` and `ExternalProvider`; `AdminCreateUser` is skipped
 * (an administrator decided). A missing email passes: requiring one is requireValidAttributes' business.
 * An address without a readable domain passes the block-list and fails the allow-list.
 *
 * @example
 * const rule = restrictEmailDomains({ allowed: ['example.com', '*.example.com'], blocked: ['old.example.com'] });
 */
export function restrictEmailDomains(
  options: RestrictEmailDomainsOptions = {},
): (event: PreSignUpEvent) => RuleOutcome {
  const settings = { ...defaults, ...options };
  const allowed = domainEntriesOf(settings.allowed, 'allowed');
  const blocked = domainEntriesOf(settings.blocked, 'blocked');

  return function restrictEmailDomains(event: PreSignUpEvent): RuleOutcome {
    if (!isSelfServiceSource(event)) return 'skipped';
    const email = emailOf(event);
    // No email: the attributes rule decides for SignUp; but a federated sign-in need not map one, and an
    // allow-list that let it through would admit anyone whose identity provider keeps the address back.
    if (email === undefined) {
      if (allowed.length > 0) throw new EmailDomainNotAllowedError(undefined);
      return 'pass';
    }
    const domain = domainOfAddress(email);
    // Blocked if any reading of the domain is (`ß` reads as `ss` to older mail software), allowed only if all are.
    const readings = domain === undefined ? [] : domainReadingsOf(domain);
    for (const reading of readings) {
      const entry = blocked.find((candidate) => domainMatches(reading, candidate));
      if (entry !== undefined) throw new EmailDomainBlockedError(reading, entry);
    }
    if (
      allowed.length > 0 &&
      (domain === undefined ||
        !readings.every((reading) => allowed.some((entry) => domainMatches(reading, entry))))
    ) {
      throw new EmailDomainNotAllowedError(domain);
    }
    return 'pass';
  };
}

/**
 * Options of {@link restrictEmailDomains} from `ALLOWED_EMAIL_DOMAINS` and `BLOCKED_EMAIL_DOMAINS`
 * (comma-separated entries, checked by the factory), or `undefined` when both are empty: the rule is off.
 */
export function restrictEmailDomainsFromEnv(env: Env): Required<RestrictEmailDomainsOptions> | undefined {
  const allowed = readList(env, 'ALLOWED_EMAIL_DOMAINS');
  const blocked = readList(env, 'BLOCKED_EMAIL_DOMAINS');
  return allowed.length === 0 && blocked.length === 0 ? undefined : { allowed, blocked };
}
