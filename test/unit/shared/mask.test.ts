import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskEmail, maskPhone, maskValue } from '../../../shared/mask.js';

describe('Shared: maskEmail', () => {
  it('keeps the first character and the domain only', () => {
    // Prepare
    const email = 'alice@example.com';

    // Act
    const masked = maskEmail(email);

    // Assess
    expect(masked).toBe('a***@example.com');
  });

  it('splits at the last @, so a quoted local part with an @ stays hidden', () => {
    // Prepare
    const email = '"bob@home"@example.com';

    // Act
    const masked = maskEmail(email);

    // Assess
    expect(masked).toBe('"***@example.com');
  });

  it('keeps a whole first code point, not half a surrogate pair', () => {
    // Prepare
    const email = '😀smile@example.com';

    // Act
    const masked = maskEmail(email);

    // Assess
    expect(masked).toBe('😀***@example.com');
  });

  it('cuts a domain longer than 255 characters', () => {
    // Prepare
    const domain = `${'d'.repeat(300)}.example.com`;

    // Act
    const masked = maskEmail(`alice@${domain}`);

    // Assess
    expect(masked).toBe(`a***@${'d'.repeat(255)}…`);
  });

  it.each([
    ['no @', 'alice.example.com'],
    ['nothing before the @', '@example.com'],
    ['nothing after the @', 'alice@'],
    ['the empty string', ''],
    ['a number', 42],
    ['null', null],
    ['undefined', undefined],
    ['an object', { email: 'alice@example.com' }],
  ])('answers *** for %s', (_label, value) => {
    // Prepare (nothing beyond the value)

    // Act
    const masked = maskEmail(value);

    // Assess
    expect(masked).toBe('***');
  });

  it('never shows the local part beyond its first character', () => {
    // Prepare
    const local = fc.string({ minLength: 2, maxLength: 64 }).filter((text) => !text.includes('@'));
    const secret = local.map((text) => `§${text}§`);

    // Act
    const property = fc.property(secret, fc.domain(), (localPart, domain) => {
      const masked = maskEmail(`${localPart}@${domain}`);
      return masked === `§***@${domain}` && !masked.includes(localPart.slice(1));
    });

    // Assess
    expect(() => fc.assert(property)).not.toThrow();
  });
});

describe('Shared: maskPhone', () => {
  it('keeps only the last two digits', () => {
    // Prepare
    const phone = '+15555550123';

    // Act
    const masked = maskPhone(phone);

    // Assess
    expect(masked).toBe('***23');
  });

  it('reads digits through separators', () => {
    // Prepare
    const phone = '+1 (555) 555-01 98';

    // Act
    const masked = maskPhone(phone);

    // Assess
    expect(masked).toBe('***98');
  });

  it.each([
    ['fewer than six digits', '+12345'],
    ['no digits', 'call me'],
    ['the empty string', ''],
    ['a number', 15555550123],
    ['null', null],
  ])('answers *** for %s', (_label, value) => {
    // Prepare (nothing beyond the value)

    // Act
    const masked = maskPhone(value);

    // Assess
    expect(masked).toBe('***');
  });

  it('never shows more than two digits of any input', () => {
    // Prepare
    const anything = fc.oneof(fc.string(), fc.stringMatching(/^\+?[0-9 ()-]{0,20}$/));

    // Act
    const property = fc.property(anything, (phone) => maskPhone(phone).replace(/\D/g, '').length <= 2);

    // Assess
    expect(() => fc.assert(property)).not.toThrow();
  });
});

describe('Shared: maskValue', () => {
  it('shows only the length of a string', () => {
    // Prepare
    const value = 'invite-code-123';

    // Act
    const masked = maskValue(value);

    // Assess
    expect(masked).toBe('***(15)');
  });

  it.each([
    ['a number', 7],
    ['null', null],
    ['an object', { a: 'b' }],
  ])('answers *** for %s', (_label, value) => {
    // Prepare (nothing beyond the value)

    // Act
    const masked = maskValue(value);

    // Assess
    expect(masked).toBe('***');
  });
});
