import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAnonymizer, RECORDED_INVITE_SECRET } from '../../../local/anonymize.js';
import { normalizeEmail } from '../../../shared/email.js';
import { createInvite, verifyInvite } from '../../../shared/invite.js';
import { controlText, prototypeKeys } from '../../support/arbitraries.js';

const LIVE_SECRET = 'live-invite-secret-of-the-run-not-for-production-01';
const NOW = new Date('2026-03-01T12:00:00Z');

type Json = Record<string, unknown>;

/** A pre sign-up event as the local pipeline records it, with real-looking personal data. */
function signUpEvent(overrides: { request?: Json; userName?: string; userPoolId?: string } = {}): Json {
  return {
    version: '1',
    region: 'eu-west-1',
    userPoolId: overrides.userPoolId ?? 'eu-west-1_Ab12Cd34E',
    userName: overrides.userName ?? '6f1c2d3e-aaaa-4bbb-8ccc-1234567890ab',
    callerContext: { awsSdkVersion: 'aws-sdk-js-3.1169.0', clientId: '4real5client6id7abcdefghij' },
    triggerSource: 'PreSignUp_SignUp',
    request: {
      userAttributes: { email: 'maria.garcia@realcorp.com', name: 'Maria Garcia' },
      validationData: null,
      ...overrides.request,
    },
    response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  };
}

function requestOf(event: Json): Json {
  return event.request as Json;
}

/** Every string in a JSON value, keys included. */
function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => [key, ...stringsOf(item)]);
  }
  return [];
}

function invite(
  email: string,
  options: { secret?: string; ttlSeconds?: number; issued?: Date } = {},
): string {
  return createInvite({
    email,
    ttlSeconds: options.ttlSeconds ?? 3600,
    secret: options.secret ?? LIVE_SECRET,
    now: options.issued ?? NOW,
    claims: { team: 'spider-peter' },
  });
}

describe('Anonymizer: ClientMetadata and ValidationData', () => {
  it('replaces the values it does not know with fake-<key>-N', () => {
    // Prepare
    const anonymizer = createAnonymizer();
    const event = signUpEvent({
      request: {
        validationData: { source: 'confirm-peter' },
        clientMetadata: { referral: 'FRIEND-maria-77', note: 'admin-anna' },
      },
    });

    // Act
    const fake = requestOf(anonymizer.event(event));

    // Assess
    expect(fake.validationData).toEqual({ source: 'fake-source-1' });
    expect(fake.clientMetadata).toEqual({ referral: 'fake-referral-1', note: 'fake-note-1' });
  });

  it('keeps what the outcome needs and says nothing personal: locale, captcha token, booleans, configured values', () => {
    // Prepare
    const anonymizer = createAnonymizer({ configurationValues: ['beta-testers', 'newsletter', 'pro'] });
    const event = signUpEvent({
      request: {
        validationData: { captchaToken: 'pass.0x4AAAA-token' },
        clientMetadata: {
          locale: 'pt-BR',
          marketingConsent: 'true',
          plan: 'pro',
          groups: 'beta-testers, newsletter',
        },
      },
    });

    // Act
    const fake = requestOf(anonymizer.event(event));

    // Assess
    expect(fake.validationData).toEqual({ captchaToken: 'pass.0x4AAAA-token' });
    expect(fake.clientMetadata).toEqual({
      locale: 'pt-BR',
      marketingConsent: 'true',
      plan: 'pro',
      groups: 'beta-testers, newsletter',
    });
  });

  it('keeps a malformed captcha token or locale malformed, without its text', () => {
    // Prepare
    const anonymizer = createAnonymizer();
    const event = signUpEvent({
      request: {
        validationData: { captchaToken: 'maria garcia' },
        clientMetadata: { locale: 'maria-the-long-locale-that-is-no-tag!' },
      },
    });

    // Act
    const fake = requestOf(anonymizer.event(event));

    // Assess
    expect(fake.validationData).toEqual({ captchaToken: 'fake captchaToken 1' });
    expect((fake.clientMetadata as Json).locale).toMatch(/^fake locale 1x*$/);
  });

  it('keeps a redirect on an allowed origin with its path, and fakes its query and fragment', () => {
    // Prepare
    const anonymizer = createAnonymizer({ allowedRedirectOrigins: ['https://app.example.com'] });
    const event = signUpEvent({
      request: {
        clientMetadata: { redirectUri: 'https://app.example.com/welcome?who=maria&debug=true#anna' },
      },
    });

    // Act
    const fake = requestOf(anonymizer.event(event));

    // Assess
    expect((fake.clientMetadata as Json).redirectUri).toBe(
      'https://app.example.com/welcome?who=fake-who-1&debug=true#fake-fragment-1',
    );
  });

  it('turns a redirect no link would carry into one on an origin nobody allows', () => {
    // Prepare
    const anonymizer = createAnonymizer({ allowedRedirectOrigins: ['https://app.example.com'] });
    const event = signUpEvent({ request: { clientMetadata: { redirectUri: 'https://maria-blog.net/x' } } });

    // Act
    const fake = requestOf(anonymizer.event(event));

    // Assess
    expect((fake.clientMetadata as Json).redirectUri).toBe('https://redirect-1.invalid/');
  });

  it('keeps a map key named like an Object.prototype member as a key', () => {
    // Prepare
    const anonymizer = createAnonymizer();
    const event = signUpEvent({ request: { clientMetadata: JSON.parse('{"__proto__":"maria"}') } });

    // Act
    const fake = requestOf(anonymizer.event(event));

    // Assess
    expect(Object.hasOwn(fake.clientMetadata as object, '__proto__')).toBe(true);
    expect(JSON.stringify(fake.clientMetadata)).toBe('{"__proto__":"fake-__proto__-1"}');
  });
});

describe('Anonymizer: emails, ids and attributes', () => {
  it('keeps a domain a rule decides on and maps every other domain to a distinct example domain', () => {
    // Prepare
    const anonymizer = createAnonymizer({ domainRules: ['blocked.example', '*.blocked.example'] });
    const emails = [
      'a@realcorp.com',
      'b@Sub.Blocked.Example',
      'c@blocked.example',
      'd@dailybugle.com',
      'e@RealCorp.com',
    ];

    // Act
    const fakes = emails.map(
      (email) =>
        (
          requestOf(anonymizer.event(signUpEvent({ request: { userAttributes: { email } } })))
            .userAttributes as Json
        ).email,
    );

    // Assess
    expect(fakes).toEqual([
      'user1@example.com',
      'user2@Sub.Blocked.Example',
      'user3@blocked.example',
      'user4@example.org',
      'user5@example.com',
    ]);
  });

  it('never maps a domain onto one a rule decides on', () => {
    // Prepare
    const anonymizer = createAnonymizer({ domainRules: ['example.com', 'example.org'] });
    const event = signUpEvent({ request: { userAttributes: { email: 'jane@realcorp.com' } } });

    // Act
    const fake = requestOf(anonymizer.event(event));

    // Assess
    expect((fake.userAttributes as Json).email).toBe('user1@example.net');
  });

  it('keeps a throwaway domain only when the disposable list decides', () => {
    // Prepare
    const deciding = createAnonymizer({ keepDisposableDomains: true });
    const off = createAnonymizer();
    const event = signUpEvent({ request: { userAttributes: { email: 'x@mailinator.com' } } });

    // Act
    const kept = (requestOf(deciding.event(event)).userAttributes as Json).email;
    const mapped = (requestOf(off.event(event)).userAttributes as Json).email;

    // Assess
    expect(kept).toBe('user1@mailinator.com');
    expect(mapped).toBe('user1@example.com');
  });

  it('gives the pool id the EXAMPLE form in its Region and the client a fixed fake id', () => {
    // Prepare
    const anonymizer = createAnonymizer();

    // Act
    const fromPool = anonymizer.event(signUpEvent());
    const local = anonymizer.event<Json>({
      ...signUpEvent({ userPoolId: 'local_7CmTlPvy' }),
      region: 'us-east-1',
    });

    // Assess
    expect(fromPool.userPoolId).toBe('eu-west-1_EXAMPLE');
    expect(local.userPoolId).toBe('us-east-1_EXAMPLE2');
    expect(fromPool.callerContext).toEqual({
      awsSdkVersion: 'aws-sdk-js-3.1169.0',
      clientId: '1example23456789abcdefghij',
    });
  });

  it('keeps CLIENT_ID_NOT_APPLICABLE, the admin operations constant', () => {
    // Prepare
    const anonymizer = createAnonymizer();
    const event = {
      ...signUpEvent(),
      callerContext: { awsSdkVersion: 'x', clientId: 'CLIENT_ID_NOT_APPLICABLE' },
    };

    // Act
    const fake = anonymizer.event(event);

    // Assess
    expect(fake.callerContext).toEqual({ awsSdkVersion: 'x', clientId: 'CLIENT_ID_NOT_APPLICABLE' });
  });

  it('gives one real value one fake wherever it appears: userName, sub and email', () => {
    // Prepare
    const anonymizer = createAnonymizer();
    const sub = '6f1c2d3e-aaaa-4bbb-8ccc-1234567890ab';
    const confirmed = {
      ...signUpEvent({ userName: sub }),
      triggerSource: 'PostConfirmation_ConfirmSignUp',
      request: { userAttributes: { sub, email: 'maria.garcia@realcorp.com', email_verified: 'true' } },
      response: {},
    };

    // Act
    const first = anonymizer.event(signUpEvent({ userName: sub }));
    const second = anonymizer.event<Json>(confirmed);

    // Assess
    expect(first.userName).toBe('00000000-0000-4000-8000-000000000001');
    expect(second.userName).toBe(first.userName);
    expect(requestOf(second).userAttributes).toEqual({
      sub: first.userName,
      email: 'user1@example.com',
      email_verified: 'true',
    });
  });

  it('keeps malformed emails and phone numbers malformed, with their control characters', () => {
    // Prepare
    const anonymizer = createAnonymizer();
    const event = signUpEvent({
      request: { userAttributes: { email: 'maria\u0007@realcorp.com', phone_number: '0033 6 12 34 56 78' } },
    });

    // Act
    const attributes = requestOf(anonymizer.event(event)).userAttributes as Record<string, string>;

    // Assess
    expect(attributes.email).toBe('fake-email-1\u0007');
    expect(attributes.phone_number).toBe('fake-phone-1');
  });

  it('gives a valid phone number a valid 555 number', () => {
    // Prepare
    const anonymizer = createAnonymizer();
    const event = signUpEvent({ request: { userAttributes: { phone_number: '+33612345678' } } });

    // Act
    const attributes = requestOf(anonymizer.event(event)).userAttributes as Record<string, string>;

    // Assess
    expect(attributes.phone_number).toBe('+15555550101');
  });

  it('fakes an attribute so that its ATTRIBUTE_PATTERNS entry judges it as it judged the real value', () => {
    // Prepare
    const anonymizer = createAnonymizer({
      attributePatterns: { 'custom:tenant': /[a-z0-9-]{1,32}/u, 'custom:zip': /\d{5}/u },
    });
    const event = signUpEvent({
      request: {
        userAttributes: { email: 'a@b.example', 'custom:tenant': 'realcorp', 'custom:zip': '7501' },
      },
    });

    // Act
    const attributes = requestOf(anonymizer.event(event)).userAttributes as Record<string, string>;

    // Assess
    expect(attributes['custom:tenant']).toMatch(/^[a-z0-9-]{1,32}$/);
    expect(attributes['custom:tenant']).not.toBe('realcorp');
    expect(attributes['custom:zip']).not.toMatch(/^\d{5}$/);
    expect(attributes['custom:zip']).not.toBe('7501');
  });
});

describe('Anonymizer: invites', () => {
  function invitedEvent(token: string, email = 'Peter.Parker@dailybugle.com'): Json {
    return signUpEvent({ request: { userAttributes: { email }, validationData: { invite: token } } });
  }

  function fakeInviteOf(event: Json, secrets = [LIVE_SECRET]): { token: string; email: string } {
    const anonymizer = createAnonymizer({ inviteSecrets: secrets, now: () => NOW });
    const request = requestOf(anonymizer.event(event));
    return {
      token: (request.validationData as Record<string, string>).invite ?? '',
      email: (request.userAttributes as Record<string, string>).email ?? '',
    };
  }

  it('signs a valid invite again for the fake address with the recording secret, valid until 2099', () => {
    // Prepare
    const event = invitedEvent(invite('peter.parker@dailybugle.com'));

    // Act
    const fake = fakeInviteOf(event);
    const verdict = verifyInvite(fake.token, {
      email: fake.email,
      secrets: [RECORDED_INVITE_SECRET],
      now: new Date('2099-06-01T00:00:00Z'),
    });

    // Assess
    expect(verdict).toMatchObject({ ok: true, email: 'user1@example.com', claims: { team: 'fake-team-1' } });
    expect(fake.token).not.toContain(Buffer.from('peter').toString('base64url').slice(0, 6));
  });

  it.each([
    [
      'forged',
      () => invite('peter.parker@dailybugle.com', { secret: 'someone-else-secret-0000000000000000' }),
      'signature',
    ],
    [
      'expired',
      () => invite('peter.parker@dailybugle.com', { issued: new Date('2025-01-01T00:00:00Z') }),
      'expired',
    ],
    ['for another address', () => invite('mary.jane@dailybugle.com'), 'email'],
  ])('keeps a %s invite refused for the same reason', (_title, token, reason) => {
    // Prepare
    const event = invitedEvent(token());

    // Act
    const fake = fakeInviteOf(event);
    const verdict = verifyInvite(fake.token, {
      email: fake.email,
      secrets: [RECORDED_INVITE_SECRET],
      now: NOW,
    });

    // Assess
    expect(verdict).toEqual({ ok: false, reason });
  });

  it.each([
    ['a token of the invite alphabet', 'peter-parker-invite', /^fake-invite-1$/],
    ['a value outside it', 'peter parker', /^fake invite 1$/],
  ])(
    'turns a malformed invite, %s, into a malformed fake of the same alphabet',
    (_title, token, expected) => {
      // Prepare
      const event = invitedEvent(token);

      // Act
      const fake = fakeInviteOf(event);

      // Assess
      expect(fake.token).toMatch(expected);
    },
  );
});

describe('Anonymizer: outcomes', () => {
  it('replaces the real values in message texts, as typed, URL-encoded and HTML-escaped', () => {
    // Prepare
    const anonymizer = createAnonymizer();
    anonymizer.event(
      signUpEvent({
        userName: 'maria.garcia@realcorp.com',
        request: { userAttributes: { email: 'maria.garcia@realcorp.com', name: "Maria O'Hara" } },
      }),
    );
    const outcome = {
      outcome: 'success',
      response: {
        emailMessage: `<p>Hello Maria O&#39;Hara</p><a href="https://app/confirm?username=${encodeURIComponent('maria.garcia@realcorp.com')}&code={####}">`,
        smsMessage: "Maria O'Hara, your code is {####}. Also: maria.garcia@realcorp.com",
      },
    };

    // Act
    const fake = anonymizer.value(outcome);

    // Assess
    expect(fake.response).toEqual({
      emailMessage:
        '<p>Hello Test User 1</p><a href="https://app/confirm?username=user1%40example.com&code={####}">',
      smsMessage: 'Test User 1, your code is {####}. Also: user1@example.com',
    });
  });
});

// Values a property run puts everywhere: each carries a marker no fake, key or fixed value contains.
const secretValue = fc
  .tuple(
    fc.stringMatching(/^[a-z0-9]{6,10}$/),
    fc.oneof(fc.constant(''), controlText({ maxLength: 8 }), fc.string({ maxLength: 12 })),
  )
  .map(([id, tail]) => `PII#${id}${tail}`);
const metadataKey = fc.oneof(
  fc.constantFrom(
    'referral',
    'note',
    'source',
    'locale',
    'captchaToken',
    'invite',
    'redirectUri',
    'groups',
    'plan',
  ),
  fc.constantFrom(...prototypeKeys),
  fc.stringMatching(/^[a-z][a-zA-Z]{0,12}$/),
);
const metadataMap = fc.dictionary(metadataKey, secretValue, { maxKeys: 6 });
const attributeName = fc.constantFrom(
  ...prototypeKeys,
  'name',
  'given_name',
  'family_name',
  'nickname',
  'address',
  'custom:tenant',
  'custom:company',
  'zoneinfo',
  'gender',
);
const secretEmail = fc
  .tuple(fc.stringMatching(/^[a-z0-9]{6,10}$/), fc.stringMatching(/^[a-z0-9]{6,10}$/))
  .map(([local, domain]) => `pii${local}@pii${domain}.com`);

describe('Anonymizer: properties', () => {
  it('lets no value that is not allowlisted into the output, however the maps and attributes look', () => {
    fc.assert(
      fc.property(
        metadataMap,
        metadataMap,
        fc.dictionary(attributeName, secretValue, { maxKeys: 5 }),
        secretEmail,
        (clientMetadata, validationData, attributes, email) => {
          // Prepare
          const anonymizer = createAnonymizer({ configurationValues: ['beta-testers', 'pro'] });
          const event = signUpEvent({
            userName: email,
            request: { userAttributes: { ...attributes, email }, clientMetadata, validationData },
          });
          const secrets = [
            ...Object.values(clientMetadata),
            ...Object.values(validationData),
            ...Object.values(attributes),
          ]
            .map((value) => /^PII#[a-z0-9]+/.exec(value)?.[0] ?? value)
            .concat([email, email.slice(0, email.indexOf('@')), email.slice(email.indexOf('@') + 1)]);

          // Act
          const strings = stringsOf(anonymizer.event(event));

          // Assess
          for (const secret of secrets) {
            expect(strings.filter((text) => text.includes(secret))).toEqual([]);
          }
        },
      ),
    );
  });

  it('gives the same input the same fakes, in one anonymizer and in another fed the same way', () => {
    fc.assert(
      fc.property(metadataMap, secretEmail, (clientMetadata, email) => {
        // Prepare
        const event = signUpEvent({ request: { userAttributes: { email }, clientMetadata } });
        const one = createAnonymizer();
        const other = createAnonymizer();

        // Act
        const first = one.event(event);
        const again = one.event(event);
        const elsewhere = other.event(event);

        // Assess
        expect(again).toEqual(first);
        expect(elsewhere).toEqual(first);
      }),
    );
  });

  it('gives distinct values distinct fakes: metadata under one key, emails, attributes', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(secretValue, { minLength: 2, maxLength: 8 }),
        fc.uniqueArray(secretEmail, {
          minLength: 2,
          maxLength: 8,
          selector: (email) => normalizeEmail(email)?.address,
        }),
        (values, emails) => {
          // Prepare
          const anonymizer = createAnonymizer();

          // Act
          const fakes = values.map(
            (value) =>
              (
                requestOf(anonymizer.event(signUpEvent({ request: { clientMetadata: { note: value } } })))
                  .clientMetadata as Json
              ).note,
          );
          const names = values.map(
            (value) =>
              (
                requestOf(anonymizer.event(signUpEvent({ request: { userAttributes: { name: value } } })))
                  .userAttributes as Json
              ).name,
          );
          const addresses = emails.map(
            (email) =>
              (
                requestOf(anonymizer.event(signUpEvent({ request: { userAttributes: { email } } })))
                  .userAttributes as Json
              ).email,
          );

          // Assess
          expect(new Set(fakes).size).toBe(values.length);
          expect(new Set(names).size).toBe(values.length);
          expect(new Set(addresses).size).toBe(emails.length);
        },
      ),
    );
  });

  it('keeps an email valid exactly when it was, and a phone number E.164 exactly when it was', () => {
    fc.assert(
      fc.property(
        fc.oneof(secretEmail, controlText(), fc.string({ maxLength: 40 }), fc.constant(' jane@example.com')),
        fc.oneof(fc.stringMatching(/^\+[1-9]\d{1,14}$/), fc.string({ maxLength: 20 })),
        (email, phone) => {
          // Prepare
          const anonymizer = createAnonymizer();
          const event = signUpEvent({ request: { userAttributes: { email, phone_number: phone } } });
          const sane = (value: string) =>
            !/\s/u.test(value) && !/\p{Cc}/u.test(value) && normalizeEmail(value) !== undefined;
          const e164 = (value: string) => /^\+[1-9]\d{1,14}$/.test(value);

          // Act
          const attributes = requestOf(anonymizer.event(event)).userAttributes as Record<string, string>;

          // Assess
          if (email.trim() !== '') expect(sane(attributes.email ?? '')).toBe(sane(email));
          if (phone.trim() !== '') expect(e164(attributes.phone_number ?? '')).toBe(e164(phone));
        },
      ),
    );
  });
});
