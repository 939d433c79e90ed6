/**
 * Signed invitations: a token an app's backend mints for one email address, which the pre sign-up trigger
 * accepts as proof that the person signing up was invited at that address.
 *
 * Format: `v1.<payload>.<mac>` where `payload` is base64url (no padding) of the JSON
 * `{"email":"<normalised address>","exp":<unix s>,"iat":<unix s>,"claims":{…}}`, with `"pool":"<user pool id>"`
 * when the invite is minted for one user pool (then no other pool accepts it), and `mac` is base64url of
 * HMAC-SHA256(secret, "v1." + payload). The email is stored in the normal form of `shared/email.ts`; the
 * address it is verified against may differ from it in case and in the form of its domain (IDN or punycode),
 * nothing else: a spelling that IDNA maps to the same domain (fullwidth letters, deleted marks, a trailing dot)
 * is another address to Cognito, so it does not verify, nor does any other address.
 *
 * Dependency-free apart from `node:crypto`, `./email.js`, `./options.js` and `./caller-keys.js`: an app's
 * backend imports it through the client package's `invite` entry (docs/client.md). Untrusted input never
 * makes {@link verifyInvite} throw; only a bad option (a programming error: a short secret, an odd clock
 * skew) does, with an {@link OptionsError}.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ValidationDataFields } from './caller-keys.js';
import { normalizeEmail } from './email.js';
import { checkWhole, OptionsError } from './options.js';

/** Bounds on tokens, secrets and claims. */
export const InviteLimits = {
  /** Longest token accepted or minted; ValidationData values may hold 2,048 characters (contract §5). */
  maxTokenLength: 1024,
  /** Shortest secret, in UTF-8 bytes: the HMAC-SHA256 key should carry at least 256 bits. */
  minSecretBytes: 32,
  /** How many secrets `verifyInvite` tries (the current one and those being rotated out). */
  maxSecrets: 10,
  maxClaims: 16,
  maxClaimKeyLength: 32,
  maxClaimValueLength: 256,
  /** Latest `exp`: 9999-12-31T23:59:59Z, so `expiresAt` is always a valid Date. */
  maxExpiry: 253_402_300_799,
  /** Default tolerance between the minting and the verifying clock. */
  defaultClockSkewSeconds: 60,
} as const;

/** Why a token was refused, from the first check that failed (in this order). */
export const InviteFailureReason = {
  /** Not a `v1` token of the right shape, or a payload that breaks the format after a valid MAC. */
  Malformed: 'malformed',
  /** The MAC matches none of the secrets: forged, altered, or signed with a retired secret. */
  Signature: 'signature',
  /**
   * Signed for another address, or the address given to `verifyInvite` is not a valid one, or is not spelled as
   * its own (shared/email.ts `canonical`: a fullwidth or trailing-dot spelling, say).
   */
  Email: 'email',
  /** Minted for another user pool than the one verifying it (`userPoolId`). */
  Pool: 'pool',
  /** `exp` (plus the clock skew) is in the past. */
  Expired: 'expired',
} as const;

/** One of {@link InviteFailureReason}. */
export type InviteFailureReason = (typeof InviteFailureReason)[keyof typeof InviteFailureReason];

/** Flat string claims carried by an invite (for example a group or a tenant). */
export type InviteClaims = Readonly<Record<string, string>>;

/** What {@link verifyInvite} answers. */
export type InviteVerification =
  | {
      ok: true;
      /** The normalised address the invite is bound to. */
      email: string;
      claims: InviteClaims;
      expiresAt: Date;
    }
  | { ok: false; reason: InviteFailureReason };

/** Options of {@link createInvite}. */
export type CreateInviteOptions = {
  /** The invited address, in any spelling; the token carries its normal form. */
  email: string;
  /** Lifetime from `now`, in whole seconds. */
  ttlSeconds: number;
  claims?: Readonly<Record<string, string>>;
  /**
   * The user pool the invite is for (`us-east-1_AbCdEf123`): a pool whose pre sign-up function shares the
   * secret but has another id refuses it. Without it, every pool holding the secret accepts the invite.
   */
  userPoolId?: string;
  /** The current secret: at least 32 UTF-8 bytes. */
  secret: string;
  /** Issue time; defaults to the current time. */
  now?: Date;
};

/** Options of {@link verifyInvite}. */
export type VerifyInviteOptions = {
  /**
   * The address signing up (the event's `email` attribute), as sent: in any letter case, its domain in IDN or
   * punycode form; any other spelling fails with `email`.
   */
  email: string;
  /** Accepted secrets, current first; a token signed with any of them verifies (key rotation). */
  secrets: readonly string[];
  /**
   * The user pool verifying (the event's `userPoolId`): an invite minted for another pool fails with `pool`.
   * An invite minted for no pool passes this check anywhere.
   */
  userPoolId?: string;
  /** Verification time; defaults to the current time. */
  now?: Date;
  /** Seconds an invite stays valid past `exp`, for clock drift between minting and verifying. */
  clockSkewSeconds?: number;
};

const VERSION = 'v1';
// The MAC is 43 characters: base64url of the 32-byte HMAC-SHA256, without padding.
const TOKEN_SHAPE = /^v1\.([A-Za-z0-9_-]{1,1000})\.([A-Za-z0-9_-]{43})$/;
/** Characters a token is made of, for ValidationData readers: the pattern of ValidationData `invite`. */
export const INVITE_TOKEN_ALPHABET: RegExp = ValidationDataFields.invite.pattern;
// A letter first: no `__proto__`, no `constructor`-style surprises from a leading underscore.
const CLAIM_KEY = /^[A-Za-z][A-Za-z0-9_.:-]{0,31}$/;
const CONTROL_CHARACTERS = /\p{Cc}/u;
const PAYLOAD_KEYS = ['claims', 'email', 'exp', 'iat'];
// A Cognito user pool id: `<region>_<id>` (the API's pattern `[\w-]+_[0-9a-zA-Z]+`, at most 55 characters).
const USER_POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;

function isUserPoolId(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 55 && USER_POOL_ID.test(value);
}

const SECRET_EXPECTED = `a string of at least ${InviteLimits.minSecretBytes} bytes`;

function isSecret(secret: unknown): secret is string {
  return typeof secret === 'string' && Buffer.byteLength(secret, 'utf8') >= InviteLimits.minSecretBytes;
}

function macOf(secret: string, payloadPart: string): Buffer {
  return createHmac('sha256', secret).update(`${VERSION}.${payloadPart}`).digest();
}

/**
 * What is wrong with `claims`, as what they must be (`a map of …`), or `undefined` when they are a flat,
 * bounded string map.
 */
function claimsProblem(claims: unknown): string | undefined {
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) return 'a map';
  const entries = Object.entries(claims);
  if (entries.length > InviteLimits.maxClaims) return `a map of at most ${InviteLimits.maxClaims} claims`;
  for (const [key, value] of entries) {
    if (!CLAIM_KEY.test(key)) {
      return `a map whose claim keys match ${CLAIM_KEY} (a letter, then letters, digits, _ . : -)`;
    }
    if (
      typeof value !== 'string' ||
      value.length > InviteLimits.maxClaimValueLength ||
      CONTROL_CHARACTERS.test(value)
    ) {
      return `a map whose claim values are strings of at most ${InviteLimits.maxClaimValueLength} characters without control characters`;
    }
  }
  return undefined;
}

function isUnixSeconds(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= InviteLimits.maxExpiry;
}

/**
 * Mints an invite token for `email`, valid for `ttlSeconds`.
 *
 * @throws OptionsError naming the option at fault (an invalid address, lifetime, claim or secret, or claims
 * that would make the token longer than 1,024 characters); never quoting the secret.
 * @example
 * const token = createInvite({
 *   email: 'jane@example.com',
 *   ttlSeconds: 7 * 24 * 3600,
 *   claims: { tenant: 'acme' },
 *   secret: process.env.INVITE_SECRET ?? '',
 * });
 */
export function createInvite(options: CreateInviteOptions): string {
  const { secret } = options;
  if (!isSecret(secret)) throw new OptionsError('secret', SECRET_EXPECTED);
  const email = normalizeEmail(typeof options.email === 'string' ? options.email : '');
  if (email === undefined) throw new OptionsError('email', 'a valid email address');
  const now = options.now ?? new Date();
  const iat = Math.floor(now.getTime() / 1000);
  if (!isUnixSeconds(iat)) throw new OptionsError('now', 'a valid date after 1970');
  const ttlSeconds = checkWhole('ttlSeconds', options.ttlSeconds, { min: 1, max: Number.MAX_SAFE_INTEGER });
  const exp = iat + ttlSeconds;
  if (!isUnixSeconds(exp)) {
    throw new OptionsError('ttlSeconds', 'a lifetime that ends before the year 10000');
  }
  const claims = { ...(options.claims ?? {}) };
  const problem = claimsProblem(claims);
  if (problem !== undefined) throw new OptionsError('claims', problem);
  const { userPoolId } = options;
  if (userPoolId !== undefined && !isUserPoolId(userPoolId)) {
    throw new OptionsError('userPoolId', 'a user pool id such as us-east-1_AbCdEf123');
  }
  const payloadPart = Buffer.from(
    JSON.stringify({
      email: email.address,
      exp,
      iat,
      claims,
      ...(userPoolId === undefined ? {} : { pool: userPoolId }),
    }),
    'utf8',
  ).toString('base64url');
  const token = `${VERSION}.${payloadPart}.${macOf(secret, payloadPart).toString('base64url')}`;
  if (token.length > InviteLimits.maxTokenLength) {
    throw new OptionsError(
      'claims',
      `fewer or shorter claims: the invite would be longer than ${InviteLimits.maxTokenLength} characters`,
    );
  }
  return token;
}

/** The decoded payload, or `undefined` when it breaks the format. Called only after the MAC matched. */
function parsePayload(
  payloadPart: string,
): { email: string; exp: number; iat: number; claims: InviteClaims; pool: string | undefined } | undefined {
  const bytes = Buffer.from(payloadPart, 'base64url');
  // Canonical base64url only: one token, one spelling.
  if (bytes.toString('base64url') !== payloadPart) return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return undefined;
  const keys = Object.keys(payload)
    .filter((key) => key !== 'pool')
    .sort();
  if (keys.length !== PAYLOAD_KEYS.length || keys.some((key, index) => key !== PAYLOAD_KEYS[index])) {
    return undefined;
  }
  const { email, exp, iat, claims, pool } = payload as Record<string, unknown>;
  if (typeof email !== 'string' || normalizeEmail(email)?.address !== email) return undefined;
  if (!isUnixSeconds(exp) || !isUnixSeconds(iat) || iat > exp) return undefined;
  if (claimsProblem(claims) !== undefined) return undefined;
  // Optional; JSON has no undefined, so a `null` pool is malformed too.
  if (pool !== undefined && !isUserPoolId(pool)) return undefined;
  return {
    email,
    exp,
    iat,
    claims: Object.freeze(Object.fromEntries(Object.entries(claims as Record<string, string>))),
    pool,
  };
}

/**
 * Checks an invite token against the address signing up. Never throws for any `token` or `email`: every
 * failure is a `{ ok: false, reason }` (see {@link InviteFailureReason} for the order of the checks).
 *
 * @throws OptionsError only for a bad option: `secrets` empty, too many, or holding a secret shorter than
 * 32 bytes, or a clock skew outside 0–3,600 seconds.
 * @example
 * const result = verifyInvite(token, { email: 'Jane@Example.com', secrets: [current, previous] });
 * if (result.ok) grantGroup(result.claims.group);
 */
export function verifyInvite(token: unknown, options: VerifyInviteOptions): InviteVerification {
  const { secrets } = options;
  if (!Array.isArray(secrets) || secrets.length === 0 || secrets.length > InviteLimits.maxSecrets) {
    throw new OptionsError('secrets', `a list of 1 to ${InviteLimits.maxSecrets} secrets`);
  }
  const short = secrets.findIndex((secret) => !isSecret(secret));
  if (short !== -1) {
    throw new OptionsError(
      'secrets',
      `a list of strings of at least ${InviteLimits.minSecretBytes} bytes (entry ${short + 1} is not one)`,
    );
  }
  const skew = checkWhole(
    'clockSkewSeconds',
    options.clockSkewSeconds ?? InviteLimits.defaultClockSkewSeconds,
    { min: 0, max: 3600 },
  );

  const fail = (reason: InviteFailureReason): InviteVerification => ({ ok: false, reason });
  if (typeof token !== 'string' || token.length > InviteLimits.maxTokenLength) return fail('malformed');
  const shape = TOKEN_SHAPE.exec(token);
  const payloadPart = shape?.[1];
  const macPart = shape?.[2];
  if (payloadPart === undefined || macPart === undefined) return fail('malformed');
  const given = Buffer.from(macPart, 'base64url');
  // The last character carries 2 unused bits: only the canonical spelling counts, so no two tokens are equal.
  if (given.length !== 32 || given.toString('base64url') !== macPart) {
    return fail('malformed');
  }
  let matched = false;
  for (const secret of secrets) {
    // Every secret is tried: how long this takes says nothing about which one matched.
    if (timingSafeEqual(macOf(secret, payloadPart), given)) matched = true;
  }
  if (!matched) return fail('signature');

  const payload = parsePayload(payloadPart);
  if (payload === undefined) return fail('malformed');
  const email = normalizeEmail(typeof options.email === 'string' ? options.email : '');
  // Only the address's own spellings (shared/email.ts `canonical`): each other spelling is another account.
  if (email === undefined || !email.canonical || email.address !== payload.email) return fail('email');
  if (payload.pool !== undefined && payload.pool !== options.userPoolId) return fail('pool');
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  // NaN (an invalid `now`) fails closed.
  if (!(now < payload.exp + skew)) return fail('expired');
  return { ok: true, email: payload.email, claims: payload.claims, expiresAt: new Date(payload.exp * 1000) };
}
