/**
 * Replaces the personal data in recorded trigger events (and in what the triggers answered) by stable fake
 * values, so a recording can be committed as a fixture and still replays to the same outcome:
 * - an email keeps its domain (the domain rules depend on it) and gets the local part `userN`;
 * - a `sub` or user name gets a fixed-pattern UUID, a phone number a 555 number, names and other profile
 *   attributes fixed fake values;
 * - a signed invite is minted again for the fake address, valid if it was valid (until 2099), expired if it
 *   was expired, forged if it was forged, so the invite rule decides as it did;
 * - every other string (ClientMetadata, the rendered message, links) has the real values replaced wherever
 *   they occur, as typed, URL-encoded or HTML-escaped.
 * The same real value always gets the same fake value within one recorder.
 */
import { normalizeEmail } from '../shared/email.js';
import { createInvite, InviteLimits, verifyInvite } from '../shared/invite.js';

/** Options of {@link createAnonymizer}. */
export type AnonymizerOptions = {
  /** The invite secrets of the run (`INVITE_SECRET`), current first; without them invites cannot be re-minted. */
  inviteSecrets?: readonly string[];
  /** The time invites are checked at (the recording time). */
  now?: () => Date;
};

/** Replaces personal data; stable across calls. */
export type Anonymizer = {
  /** The event with its personal data replaced (a copy). */
  event<T>(event: T): T;
  /** Any JSON value (an outcome) with every real value seen so far replaced (a copy). */
  value<T>(value: T): T;
};

const PROFILE_FAKES: Readonly<Record<string, (n: number) => string>> = {
  name: (n) => `Test User ${n}`,
  given_name: (n) => `Given${n}`,
  family_name: (n) => `Family${n}`,
  middle_name: (n) => `Middle${n}`,
  nickname: (n) => `nick${n}`,
  preferred_username: (n) => `user-${n}`,
  address: (n) => `${n} Example Street, Anytown`,
  birthdate: () => '2000-01-01',
  picture: (n) => `https://example.com/pictures/${n}.png`,
  profile: (n) => `https://example.com/profiles/${n}`,
  website: (n) => `https://example.com/sites/${n}`,
};

// 2099-12-31T23:59:59Z: a recorded valid invite stays valid for replays.
const FAR_FUTURE = 4_102_444_799;
const INVITE_SHAPE = /^v1\.([A-Za-z0-9_-]{1,1000})\.([A-Za-z0-9_-]{43})$/;
// Signs invites that were forged: they stay forged (no configured secret matches).
const FORGER_SECRET = 'recorded-forged-invite-secret-000000000000';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const WORDS = /^[\p{L}\p{M} .'-]+$/u;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function uuidFor(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

type InvitePayload = { email: string; exp: number; iat: number; claims: Record<string, string> };

function invitePayloadOf(token: string): InvitePayload | undefined {
  const part = INVITE_SHAPE.exec(token)?.[1];
  if (part === undefined) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as InvitePayload;
    return typeof payload.email === 'string' && Number.isInteger(payload.exp) && Number.isInteger(payload.iat)
      ? payload
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A new anonymizer; one per recording, so fake values stay stable across its events.
 *
 * @example
 * const anonymize = createAnonymizer({ inviteSecrets: [process.env.INVITE_SECRET ?? ''] });
 * const fixture = anonymize.event(event); // userAttributes.email 'jane@example.com' -> 'user1@example.com'
 */
export function createAnonymizer(options: AnonymizerOptions = {}): Anonymizer {
  const secrets = (options.inviteSecrets ?? []).filter(
    (secret) => Buffer.byteLength(secret, 'utf8') >= InviteLimits.minSecretBytes,
  );
  const now = options.now ?? (() => new Date());
  // Real -> fake, per kind; `replacements` holds every pair for the free-text pass.
  const emails = new Map<string, string>();
  const ids = new Map<string, string>();
  const phones = new Map<string, string>();
  const profile = new Map<string, string>();
  const replacements = new Map<string, string>();

  function remember(real: string, fake: string): string {
    if (real !== '' && real !== fake) replacements.set(real, fake);
    return fake;
  }

  function fakeEmail(real: string): string {
    const at = real.lastIndexOf('@');
    if (at < 1) return remember(real, fakeOther('email', real));
    const key = normalizeEmail(real)?.address ?? real.toLowerCase();
    let local = emails.get(key);
    if (local === undefined) {
      local = `user${emails.size + 1}`;
      emails.set(key, local);
    }
    return remember(real, `${local}@${real.slice(at + 1)}`);
  }

  function fakeId(real: string): string {
    let fake = ids.get(real);
    if (fake === undefined) {
      fake = uuidFor(ids.size + 1);
      ids.set(real, fake);
    }
    return remember(real, fake);
  }

  function fakePhone(real: string): string {
    let fake = phones.get(real);
    if (fake === undefined) {
      fake = `+1555555${String(phones.size + 100).padStart(4, '0')}`;
      phones.set(real, fake);
    }
    return remember(real, fake);
  }

  function fakeOther(attribute: string, real: string): string {
    const key = `${attribute}\u0000${real}`;
    let fake = profile.get(key);
    if (fake === undefined) {
      const make = PROFILE_FAKES[attribute] ?? ((n: number) => `fake-${attribute}-${n}`);
      fake = make(profile.size + 1);
      profile.set(key, fake);
    }
    return remember(real, fake);
  }

  function fakeAttribute(name: string, value: string): string {
    if (name === 'email' || name === 'cognito:email_alias') return fakeEmail(value);
    if (name === 'phone_number' || name === 'cognito:phone_number_alias') return fakePhone(value);
    if (name === 'sub') return fakeId(value);
    if (Object.hasOwn(PROFILE_FAKES, name)) return fakeOther(name, value);
    return value;
  }

  /** The invite for the fake address, deciding as the real one did for the real address. */
  function fakeInvite(token: string, signUpEmail: string | undefined): string {
    const payload = invitePayloadOf(token);
    if (payload === undefined) return token;
    const email = fakeEmail(payload.email);
    if (secrets.length === 0) return createInvite({ ...reissue(payload), email, secret: FORGER_SECRET });
    const verdict = verifyInvite(token, { email: signUpEmail ?? payload.email, secrets, now: now() });
    const secret =
      verdict.ok || verdict.reason !== 'signature' ? (secrets[0] ?? FORGER_SECRET) : FORGER_SECRET;
    const ttlSeconds = verdict.ok ? FAR_FUTURE - payload.iat : Math.max(1, payload.exp - payload.iat);
    return createInvite({ ...reissue(payload), ttlSeconds, email, secret });
  }

  function reissue(payload: InvitePayload): {
    now: Date;
    ttlSeconds: number;
    claims: Record<string, string>;
  } {
    return {
      now: new Date(payload.iat * 1000),
      ttlSeconds: Math.max(1, payload.exp - payload.iat),
      claims: Object.fromEntries(
        Object.entries(payload.claims ?? {}).map(([key, value]) => [key, replaceAll(String(value))]),
      ),
    };
  }

  function replaceAll(text: string): string {
    let result = text;
    // Longest first, so a value inside another is not replaced half-way.
    const pairs = [...replacements].sort(([a], [b]) => b.length - a.length);
    for (const [real, fake] of pairs) {
      // A name is replaced as a whole word only: "Al" must not turn "Also" into "Given1so".
      result = WORDS.test(real)
        ? result.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(real)}(?![\\p{L}\\p{N}])`, 'gu'), fake)
        : result.replaceAll(real, fake);
      const encoded = encodeURIComponent(real);
      if (encoded !== real) result = result.replaceAll(encoded, encodeURIComponent(fake));
      const escaped = escapeHtml(real);
      if (escaped !== real) result = result.replaceAll(escaped, escapeHtml(fake));
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

  return {
    event<T>(event: T): T {
      const copy: unknown = structuredClone(event);
      if (!isObject(copy)) return copy as T;
      const request = isObject(copy.request) ? copy.request : {};
      const attributes = isObject(request.userAttributes) ? request.userAttributes : {};
      const signUpEmail = typeof attributes.email === 'string' ? attributes.email : undefined;
      for (const [name, value] of Object.entries(attributes)) {
        if (typeof value === 'string') attributes[name] = fakeAttribute(name, value);
      }
      if (typeof copy.userName === 'string') {
        const userName = copy.userName;
        copy.userName =
          replacements.get(userName) ?? (userName.includes('@') ? fakeEmail(userName) : fakeId(userName));
      }
      for (const key of ['validationData', 'clientMetadata']) {
        const map = request[key];
        if (!isObject(map)) continue;
        for (const [name, value] of Object.entries(map)) {
          if (typeof value === 'string' && INVITE_SHAPE.test(value))
            map[name] = fakeInvite(value, signUpEmail);
        }
      }
      return deepReplace(copy) as T;
    },
    value: deepReplace,
  };
}
