/**
 * Replaces the personal data in recorded trigger events (and in what the triggers answered) by stable fake
 * values, so a recording can be committed as a fixture and still replays to the same outcome. What a value
 * becomes depends on what the triggers decide on:
 * - an email gets the local part `userN`; its domain is kept only when a configured domain rule (blocked,
 *   allowed, auto-confirm, disposable exemptions) or, with `BLOCK_DISPOSABLE_EMAILS`, the throwaway list
 *   decides on it, and otherwise becomes `example.com`, `example.org`, … (distinct domains stay distinct);
 * - a `sub` or user name gets a fixed-pattern UUID, a phone number a 555 number, names and other profile
 *   attributes fixed fake values, the pool id `<region>_EXAMPLE`, the app client id a fixed fake id;
 * - a ClientMetadata or ValidationData value becomes `fake-<key>-N`, except the few values the triggers'
 *   outcome needs that carry nothing personal: a captcha token, a locale tag, a redirect on an allowed
 *   origin (its query and fragment faked), `true`/`false`, and values the run's configuration itself holds
 *   (a group, a plan); a signed invite is minted again for the fake address with the recording's fake
 *   secret, valid if it was valid (until 2099), expired if it was expired, forged if it was forged;
 * - a fake keeps what the rules check about the real value: malformed stays malformed (an email, a phone
 *   number, an invite, a token, a locale), a control character stays, a long value keeps its length, a
 *   value matching (or not matching) its `ATTRIBUTE_PATTERNS` entry still does (or does not).
 * Free text (the rendered messages of an outcome, a kept redirect) has the real values replaced wherever
 * they occur, as typed, URL-encoded, form-encoded or HTML-escaped. The same real value always gets the same
 * fake value within one anonymizer, and two different real values never get the same one.
 */
import { disposableEmailBlocklist } from 'disposable-email-domains-js';
import { domainEntriesOf, domainMatches, normalizeEmail } from '../shared/email.js';
import { createInvite, INVITE_TOKEN_ALPHABET, InviteLimits, verifyInvite } from '../shared/invite.js';
import { isObject } from '../shared/parse-event.js';
// The trigger's own escaping: a rendered message holds names exactly as it escaped them.
import { escapeHtml } from '../triggers/custom-message/sanitize-value.js';

/** Options of {@link createAnonymizer}. */
export type AnonymizerOptions = {
  /** The invite secrets of the run (`INVITE_SECRET`), current first: they tell a valid invite from a forged one. */
  inviteSecrets?: readonly string[];
  /** The secret valid (and expired) invites are signed with again: the recording's fake `INVITE_SECRET`. */
  resignSecret?: string;
  /** The time invites are checked at (the recording time). */
  now?: () => Date;
  /** The run's domain rule entries (`example.com`, `*.example.com`): an email domain they match is kept. */
  domainRules?: readonly string[];
  /** Keep the domains on the bundled throwaway list (when `BLOCK_DISPOSABLE_EMAILS` decides on them). */
  keepDisposableDomains?: boolean;
  /** `ALLOWED_REDIRECT_ORIGINS`: a ClientMetadata `redirectUri` on one of them keeps its origin and path. */
  allowedRedirectOrigins?: readonly string[];
  /** `ATTRIBUTE_PATTERNS` (unanchored, as configured): a fake matches its pattern exactly when the real value did. */
  attributePatterns?: Readonly<Record<string, RegExp>>;
  /** Values the run's configuration holds (list items such as group or plan names): not personal, kept. */
  configurationValues?: Iterable<string>;
  /** Identity provider names (`Google`, `TRUSTED_EMAIL_PROVIDERS`): kept as the prefix of a federated user name. */
  identityProviders?: readonly string[];
};

/** Replaces personal data; stable across calls. */
export type Anonymizer = {
  /** The event with its personal data replaced (a copy). */
  event<T>(event: T): T;
  /** Any JSON value (an outcome) with every real value seen so far replaced (a copy). */
  value<T>(value: T): T;
};

/** The fake secret recorded invites are signed with unless another is given. */
export const RECORDED_INVITE_SECRET = 'recorded-fake-invite-secret-not-for-production-0001';

const defaults = {
  inviteSecrets: [] as readonly string[],
  resignSecret: RECORDED_INVITE_SECRET,
  now: (): Date => new Date(),
  domainRules: [] as readonly string[],
  keepDisposableDomains: false,
  allowedRedirectOrigins: [] as readonly string[],
  attributePatterns: {} as Readonly<Record<string, RegExp>>,
  configurationValues: [] as Iterable<string>,
  identityProviders: [] as readonly string[],
};

// Signs invites that were forged: they stay forged (the recording's secret does not match).
const FORGER_SECRET = 'recorded-forged-invite-secret-not-for-production-01';
// 2099-12-31T23:59:59Z: a recorded valid invite stays valid for replays.
const FAR_FUTURE = 4_102_444_799;
const INVITE_SHAPE = /^v1\.([A-Za-z0-9_-]{1,1000})\.([A-Za-z0-9_-]{43})$/;
// What the captcha rule accepts as a token (triggers/pre-sign-up/rules/verify-captcha.ts), ValidationData-sized.
const CAPTCHA_TOKEN = /^[A-Za-z0-9_.~+/=:*-]*$/;
const VALIDATION_DATA_VALUE_MAX = 2048;
// A BCP 47 tag's shape as custom message reads ClientMetadata `locale` (negotiate-locale.ts).
const LOCALE_TAG = /^[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*$/;
const LOCALE_MAX_LENGTH = 35;
// What verification-link.ts reads and keeps of a redirect.
const REDIRECT_MAX_LENGTH = 2048;
const REDIRECT_HREF_MAX_LENGTH = 1024;
const E164 = /^\+[1-9]\d{1,14}$/;
// What the attribute and metadata rules refuse as a control character (the wider set of the two).
const CONTROL = /[\p{Cc}\p{Cs}\u202A-\u202E\u2066-\u2069]/u;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d$/;
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
const BUILT_IN_PROVIDERS = ['Google', 'Facebook', 'LoginWithAmazon', 'SignInWithApple'];
// The admin operations' client id (contract §1): a constant, not an id.
const NO_CLIENT = 'CLIENT_ID_NOT_APPLICABLE';
// Fake domains in order of use; past these, `mailN.example` (RFC 2606).
const FAKE_DOMAINS = ['example.com', 'example.org', 'example.net'];
// Replacing a one-character value in free text would do more harm than good.
const MIN_REPLACED_LENGTH = 2;
// Values up to this length keep their fake's own length: no bound the triggers check is that short.
const PADDED_FROM = 32;
// How many fakes a maker may offer before a numbered suffix settles a clash.
const MAX_TRIES = 1000;

/** Attribute values that say nothing about the person: kept when they look like what the name says. */
const KEPT_ATTRIBUTES: Readonly<Record<string, (value: string) => boolean>> = {
  email_verified: isBooleanText,
  phone_number_verified: isBooleanText,
  'cognito:user_status': (value) => USER_STATUSES.has(value),
  'cognito:mfa_enabled': isBooleanText,
  locale: (value) => value.length <= LOCALE_MAX_LENGTH && LOCALE_TAG.test(value),
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

function isBooleanText(value: string): boolean {
  return value === 'true' || value === 'false';
}

/** A map rebuilt entry by entry: `Object.fromEntries` defines own properties, so `__proto__` stays a key. */
function mapValues(
  map: Record<string, unknown>,
  change: (key: string, value: string) => string,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(map).map(([key, value]) => [key, typeof value === 'string' ? change(key, value) : value]),
  );
}

/**
 * `text` as custom message puts a user value into a message (triggers/custom-message/sanitize-value.ts):
 * spaces made plain and collapsed, characters Cognito refuses removed.
 */
function messageText(text: string): string {
  return text
    .replace(/[\p{Z}\t\n\v\f\r\u0085]/gu, ' ')
    .replace(/[^\p{L}\p{M}\p{S}\p{N}\p{P} ]/gu, '')
    .replace(/ {2,}/g, ' ')
    .trim();
}

function formEncode(text: string): string {
  return new URLSearchParams([['v', text]]).toString().slice(2);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `text` as a pattern that does not match inside a longer word or number ("Al" is not in "Also"). */
function wholeWordPattern(text: string): RegExp {
  const before = /^[\p{L}\p{N}]/u.test(text) ? '(?<![\\p{L}\\p{N}])' : '';
  const after = /[\p{L}\p{N}]$/u.test(text) ? '(?![\\p{L}\\p{N}])' : '';
  return new RegExp(`${before}${escapeRegExp(text)}${after}`, 'gu');
}

function uuidFor(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

/** A key as part of a fake value: letters, digits, `_` and `-` only. */
function safeKeyOf(key: string): string {
  const safe = key.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 32);
  return /[A-Za-z0-9]/.test(safe) ? safe : 'value';
}

/**
 * `fake` made to look like `real` to the rules: a control character of the real value is kept (one), and a
 * long real value keeps its length (padded with `x`), so a length bound decides the same.
 */
function fitted(fake: string, real: string): string {
  const control = CONTROL.exec(real)?.[0] ?? '';
  const padding = real.length > PADDED_FROM ? Math.max(0, real.length - fake.length - control.length) : 0;
  return `${fake}${'x'.repeat(padding)}${control}`;
}

/** Each ASCII letter and digit shifted (never onto itself), other letters and digits to `x`/`X`/`0`. */
function formatPreserving(real: string, n: number): string {
  const letterShift = (n % 25) + 1;
  const digitShift = (n % 9) + 1;
  const shift = (code: number, base: number, size: number, by: number) =>
    String.fromCharCode(base + ((code - base + by) % size));
  return Array.from(real)
    .map((char) => {
      const code = char.charCodeAt(0);
      if (char >= 'a' && char <= 'z') return shift(code, 97, 26, letterShift);
      if (char >= 'A' && char <= 'Z') return shift(code, 65, 26, letterShift);
      if (char >= '0' && char <= '9') return shift(code, 48, 10, digitShift);
      if (/\p{Ll}/u.test(char)) return 'x';
      if (/\p{L}/u.test(char)) return 'X';
      if (/\p{N}/u.test(char)) return '0';
      return char;
    })
    .join('');
}

type InvitePayload = { email: string; exp: number; iat: number; claims?: Record<string, unknown> };

function invitePayloadOf(token: string): InvitePayload | undefined {
  const part = INVITE_SHAPE.exec(token)?.[1];
  if (part === undefined) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as InvitePayload;
    return isObject(payload) &&
      typeof payload.email === 'string' &&
      Number.isSafeInteger(payload.exp) &&
      Number.isSafeInteger(payload.iat)
      ? payload
      : undefined;
  } catch {
    return undefined;
  }
}

/** The origin of an allowed-origin entry as verification-link.ts compares it, or `undefined`. */
function originOf(entry: string): string | undefined {
  const url = URL.canParse(entry) ? new URL(entry) : undefined;
  return url === undefined || url.origin === 'null' ? undefined : url.origin;
}

let disposableDomains: ReadonlySet<string> | undefined;

/** Whether `domain` (normalised) or a parent of it is on the bundled throwaway list. */
function isDisposable(domain: string): boolean {
  disposableDomains ??= new Set(disposableEmailBlocklist());
  for (let candidate = domain; ; ) {
    if (disposableDomains.has(candidate)) return true;
    const dot = candidate.indexOf('.');
    if (dot === -1) return false;
    candidate = candidate.slice(dot + 1);
  }
}

/**
 * A new anonymizer; one per recording, so fake values stay stable across its events.
 *
 * @example
 * const anonymize = createAnonymizer({ inviteSecrets: [liveSecret], domainRules: ['blocked.example'] });
 * const fixture = anonymize.event(event); // email 'jane@realcorp.com' -> 'user1@example.com'
 */
export function createAnonymizer(options: AnonymizerOptions = {}): Anonymizer {
  const settings = { ...defaults, ...options };
  const secrets = settings.inviteSecrets.filter(
    (secret) => Buffer.byteLength(secret, 'utf8') >= InviteLimits.minSecretBytes,
  );
  const { resignSecret, now, keepDisposableDomains } = settings;
  if (
    Buffer.byteLength(resignSecret, 'utf8') < InviteLimits.minSecretBytes ||
    resignSecret === FORGER_SECRET
  ) {
    throw new TypeError(`resignSecret must be a secret of at least ${InviteLimits.minSecretBytes} bytes`);
  }
  // Checked and normalised once: `Blocked.Example.` is `blocked.example`, as the rules read it.
  const domainRules = domainEntriesOf(settings.domainRules, 'domainRules');
  const allowedOrigins = new Set(settings.allowedRedirectOrigins.flatMap((entry) => originOf(entry) ?? []));
  const patterns = new Map(
    Object.entries(settings.attributePatterns).map(([name, pattern]) => {
      if (!(pattern instanceof RegExp)) throw new TypeError(`attributePatterns.${name} must be a RegExp`);
      return [name, new RegExp(`^(?:${pattern.source})$`, pattern.flags.replace(/[gy]/g, ''))] as const;
    }),
  );
  const configured = new Set([...settings.configurationValues].filter((value) => value !== ''));
  const providers = new Set([...BUILT_IN_PROVIDERS, ...settings.identityProviders]);

  // Real -> fake, per kind; `used` holds every fake per kind (never two real values on one fake);
  // `replacements` holds every pair for the free-text pass.
  const fakes = new Map<string, Map<string, string>>();
  const used = new Map<string, Set<string>>();
  const replacements = new Map<string, string>();
  const derived = new Map<string, string>();

  /** The fake of `real` among values of `kind`, made once by `make(n)` with n = 1, 2, … per kind. */
  function stable(kind: string, real: string, make: (n: number) => string, mayEqual = false): string {
    let byReal = fakes.get(kind);
    if (byReal === undefined) {
      byReal = new Map();
      fakes.set(kind, byReal);
    }
    const known = byReal.get(real);
    if (known !== undefined) return known;
    let taken = used.get(kind);
    if (taken === undefined) {
      taken = new Set();
      used.set(kind, taken);
    }
    const clashes = (candidate: string) => taken.has(candidate) || (!mayEqual && candidate === real);
    const first = byReal.size + 1;
    let fake = make(first);
    for (let n = first + 1; clashes(fake); n += 1) {
      // A maker that keeps clashing (a pattern few fakes satisfy) gets a numbered suffix: distinct above all.
      fake = n - first < MAX_TRIES ? make(n) : `${make(first)}~${n}`;
    }
    byReal.set(real, fake);
    taken.add(fake);
    return fake;
  }

  /** The fake of `real` among values of `kind`, made once by `make`, for makers whose fakes are distinct by construction. */
  function cached(kind: string, real: string, make: () => string): string {
    const key = `${kind}\u0000${real}`;
    let fake = derived.get(key);
    if (fake === undefined) {
      fake = make();
      derived.set(key, fake);
    }
    return fake;
  }

  function remember(real: string, fake: string): string {
    if (real.trim().length >= MIN_REPLACED_LENGTH && real !== fake) replacements.set(real, fake);
    return fake;
  }

  function keepsDomain(domain: string): boolean {
    if (domainRules.some((entry) => domainMatches(domain, entry))) return true;
    return keepDisposableDomains && isDisposable(domain);
  }

  function fakeDomainOf(domain: string): string {
    return stable(
      'domain',
      domain,
      (n) => {
        // A fake domain must not fall under a rule itself, or the rule would decide on the fake.
        const candidates = [
          ...FAKE_DOMAINS,
          ...Array.from({ length: n }, (_, index) => `mail${index + 1}.example`),
        ];
        const free = candidates.filter((candidate) => !keepsDomain(candidate));
        return free[n - 1] ?? `mail${n}.example`;
      },
      true,
    );
  }

  function fakeEmail(real: string): string {
    const email = normalizeEmail(real);
    if (email === undefined || /\s/u.test(real) || CONTROL.test(real)) {
      // Malformed stays malformed (no `@`), with its control character and length.
      return remember(
        real,
        stable('email', real, (n) => fitted(`fake-email-${n}`, real)),
      );
    }
    const local = stable('email-address', email.address, (n) => `user${n}`);
    const typedDomain = real.slice(real.lastIndexOf('@') + 1);
    const domain = keepsDomain(email.domain) ? typedDomain : fakeDomainOf(email.domain);
    return remember(real, `${local}@${domain}`);
  }

  function fakePhone(real: string): string {
    if (!E164.test(real))
      return remember(
        real,
        stable('phone', real, (n) => fitted(`fake-phone-${n}`, real)),
      );
    return remember(
      real,
      stable('phone', real, (n) => `+1555555${String(n + 100).padStart(4, '0')}`),
    );
  }

  function fakeId(real: string): string {
    return remember(real, stable('id', real, uuidFor));
  }

  /** A fake for attribute `name` that its configured pattern judges as it judged the real value. */
  function patternFaithful(name: string, real: string, fake: string, n: number): string {
    const pattern = patterns.get(name);
    if (pattern === undefined) return fake;
    const wanted = pattern.test(real);
    const candidates = [fake, formatPreserving(real, n), fitted(`fake${n}`, real), String(n)];
    return candidates.find((candidate) => candidate !== real && pattern.test(candidate) === wanted) ?? fake;
  }

  function fakeAttribute(name: string, value: string): string {
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
  }

  function fakeUserName(real: string): string {
    const known = replacements.get(real);
    if (known !== undefined) return known;
    if (real.includes('@')) return fakeEmail(real);
    if (E164.test(real)) return fakePhone(real);
    const federated = /^([^_]+)_(.+)$/.exec(real);
    if (federated?.[1] !== undefined && providers.has(federated[1])) {
      const prefix = federated[1];
      return remember(
        real,
        stable('id', real, (n) => `${prefix}_${String(100_000_000_000 + n)}`),
      );
    }
    return fakeId(real);
  }

  function fakePoolId(real: string, region: unknown): string {
    const prefix = real.slice(0, Math.max(0, real.indexOf('_')));
    const fakeRegion = REGION.test(prefix)
      ? prefix
      : typeof region === 'string' && REGION.test(region)
        ? region
        : 'us-east-1';
    return remember(
      real,
      stable('pool', real, (n) => `${fakeRegion}_EXAMPLE${n === 1 ? '' : n}`),
    );
  }

  function fakeClientId(real: string): string {
    if (real === NO_CLIENT) return real;
    return remember(
      real,
      stable('client', real, (n) => `${n}example23456789abcdefghij`),
    );
  }

  /** Any ClientMetadata, ValidationData or claim value the triggers do not need: `fake-<key>-N`. */
  function fakeFreeValue(kind: string, key: string, real: string): string {
    if (real.trim() === '' || isBooleanText(real) || isConfigured(real)) return real;
    return stable(`${kind}:${safeKeyOf(key)}`, real, (n) => fitted(`fake-${safeKeyOf(key)}-${n}`, real));
  }

  /** A configuration value, or a comma-separated list of them (a `groups` request). */
  function isConfigured(value: string): boolean {
    if (configured.has(value)) return true;
    const items = value.split(',').map((item) => item.trim());
    return items.length > 1 && items.every((item) => item !== '' && configured.has(item));
  }

  /** A fake of `real` that a reader with this shape check judges as it judged the real value. */
  function shapeFaithful(kind: string, key: string, real: string, valid: boolean): string {
    return stable(`${kind}:${safeKeyOf(key)}`, real, (n) =>
      fitted(valid ? `fake-${safeKeyOf(key)}-${n}` : `fake ${safeKeyOf(key)} ${n}`, real),
    );
  }

  function fakeRedirect(real: string): string {
    const url = URL.canParse(real) ? new URL(real) : undefined;
    const kept =
      url !== undefined &&
      allowedOrigins.has(url.origin) &&
      url.username === '' &&
      url.password === '' &&
      real.length <= REDIRECT_MAX_LENGTH &&
      url.href.length <= REDIRECT_HREF_MAX_LENGTH;
    if (url === undefined || !kept) {
      // Left out of the link either way: any URL the link also leaves out (an origin nobody allows).
      return remember(
        real,
        stable('redirect', real, (n) =>
          fitted(url === undefined ? `fake-redirectUri-${n}` : `https://redirect-${n}.invalid/`, real),
        ),
      );
    }
    const fake = cached('redirect', real, () => {
      const query = new URLSearchParams();
      for (const [name, value] of url.searchParams) query.append(name, fakeFreeValue('query', name, value));
      const search = query.size === 0 ? '' : `?${query.toString()}`;
      const hash = url.hash === '' ? '' : `#${fakeFreeValue('fragment', 'fragment', url.hash.slice(1))}`;
      return `${url.origin}${replaceAll(url.pathname)}${search}${hash}`;
    });
    remember(url.href, new URL(fake).href);
    return remember(real, fake);
  }

  /** The invite for the fake address, deciding as the real one did for the real address. */
  function fakeInvite(token: string, signUpEmail: string | undefined): string {
    const payload = invitePayloadOf(token);
    const verdict =
      payload === undefined || secrets.length === 0
        ? undefined
        : verifyInvite(token, { email: signUpEmail ?? payload.email, secrets, now: now() });
    if (payload === undefined || (verdict !== undefined && !verdict.ok && verdict.reason === 'malformed')) {
      // Not a token at all: any malformed one of the same alphabet and length decides the same.
      const valid = INVITE_TOKEN_ALPHABET.test(token) && token.length <= VALIDATION_DATA_VALUE_MAX;
      return remember(token, shapeFaithful('validationData', 'invite', token, valid));
    }
    return remember(
      token,
      cached('invite', token, () => {
        // Without the run's secrets the verdict is unknown: forged is the only safe guess.
        const genuine = verdict !== undefined && (verdict.ok || verdict.reason !== 'signature');
        const ttlSeconds =
          verdict?.ok === true ? FAR_FUTURE - payload.iat : Math.max(1, payload.exp - payload.iat);
        const claims = Object.fromEntries(
          Object.entries(isObject(payload.claims) ? payload.claims : {}).map(([key, value]) => [
            key,
            fakeFreeValue('claim', key, String(value)),
          ]),
        );
        try {
          return createInvite({
            email: fakeEmail(payload.email),
            ttlSeconds,
            claims,
            now: new Date(payload.iat * 1000),
            secret: genuine ? resignSecret : FORGER_SECRET,
          });
        } catch {
          // A payload the minting side refuses (an odd claim, a bad address): a refused token, as before.
          return shapeFaithful('validationData', 'invite', token, true);
        }
      }),
    );
  }

  function fakeValidationData(key: string, value: string, signUpEmail: string | undefined): string {
    if (value === '') return value;
    if (key === 'invite') return fakeInvite(value, signUpEmail);
    if (key === 'captchaToken') {
      // An opaque, single-use provider token: nothing personal, and what the provider judged.
      const valid = CAPTCHA_TOKEN.test(value) && value.length <= VALIDATION_DATA_VALUE_MAX;
      return valid ? value : shapeFaithful('validationData', key, value, false);
    }
    return fakeFreeValue('validationData', key, value);
  }

  function fakeClientMetadata(key: string, value: string): string {
    if (value === '') return value;
    if (key === 'locale') {
      const valid = value.length <= LOCALE_MAX_LENGTH && LOCALE_TAG.test(value);
      return valid ? value : shapeFaithful('clientMetadata', key, value, false);
    }
    if (key === 'redirectUri') return fakeRedirect(value);
    return fakeFreeValue('clientMetadata', key, value);
  }

  function replaceAll(text: string): string {
    let result = text;
    // Longest first, so a value inside another is not replaced half-way.
    const pairs = [...replacements].sort(([a], [b]) => b.length - a.length);
    for (const [real, fake] of pairs) {
      const variants = new Map<string, string>([
        [real, fake],
        [encodeURIComponent(real), encodeURIComponent(fake)],
        [formEncode(real), formEncode(fake)],
        [escapeHtml(real), escapeHtml(fake)],
        [escapeHtml(messageText(real)), escapeHtml(messageText(fake))],
        [messageText(real), messageText(fake)],
      ]);
      for (const [from, to] of variants) {
        if (from.length >= MIN_REPLACED_LENGTH && result.includes(from)) {
          result = result.replace(wholeWordPattern(from), () => to);
        }
      }
    }
    return result;
  }

  function deepReplace<T>(value: T): T {
    if (typeof value === 'string') return replaceAll(value) as T;
    if (Array.isArray(value)) return value.map(deepReplace) as T;
    if (isObject(value)) {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, deepReplace(item)])) as T;
    }
    return value;
  }

  // Event fields that are anonymized one by one, or that hold no personal data (Cognito's own values).
  const HANDLED = new Set([
    'version',
    'region',
    'userPoolId',
    'userName',
    'triggerSource',
    'callerContext.awsSdkVersion',
    'callerContext.clientId',
    'request.userAttributes',
    'request.validationData',
    'request.clientMetadata',
    'request.codeParameter',
    'request.linkParameter',
    'request.usernameParameter',
    'response',
  ]);

  /** Every other field of the event gets the free-text pass. */
  function replaceUnhandled(value: unknown, path: string): unknown {
    if (HANDLED.has(path)) return value;
    if (typeof value === 'string') return replaceAll(value);
    if (Array.isArray(value)) return value.map((item) => replaceUnhandled(item, `${path}[]`));
    if (isObject(value)) {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [
          key,
          replaceUnhandled(item, path === '' ? key : `${path}.${key}`),
        ]),
      );
    }
    return value;
  }

  return {
    event<T>(event: T): T {
      const copy: unknown = structuredClone(event);
      if (!isObject(copy)) return deepReplace(copy) as T;
      const request = isObject(copy.request) ? copy.request : undefined;
      const attributes = isObject(request?.userAttributes) ? request.userAttributes : undefined;
      const signUpEmail = typeof attributes?.email === 'string' ? attributes.email : undefined;
      if (request !== undefined && attributes !== undefined) {
        request.userAttributes = mapValues(attributes, fakeAttribute);
      }
      if (typeof copy.userName === 'string') copy.userName = fakeUserName(copy.userName);
      if (typeof copy.userPoolId === 'string') copy.userPoolId = fakePoolId(copy.userPoolId, copy.region);
      if (isObject(copy.callerContext) && typeof copy.callerContext.clientId === 'string') {
        copy.callerContext.clientId = fakeClientId(copy.callerContext.clientId);
      }
      if (request !== undefined && isObject(request.validationData)) {
        request.validationData = mapValues(request.validationData, (key, value) =>
          fakeValidationData(key, value, signUpEmail),
        );
      }
      if (request !== undefined && isObject(request.clientMetadata)) {
        request.clientMetadata = mapValues(request.clientMetadata, fakeClientMetadata);
      }
      return replaceUnhandled(copy, '') as T;
    },
    value: deepReplace,
  };
}
