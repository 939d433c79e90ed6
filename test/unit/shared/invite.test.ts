import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeEmail } from '../../../shared/email.js';
import { createInvite, InviteLimits, verifyInvite } from '../../../shared/invite.js';
import { OptionsError } from '../../../shared/options.js';
import { errorOf } from '../../support/outcomes.js';

const SECRET = 'test-invite-secret-0123456789abcdef-0123';
const OLD_SECRET = 'retired-invite-secret-0123456789abcdef-01';
const ISSUED = new Date('2026-01-01T00:00:00Z');
const DAY = 86_400;

/** A token over any payload, signed as the real thing is: for payloads createInvite would refuse to mint. */
function signRaw(payload: unknown, secret = SECRET): string {
  const part = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return `v1.${part}.${createHmac('sha256', secret).update(`v1.${part}`).digest('base64url')}`;
}

function invite(overrides: Partial<Parameters<typeof createInvite>[0]> = {}): string {
  return createInvite({
    email: 'jane@example.com',
    ttlSeconds: DAY,
    secret: SECRET,
    now: ISSUED,
    ...overrides,
  });
}

const validPayload = {
  email: 'jane@example.com',
  exp: ISSUED.getTime() / 1000 + DAY,
  iat: ISSUED.getTime() / 1000,
  claims: {},
};
const during = new Date(ISSUED.getTime() + 1000);

describe('Shared: createInvite', () => {
  it('mints v1.<payload>.<mac> with the normalised email, exp, iat and claims', () => {
    // Prepare
    const options = { email: 'Jane@Example.COM.', claims: { tenant: 'acme' } };

    // Act
    const token = invite(options);

    // Assess
    const [version, payload, mac] = token.split('.');
    expect(version).toBe('v1');
    expect(mac).toHaveLength(43);
    expect(JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8'))).toEqual({
      ...validPayload,
      claims: { tenant: 'acme' },
    });
  });

  it('signs with HMAC-SHA256 over "v1." and the payload part', () => {
    // Prepare
    const token = invite();

    // Act
    const [, payload, mac] = token.split('.');

    // Assess
    expect(mac).toBe(createHmac('sha256', SECRET).update(`v1.${payload}`).digest('base64url'));
  });

  it.each([
    ['a secret shorter than 32 bytes', { secret: 'x'.repeat(31) }, 'secret'],
    ['an address that is not one', { email: 'not-an-address' }, 'email'],
    ['an invalid issue time', { now: new Date(Number.NaN) }, 'now'],
    ['a zero lifetime', { ttlSeconds: 0 }, 'ttlSeconds'],
    ['a fractional lifetime', { ttlSeconds: 1.5 }, 'ttlSeconds'],
    ['an expiry after the year 9999', { ttlSeconds: InviteLimits.maxExpiry }, 'ttlSeconds'],
    ['a claim key starting with an underscore', { claims: { __proto__x: 'a' } }, 'claims'],
    ['a claim value with a control character', { claims: { group: 'a\u0000b' } }, 'claims'],
    ['a claim value over 256 characters', { claims: { group: 'g'.repeat(257) } }, 'claims'],
    ['a user pool id that is not one', { userPoolId: 'us-east-1 prod' }, 'userPoolId'],
    [
      'more than 16 claims',
      { claims: Object.fromEntries([...Array(17).keys()].map((i) => [`k${i}`, 'v'])) },
      'claims',
    ],
    [
      'a token over 1,024 characters',
      { claims: Object.fromEntries([...Array(4).keys()].map((i) => [`k${i}`, 'v'.repeat(200)])) },
      'claims',
    ],
  ])('refuses %s with an OptionsError naming the option', (_case, overrides, option) => {
    // Prepare
    const mint = () => invite(overrides);

    // Act
    const error = errorOf(OptionsError, mint);

    // Assess
    expect(error.option).toBe(option);
  });

  it('never quotes the secret it refuses', () => {
    // Prepare
    const secret = 'short-secret-value';

    // Act
    const error = errorOf(OptionsError, () => invite({ secret }));

    // Assess
    expect(error.message).not.toContain(secret);
    expect(error.expected).toBe('a string of at least 32 bytes');
  });

  it('counts a multi-byte secret by its UTF-8 bytes', () => {
    // Prepare: 16 characters, 32 bytes.
    const secret = 'é'.repeat(16);

    // Act
    const token = invite({ secret });

    // Assess
    expect(verifyInvite(token, { email: 'jane@example.com', secrets: [secret], now: during }).ok).toBe(true);
  });
});

describe('Shared: verifyInvite', () => {
  it('accepts a token for its email and returns the claims, the address and the expiry', () => {
    // Prepare
    const token = invite({ claims: { tenant: 'acme', 'custom:group': 'beta' } });

    // Act
    const result = verifyInvite(token, { email: 'jane@example.com', secrets: [SECRET], now: during });

    // Assess
    expect(result).toEqual({
      ok: true,
      email: 'jane@example.com',
      claims: { tenant: 'acme', 'custom:group': 'beta' },
      expiresAt: new Date(ISSUED.getTime() + DAY * 1000),
    });
  });

  it.each([
    ['in the pool it was minted for', 'us-east-1_Prod12345', true],
    ['in another pool that holds the same secret', 'us-east-1_Stage1234', false],
    ['where the verifier names no pool', undefined, false],
  ])('checks an invite minted for one pool %s', (_case, userPoolId, ok) => {
    // Prepare
    const token = invite({ userPoolId: 'us-east-1_Prod12345' });

    // Act
    const result = verifyInvite(token, {
      email: 'jane@example.com',
      secrets: [SECRET],
      now: during,
      userPoolId,
    });

    // Assess
    expect(result).toEqual(ok ? expect.objectContaining({ ok: true }) : { ok: false, reason: 'pool' });
  });

  it('accepts an invite minted for no pool in any pool', () => {
    // Prepare
    const token = invite();

    // Act
    const result = verifyInvite(token, {
      email: 'jane@example.com',
      secrets: [SECRET],
      now: during,
      userPoolId: 'eu-west-1_Any123456',
    });

    // Assess
    expect(result.ok).toBe(true);
  });

  it('accepts the same address written in upper case', () => {
    // Prepare
    const token = invite();

    // Act
    const result = verifyInvite(token, { email: 'JANE@EXAMPLE.COM', secrets: [SECRET], now: during });

    // Assess
    expect(result.ok).toBe(true);
  });

  it.each([
    ['a trailing dot', 'jane@example.com.'],
    ['fullwidth letters', 'jane@\uff45xample.com'],
    ['a variation selector', 'jane@example\ufe0f.com'],
    ['a combining grapheme joiner', 'jane@exam\u034fple.com'],
  ])(
    'refuses a spelling IDNA maps to the address but Cognito keeps apart (%s): each would be another account',
    (_case, spelling) => {
      // Prepare
      const token = invite();

      // Act
      const result = verifyInvite(token, { email: spelling, secrets: [SECRET], now: during });

      // Assess
      expect(result).toEqual({ ok: false, reason: 'email' });
    },
  );

  it('refuses the address written with surrounding spaces: Cognito stores it as sent, so it is another value', () => {
    // Prepare
    const token = invite();

    // Act
    const result = verifyInvite(token, { email: '  jane@example.com ', secrets: [SECRET], now: during });

    // Assess
    expect(result).toEqual({ ok: false, reason: 'email' });
  });

  it('treats an IDN domain and its punycode as one address', () => {
    // Prepare
    const token = invite({ email: 'Jane@Bücher.example' });

    // Act
    const result = verifyInvite(token, {
      email: 'jane@xn--bcher-kva.example',
      secrets: [SECRET],
      now: during,
    });

    // Assess
    expect(result).toMatchObject({ ok: true, email: 'jane@xn--bcher-kva.example' });
  });

  it('refuses a token bound to another address with reason "email"', () => {
    // Prepare
    const token = invite();

    // Act
    const result = verifyInvite(token, { email: 'jane@example.org', secrets: [SECRET], now: during });

    // Assess
    expect(result).toEqual({ ok: false, reason: 'email' });
  });

  it.each([
    ['empty', ''],
    ['not an address', 'jane'],
    ['not a string', 42 as unknown as string],
  ])('refuses with reason "email" when the address to check is %s', (_case, email) => {
    // Prepare
    const token = invite();

    // Act
    const result = verifyInvite(token, { email, secrets: [SECRET], now: during });

    // Assess
    expect(result).toEqual({ ok: false, reason: 'email' });
  });

  it('refuses a token past its expiry and the clock skew with reason "expired"', () => {
    // Prepare
    const token = invite();
    const now = new Date(ISSUED.getTime() + (DAY + 60) * 1000);

    // Act
    const result = verifyInvite(token, { email: 'jane@example.com', secrets: [SECRET], now });

    // Assess
    expect(result).toEqual({ ok: false, reason: 'expired' });
  });

  it('accepts a token within the clock skew after its expiry', () => {
    // Prepare
    const token = invite();
    const now = new Date(ISSUED.getTime() + (DAY + 59) * 1000);

    // Act
    const result = verifyInvite(token, { email: 'jane@example.com', secrets: [SECRET], now });

    // Assess
    expect(result.ok).toBe(true);
  });

  it('applies the clock skew it is given', () => {
    // Prepare
    const token = invite();
    const now = new Date(ISSUED.getTime() + DAY * 1000);

    // Act
    const result = verifyInvite(token, {
      email: 'jane@example.com',
      secrets: [SECRET],
      now,
      clockSkewSeconds: 0,
    });

    // Assess
    expect(result).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses with reason "expired" when the current time is not a valid date', () => {
    // Prepare
    const token = invite();

    // Act
    const result = verifyInvite(token, {
      email: 'jane@example.com',
      secrets: [SECRET],
      now: new Date(Number.NaN),
    });

    // Assess
    expect(result).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses a token signed with another secret with reason "signature"', () => {
    // Prepare
    const token = invite({ secret: OLD_SECRET });

    // Act
    const result = verifyInvite(token, { email: 'jane@example.com', secrets: [SECRET], now: during });

    // Assess
    expect(result).toEqual({ ok: false, reason: 'signature' });
  });

  it('accepts a token signed with any secret of the rotation list', () => {
    // Prepare
    const token = invite({ secret: OLD_SECRET });

    // Act
    const result = verifyInvite(token, {
      email: 'jane@example.com',
      secrets: [SECRET, OLD_SECRET],
      now: during,
    });

    // Assess
    expect(result.ok).toBe(true);
  });

  it('checks the signature before the binding, so a forged token for the right email says "signature"', () => {
    // Prepare
    const token = signRaw(validPayload, 'attacker-secret-0123456789abcdef-0123456');

    // Act
    const result = verifyInvite(token, { email: 'jane@example.com', secrets: [SECRET], now: during });

    // Assess
    expect(result).toEqual({ ok: false, reason: 'signature' });
  });

  it.each([
    ['not a string', 42],
    ['empty', ''],
    ['another version', invite().replace(/^v1/, 'v2')],
    ['the version in upper case', invite().replace(/^v1/, 'V1')],
    ['two parts', invite().split('.').slice(0, 2).join('.')],
    ['four parts', `${invite()}.x`],
    ['a padded MAC', `${invite()}=`],
    ['a short MAC', invite().slice(0, -1)],
    ['over 1,024 characters', `v1.${'A'.repeat(1021)}.${'A'.repeat(43)}`],
    ['characters outside base64url', invite().replace('.', '.+')],
  ])('refuses a token that is %s with reason "malformed"', (_case, token) => {
    // Prepare
    const options = { email: 'jane@example.com', secrets: [SECRET], now: during };

    // Act
    const result = verifyInvite(token, options);

    // Assess
    expect(result).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses a MAC spelled with non-zero padding bits, though it decodes to the right bytes', () => {
    // Prepare: the last of 43 characters carries 4 bits of MAC and 2 unused bits.
    const token = invite();
    const last = token.at(-1) ?? '';
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const twin = alphabet[alphabet.indexOf(last) + 1] ?? '';

    // Act
    const result = verifyInvite(`${token.slice(0, -1)}${twin}`, {
      email: 'jane@example.com',
      secrets: [SECRET],
      now: during,
    });

    // Assess
    expect(Buffer.from(twin, 'base64url')).toEqual(Buffer.from(last, 'base64url'));
    expect(result).toEqual({ ok: false, reason: 'malformed' });
  });

  it.each([
    ['a fractional exp', { ...validPayload, exp: validPayload.exp + 0.5 }],
    ['exp as a string', { ...validPayload, exp: String(validPayload.exp) }],
    ['a negative iat', { ...validPayload, iat: -1 }],
    ['iat after exp', { ...validPayload, iat: validPayload.exp + 1 }],
    ['no claims', { email: validPayload.email, exp: validPayload.exp, iat: validPayload.iat }],
    ['an unknown field', { ...validPayload, admin: true }],
    ['nested claims', { ...validPayload, claims: { group: { name: 'x' } } }],
    ['claims as an array', { ...validPayload, claims: ['a'] }],
    ['a claim key "__proto__"', { ...validPayload, claims: JSON.parse('{"__proto__":"x"}') }],
    ['an email not in its normal form', { ...validPayload, email: 'Jane@Example.com' }],
    ['an email that is not one', { ...validPayload, email: 'jane' }],
    ['a pool that is not a user pool id', { ...validPayload, pool: 'any pool' }],
    ['a pool that is not a string', { ...validPayload, pool: 7 }],
    ['a null pool', { ...validPayload, pool: null }],
    ['an array', [validPayload]],
  ])('refuses a correctly signed payload with %s as "malformed"', (_case, payload) => {
    // Prepare
    const token = signRaw(payload);

    // Act
    const result = verifyInvite(token, { email: 'jane@example.com', secrets: [SECRET], now: during });

    // Assess
    expect(result).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses a correctly signed payload that is not UTF-8 as "malformed"', () => {
    // Prepare
    const part = Buffer.from([0x7b, 0xff, 0x7d]).toString('base64url');
    const token = `v1.${part}.${createHmac('sha256', SECRET).update(`v1.${part}`).digest('base64url')}`;

    // Act
    const result = verifyInvite(token, { email: 'jane@example.com', secrets: [SECRET], now: during });

    // Assess
    expect(result).toEqual({ ok: false, reason: 'malformed' });
  });

  it('returns frozen claims', () => {
    // Prepare
    const token = invite({ claims: { tenant: 'acme' } });

    // Act
    const result = verifyInvite(token, { email: 'jane@example.com', secrets: [SECRET], now: during });

    // Assess
    expect(result.ok && Object.isFrozen(result.claims)).toBe(true);
  });

  it.each([
    ['no secrets', []],
    ['a short secret', ['short']],
    ['more than ten secrets', Array(11).fill(SECRET)],
  ])('throws an OptionsError when given %s (a configuration bug, not a user error)', (_case, secrets) => {
    // Prepare
    const token = invite();

    // Act
    const error = errorOf(OptionsError, () => verifyInvite(token, { email: 'jane@example.com', secrets }));

    // Assess
    expect(error.option).toBe('secrets');
    expect(error.message).not.toContain('short');
  });

  it('throws an OptionsError for a clock skew over an hour', () => {
    // Prepare
    const token = invite();

    // Act
    const error = errorOf(OptionsError, () =>
      verifyInvite(token, { email: 'jane@example.com', secrets: [SECRET], clockSkewSeconds: 3601 }),
    );

    // Assess
    expect(error).toMatchObject({ option: 'clockSkewSeconds', expected: 'a whole number from 0 to 3600' });
  });
});

describe('Shared: verifyInvite (properties)', () => {
  const addresses = fc.emailAddress().filter((email) => normalizeEmail(email) !== undefined);
  const respell = (email: string, flips: readonly boolean[]) =>
    Array.from(email, (char, index) =>
      flips[index % Math.max(1, flips.length)] ? char.toUpperCase() : char,
    ).join('');

  it('accepts a token for its own address in any letter case', () => {
    // Prepare
    const property = fc.property(
      addresses,
      fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
      (email, flips) => {
        const token = createInvite({ email, ttlSeconds: DAY, secret: SECRET, now: ISSUED });
        const result = verifyInvite(token, { email: respell(email, flips), secrets: [SECRET], now: during });
        return result.ok;
      },
    );

    // Act
    const act = () => fc.assert(property);

    // Assess
    expect(act).not.toThrow();
  });

  it('refuses a token for any other address', () => {
    // Prepare
    const property = fc.property(addresses, addresses, (invited, other) => {
      fc.pre(normalizeEmail(invited)?.address !== normalizeEmail(other)?.address);
      const token = createInvite({ email: invited, ttlSeconds: DAY, secret: SECRET, now: ISSUED });
      const result = verifyInvite(token, { email: other, secrets: [SECRET], now: during });
      return !result.ok && result.reason === 'email';
    });

    // Act
    const act = () => fc.assert(property);

    // Assess
    expect(act).not.toThrow();
  });

  it('refuses a token with any single character changed anywhere', () => {
    // Prepare
    const claims = fc.dictionary(
      fc.stringMatching(/^[a-z][a-z0-9:_-]{0,8}$/),
      fc.string({ maxLength: 20 }).filter((value) => !/\p{Cc}/u.test(value)),
      { maxKeys: 3 },
    );
    const property = fc.property(
      addresses,
      claims,
      fc.nat(),
      fc.oneof(
        fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.='),
        fc.string({ minLength: 1, maxLength: 1 }),
      ),
      (email, claimMap, position, replacement) => {
        const token = createInvite({ email, ttlSeconds: DAY, claims: claimMap, secret: SECRET, now: ISSUED });
        const index = position % token.length;
        fc.pre(token[index] !== replacement);
        const changed = `${token.slice(0, index)}${replacement}${token.slice(index + 1)}`;
        return !verifyInvite(changed, { email, secrets: [SECRET], now: during }).ok;
      },
    );

    // Act
    const act = () => fc.assert(property, { numRuns: 500 });

    // Assess
    expect(act).not.toThrow();
  });

  it('refuses a token at any time from its expiry plus the skew onwards', () => {
    // Prepare
    const property = fc.property(
      fc.integer({ min: 1, max: 10 * 365 * DAY }),
      fc.integer({ min: 0, max: 3600 }),
      fc.nat({ max: 100 * 365 * DAY }),
      (ttlSeconds, skew, after) => {
        const token = createInvite({ email: 'jane@example.com', ttlSeconds, secret: SECRET, now: ISSUED });
        const now = new Date(ISSUED.getTime() + (ttlSeconds + skew + after) * 1000);
        const result = verifyInvite(token, {
          email: 'jane@example.com',
          secrets: [SECRET],
          now,
          clockSkewSeconds: skew,
        });
        return !result.ok && result.reason === 'expired';
      },
    );

    // Act
    const act = () => fc.assert(property);

    // Assess
    expect(act).not.toThrow();
  });

  it('never throws and never accepts for any input, random or token-shaped', () => {
    // Prepare
    const b64 = fc.stringMatching(/^[A-Za-z0-9_-]{0,200}$/);
    const inputs = fc.oneof(
      fc.anything(),
      fc.string({ maxLength: 2000 }),
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.tuple(b64, b64).map(([payload, mac]) => `v1.${payload}.${mac}`),
      fc.tuple(b64, fc.stringMatching(/^[A-Za-z0-9_-]{43}$/)).map(([payload, mac]) => `v1.${payload}.${mac}`),
    );
    const emails = fc.oneof(fc.constant('jane@example.com'), fc.string(), addresses);
    const property = fc.property(inputs, emails, (token, email) => {
      return verifyInvite(token, { email, secrets: [SECRET], now: during }).ok === false;
    });

    // Act
    const act = () => fc.assert(property, { numRuns: 1000 });

    // Assess
    expect(act).not.toThrow();
  });
});
