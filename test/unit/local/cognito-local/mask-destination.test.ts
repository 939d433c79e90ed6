import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DeliveryMedium,
  maskDestination,
  withMaskedDestinations,
} from '../../../../local/cognito-local/mask-destination.js';
import { anyText, hostileEmail } from '../../../support/arbitraries.js';

/** The characters of a mask that come from the value (everything but the mask's own `*`, `@` and `+`). */
function keptOf(masked: string, mask: RegExp): string {
  return masked.replace(mask, '');
}

/** A phone number as a caller may store it: E.164, spaced or dashed, short, or any text. */
function anyPhone() {
  return fc.oneof(
    fc.stringMatching(/^\+[1-9]\d{7,14}$/),
    fc.stringMatching(/^\+\d{1,3}[ -]\d{2,4}[ -]\d{3,4}[ -]\d{3,4}$/),
    fc.stringMatching(/^\+?\d{0,7}$/),
    anyText({ maxLength: 40 }),
  );
}

describe('Cognito-local: maskDestination', () => {
  it.each([
    ['jane@example.com', DeliveryMedium.Email, 'j***@e***'],
    ['fid1@example.com', DeliveryMedium.Email, 'f***@e***'],
    ['a@b', DeliveryMedium.Email, 'a***@b***'],
    ['"odd@local"@example.org', DeliveryMedium.Email, '"***@e***'],
    ['no-at-sign', DeliveryMedium.Email, 'n***'],
    ['😀x@😀y.example', DeliveryMedium.Email, '😀***@😀***'],
    ['+14155554567', DeliveryMedium.Sms, '+********4567'],
    ['+44 20 7946 0958', DeliveryMedium.Sms, '+********0958'],
    ['+1234567', DeliveryMedium.Sms, '+********'],
  ])('masks %j sent by %s as %j', (value, medium, expected) => {
    // Prepare
    const destination = value;

    // Act
    const masked = maskDestination(destination, medium);

    // Assess
    expect(masked).toBe(expected);
  });

  it('keeps at most the first character of an email address’s local part and of its domain', () => {
    fc.assert(
      fc.property(hostileEmail(), (address) => {
        // Prepare
        const at = address.lastIndexOf('@');
        const [local, domain] = at < 0 ? [address, undefined] : [address.slice(0, at), address.slice(at + 1)];

        // Act
        const masked = maskDestination(address, DeliveryMedium.Email);

        // Assess
        const expectedLocal = Array.from(local)[0] ?? '';
        if (domain === undefined) {
          expect(masked).toBe(`${expectedLocal}***`);
        } else {
          expect(masked).toBe(`${expectedLocal}***@${Array.from(domain)[0] ?? ''}***`);
        }
      }),
    );
  });

  it('never shows two characters of a local part or of a domain in a row', () => {
    fc.assert(
      fc.property(fc.emailAddress(), (address) => {
        // Prepare
        const at = address.lastIndexOf('@');
        const local = address.slice(0, at);
        const domain = address.slice(at + 1);

        // Act
        const masked = maskDestination(address, DeliveryMedium.Email);

        // Assess
        const [maskedLocal = '', maskedDomain = ''] = masked.split('@');
        expect(keptOf(maskedLocal, /\*{3}$/)).toBe(local.slice(0, 1));
        expect(keptOf(maskedDomain, /\*{3}$/)).toBe(domain.slice(0, 1));
        for (const half of [local, domain]) {
          for (let index = 0; index + 2 <= half.length; index += 1) {
            const pair = half.slice(index, index + 2);
            if (!/[*@]/.test(pair)) expect(masked).not.toContain(pair);
          }
        }
      }),
    );
  });

  it('keeps no more of a phone number than its last four digits, and those only from eight digits on', () => {
    fc.assert(
      fc.property(anyPhone(), (phone) => {
        // Prepare
        const digits = phone.replace(/\D/g, '');

        // Act
        const masked = maskDestination(phone, DeliveryMedium.Sms);

        // Assess
        const kept = keptOf(masked, /^\+\*{8}/);
        expect(masked.startsWith('+********')).toBe(true);
        expect(kept).toBe(digits.length >= 8 ? digits.slice(-4) : '');
      }),
    );
  });

  it('masks a user id (no address at all) down to its first character', () => {
    fc.assert(
      fc.property(fc.uuid(), (id) => {
        // Prepare
        const value = id;

        // Act
        const masked = maskDestination(value, DeliveryMedium.Email);

        // Assess
        expect(masked).toBe(`${id.slice(0, 1)}***`);
      }),
    );
  });
});

describe('Cognito-local: withMaskedDestinations', () => {
  it('masks CodeDeliveryDetails and leaves the rest of the answer as it is', () => {
    // Prepare
    const answer = {
      UserConfirmed: false,
      UserSub: 'sub-1',
      CodeDeliveryDetails: {
        AttributeName: 'email',
        DeliveryMedium: 'EMAIL',
        Destination: 'jane@example.com',
      },
    };

    // Act
    const masked = withMaskedDestinations(answer);

    // Assess
    expect(masked).toEqual({
      UserConfirmed: false,
      UserSub: 'sub-1',
      CodeDeliveryDetails: { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'j***@e***' },
    });
    expect(answer.CodeDeliveryDetails.Destination).toBe('jane@example.com');
  });

  it('masks every entry of CodeDeliveryDetailsList', () => {
    // Prepare
    const answer = {
      CodeDeliveryDetailsList: [
        { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'jane@example.com' },
        { AttributeName: 'phone_number', DeliveryMedium: 'SMS', Destination: '+14155554567' },
      ],
    };

    // Act
    const masked = withMaskedDestinations(answer);

    // Assess
    expect(masked).toEqual({
      CodeDeliveryDetailsList: [
        { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'j***@e***' },
        { AttributeName: 'phone_number', DeliveryMedium: 'SMS', Destination: '+********4567' },
      ],
    });
  });

  it.each([
    ['an answer without details', { UserSub: 'sub-1' }],
    ['an empty answer', {}],
    ['no answer', undefined],
    ['details without a destination', { CodeDeliveryDetails: { AttributeName: 'email' } }],
  ])('returns %s unchanged', (_label, answer) => {
    // Prepare
    const given = structuredClone(answer);

    // Act
    const masked = withMaskedDestinations(given);

    // Assess
    expect(masked).toEqual(answer);
  });
});
