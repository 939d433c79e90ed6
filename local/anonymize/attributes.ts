/**
 * The user attribute faker: names and other profile attributes get fixed fake values (`Test User N`,
 * `GivenN`, …), email, phone and `sub` their own fakers; values that say nothing about the person (a
 * verified flag, a user status, a locale, a configured value) are kept; a fake matches its
 * `ATTRIBUTE_PATTERNS` entry exactly when the real value did.
 */
import type { ValueRegistry } from './registry.js';
import { fitted, formatPreserving, isBooleanText, isLocaleTag, safeKeyOf } from './shape.js';

const USER_STATUSES = new Set([
  'UNCONFIRMED',
  'CONFIRMED',
  'ARCHIVED',
  'COMPROMISED',
  'UNKNOWN',
  'RESET_REQUIRED',
  'FORCE_CHANGE_PASSWORD',
  'EXTERNAL_PROVIDER',
]);

/** Attribute values that say nothing about the person: kept when they look like what the name says. */
const KEPT_ATTRIBUTES: Readonly<Record<string, (value: string) => boolean>> = {
  email_verified: isBooleanText,
  phone_number_verified: isBooleanText,
  'cognito:user_status': (value) => USER_STATUSES.has(value),
  'cognito:mfa_enabled': isBooleanText,
  locale: isLocaleTag,
};

const PROFILE_FAKES: Readonly<Record<string, (n: number) => string>> = {
  name: (n) => `Test User ${n}`,
  given_name: (n) => `Given${n}`,
  family_name: (n) => `Family${n}`,
  middle_name: (n) => `Middle${n}`,
  nickname: (n) => `nick${n}`,
  preferred_username: (n) => `user-${n}`,
  address: (n) => `${n} Example Street, Anytown`,
  birthdate: (n) => `${String(1969 + n).padStart(4, '0')}-01-01`,
  picture: (n) => `https://example.com/pictures/${n}.png`,
  profile: (n) => `https://example.com/profiles/${n}`,
  website: (n) => `https://example.com/sites/${n}`,
};

/**
 * `ATTRIBUTE_PATTERNS` as the rule applies them (the whole value must match), checked once.
 * @throws TypeError naming an entry that is not a RegExp.
 */
export function anchoredPatterns(patterns: Readonly<Record<string, RegExp>>): ReadonlyMap<string, RegExp> {
  return new Map(
    Object.entries(patterns).map(([name, pattern]) => {
      if (!(pattern instanceof RegExp)) throw new TypeError(`attributePatterns.${name} must be a RegExp`);
      return [name, new RegExp(`^(?:${pattern.source})$`, pattern.flags.replace(/[gy]/g, ''))] as const;
    }),
  );
}

/** What {@link attributeFaker} needs. */
export type AttributeFakerDependencies = {
  registry: ValueRegistry;
  fakeEmail: (real: string) => string;
  fakePhone: (real: string) => string;
  fakeId: (real: string) => string;
  /** {@link anchoredPatterns} of the run's `ATTRIBUTE_PATTERNS`. */
  patterns: ReadonlyMap<string, RegExp>;
  /** Values the run's configuration holds: kept. */
  configured: ReadonlySet<string>;
};

/**
 * The user attribute faker of one anonymizer: `(name, value)` to the value's fake.
 *
 * @example
 * const fakeAttribute = attributeFaker({ registry, fakeEmail, fakePhone, fakeId, patterns, configured });
 * fakeAttribute('given_name', 'Maria'); // 'Given1'
 */
export function attributeFaker(
  dependencies: AttributeFakerDependencies,
): (name: string, value: string) => string {
  const { registry, fakeEmail, fakePhone, fakeId, patterns, configured } = dependencies;
  const { stable, remember } = registry;

  /** A fake for attribute `name` that its configured pattern judges as it judged the real value. */
  function patternFaithful(name: string, real: string, fake: string, n: number): string {
    const pattern = patterns.get(name);
    if (pattern === undefined) return fake;
    const wanted = pattern.test(real);
    const candidates = [fake, formatPreserving(real, n), fitted(`fake${n}`, real), String(n)];
    return candidates.find((candidate) => candidate !== real && pattern.test(candidate) === wanted) ?? fake;
  }

  return function fakeAttribute(name: string, value: string): string {
    // Blank is as absent to the rules, and says nothing.
    if (value.trim() === '') return value;
    if (Object.hasOwn(KEPT_ATTRIBUTES, name) && KEPT_ATTRIBUTES[name]?.(value) === true) return value;
    if (name === 'email' || name === 'cognito:email_alias') return fakeEmail(value);
    if (name === 'phone_number' || name === 'cognito:phone_number_alias') return fakePhone(value);
    if (name === 'sub') return fakeId(value);
    const profile = Object.hasOwn(PROFILE_FAKES, name) ? PROFILE_FAKES[name] : undefined;
    if (profile === undefined && (isBooleanText(value) || configured.has(value))) return value;
    const make = profile ?? ((n: number) => `fake-${safeKeyOf(name)}-${n}`);
    return remember(
      value,
      stable(`attribute:${name}`, value, (n) => patternFaithful(name, value, fitted(make(n), value), n)),
    );
  };
}
