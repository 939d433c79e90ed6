/**
 * Rule 3 of pre sign-up: no throwaway inboxes. The list is npm `disposable-email-domains-js` (CC0-1.0), the
 * community-curated disposable-email-domains/disposable-email-domains blocklist republished on every change;
 * esbuild bundles it, so nothing is read from disk at run time.
 */
import { disposableEmailBlocklist } from 'disposable-email-domains-js';
import { type Env, readBoolean, readList } from '../../../shared/config.js';
import {
  domainEntriesOf,
  domainMatches,
  domainOfAddress,
  domainReadingsOf,
  normalizeDomain,
} from '../../../shared/email.js';
import { SignUpRejection } from '../../../shared/errors.js';
import type { PreSignUpEvent } from '../../../shared/event-types.js';
import type { RuleOutcome } from '../../../shared/handler-core.js';
import { OptionsError } from '../../../shared/options.js';
import { declareSettings, SettingValue } from '../../../shared/settings.js';
import { emailOf } from '../email-attribute.js';
import { isSelfServiceSource } from '../self-service-sources.js';

/** The email's domain, or one of its parent domains, is a known throwaway inbox provider. */
export class EmailDisposableError extends SignUpRejection {
  /** The email's normalised domain. */
  public readonly domain: string;
  /** The list entry that matched: the domain itself or a parent of it. */
  public readonly listed: string;

  public constructor(domain: string, listed: string, options?: ErrorOptions) {
    super('EMAIL_DISPOSABLE', options);
    this.name = 'EmailDisposableError';
    this.domain = domain;
    this.listed = listed;
  }
}

/** Options of {@link blockDisposableEmails}. */
export type BlockDisposableEmailsOptions = {
  /** Entries exempted from the list: `example.com` (exactly) or `*.example.com` (sub-domains). */
  allow?: readonly string[];
  /**
   * The throwaway domains. Default: the bundled list, taken as it is (a unit test proves it is already in
   * shared/email.ts's normal form); domains given here are normalised, at a cost of about 1.5 µs each.
   */
  domains?: Iterable<string>;
};

const defaults = {
  allow: [] as readonly string[],
  domains: undefined as Iterable<string> | undefined,
};

function domainSetOf(domains: Iterable<string> | undefined): ReadonlySet<string> {
  // The bundled array becomes a Set once, at cold start: about 3 ms for ~9,000 domains (README, bench).
  if (domains === undefined) return new Set(disposableEmailBlocklist());
  const expected = 'an iterable of domain names such as example.com';
  if (typeof domains !== 'object' || domains === null || !(Symbol.iterator in domains)) {
    throw new OptionsError('domains', expected);
  }
  const set = new Set<string>();
  for (const domain of domains) {
    const normalized = typeof domain === 'string' ? normalizeDomain(domain) : undefined;
    // The list can hold thousands: the entry is not named, so a bad one is found by its content.
    if (normalized === undefined) throw new OptionsError('domains', expected);
    set.add(normalized);
  }
  return set;
}

/** The first of `domain` and its parent domains that is in `listed` (`a.b.example` -> `b.example` -> `example`). */
function listedAncestorOf(domain: string, listed: ReadonlySet<string>): string | undefined {
  let candidate = domain;
  for (;;) {
    if (listed.has(candidate)) return candidate;
    const dot = candidate.indexOf('.');
    if (dot === -1) return undefined;
    candidate = candidate.slice(dot + 1);
  }
}

/**
 * Refuses an email whose domain, or any parent domain of it, is on the throwaway list (`EMAIL_DISPOSABLE`):
 * `x.mailinator.com` is as disposable as `mailinator.com`. `allow` entries are exempted. Applies to
 * `SignUp` and `ExternalProvider`; `AdminCreateUser` is skipped. A missing email, or one without a
 * readable domain, passes: requireValidAttributes judges those.
 *
 * @example
 * const rule = blockDisposableEmails({ allow: ['partner-inbox.example'] });
 */
export function blockDisposableEmails(
  options: BlockDisposableEmailsOptions = {},
): (event: PreSignUpEvent) => RuleOutcome {
  const settings = { ...defaults, ...options };
  const allow = domainEntriesOf(settings.allow, 'allow');
  const listed = domainSetOf(settings.domains);

  return function blockDisposableEmails(event: PreSignUpEvent): RuleOutcome {
    if (!isSelfServiceSource(event)) return 'skipped';
    const email = emailOf(event);
    const domain = email === undefined ? undefined : domainOfAddress(email);
    if (domain === undefined) return 'pass';
    // Every reading of the domain (`ß` reads as `ss` to older mail software) must be allowed or unlisted.
    for (const reading of domainReadingsOf(domain)) {
      if (allow.some((entry) => domainMatches(reading, entry))) continue;
      const match = listedAncestorOf(reading, listed);
      if (match !== undefined) throw new EmailDisposableError(reading, match);
    }
    return 'pass';
  };
}

/**
 * Options of {@link blockDisposableEmails} from the environment, or `undefined` (rule off) unless
 * `BLOCK_DISPOSABLE_EMAILS=true`. `DISPOSABLE_EMAIL_ALLOW`: comma-separated entries exempted from the list,
 * read as written (the factory checks and normalises them).
 * @throws ConfigurationError naming `BLOCK_DISPOSABLE_EMAILS` when it is not `true` / `false`.
 */
export function blockDisposableEmailsFromEnv(
  env: Env,
): Pick<BlockDisposableEmailsOptions, 'allow'> | undefined {
  if (!readBoolean(env, 'BLOCK_DISPOSABLE_EMAILS', false)) return undefined;
  return { allow: readList(env, 'DISPOSABLE_EMAIL_ALLOW') };
}

/** What {@link blockDisposableEmails} reads (shared/settings.ts). */
export const blockDisposableEmailsSettings = declareSettings({
  owner: 'blockDisposableEmails',
  variables: [
    { name: 'BLOCK_DISPOSABLE_EMAILS', value: SettingValue.BlocksDisposableEmails },
    { name: 'DISPOSABLE_EMAIL_ALLOW', option: 'allow', value: SettingValue.EmailDomains },
  ],
});
