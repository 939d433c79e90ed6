import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  domainMatches,
  domainReadingsOf,
  EmailLimits,
  normalizeDomain,
  normalizeDomainEntry,
  normalizeEmail,
} from '../../../shared/email.js';
import { anyText } from '../../support/arbitraries.js';

// Longest valid forms: 63-character labels, a 253-character domain, a 254-character address.
const label63 = 'a'.repeat(63);
const domain253 = `${label63}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.com`;
const address254 = `${'x'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.com`;

describe('Shared: normalizeEmail', () => {
  it('splits an address into its lower-case parts', () => {
    // Prepare
    const raw = 'Jane.Doe+News@Example.COM';

    // Act
    const normalized = normalizeEmail(raw);

    // Assess
    expect(normalized).toEqual({
      address: 'jane.doe+news@example.com',
      local: 'jane.doe+news',
      domain: 'example.com',
      canonical: true,
    });
  });

  it.each([
    ['upper case', 'JANE@EXAMPLE.COM'],
    ['an IDN domain', 'Jane@Bücher.example'],
    ['its punycode', 'jane@XN--BCHER-KVA.example'],
    ['an accented local part in NFC', 'jos\u00e9@example.com'],
  ])('calls an address spelled as its normal form reads canonical: %s', (_case, raw) => {
    // Act
    const normalized = normalizeEmail(raw);

    // Assess
    expect(normalized?.canonical).toBe(true);
  });

  it.each([
    ['a trailing dot', 'jane@example.com.', 'jane@example.com'],
    ['fullwidth letters in the domain', 'jane@\uff45xample.com', 'jane@example.com'],
    ['a variation selector IDNA deletes', 'jane@exam\ufe0fple.com', 'jane@example.com'],
    ['a combining grapheme joiner IDNA deletes', 'jane@exam\u034fple.com', 'jane@example.com'],
    ['a decomposed accent in the domain', 'jane@bu\u0308cher.example', 'jane@xn--bcher-kva.example'],
    ['a decomposed accent in the local part', 'jose\u0301@example.com', 'jos\u00e9@example.com'],
  ])(
    'normalises %s but calls it not canonical: Cognito stores it as another address',
    (_case, raw, address) => {
      // Act
      const normalized = normalizeEmail(raw);

      // Assess
      expect(normalized).toMatchObject({ address, canonical: false });
    },
  );

  it.each([
    ['a Unicode domain', 'jane@Bücher.example'],
    ['its punycode form', 'jane@xn--bcher-kva.example'],
    ['upper case and a trailing dot', 'JANE@BÜCHER.example.'],
  ])('gives %s the one normal form', (_label, raw) => {
    // Prepare (the raw address)

    // Act
    const normalized = normalizeEmail(raw);

    // Assess
    expect(normalized?.address).toBe('jane@xn--bcher-kva.example');
  });

  it('composes a decomposed local part (NFC), so both spellings are one address', () => {
    // Prepare
    const decomposed = 'jose\u0301@example.com';

    // Act
    const normalized = normalizeEmail(decomposed);

    // Assess
    expect(normalized?.local).toBe('jos\u00e9');
  });

  it.each([
    ['the longest address', address254],
    ['the longest local part', `${'x'.repeat(64)}@example.com`],
    ['the longest label', `alice@${label63}.example`],
    ['the atext symbols', "a!#$%&'*+/=?^_`{|}~-z@example.com"],
    ['dots between atoms', 'a.b.c@example.com'],
    ['a hyphen inside a label', 'alice@my-mail.example'],
  ])('accepts %s', (_label, raw) => {
    // Prepare (the raw address)

    // Act
    const normalized = normalizeEmail(raw);

    // Assess
    expect(normalized).toBeDefined();
  });

  it.each([
    ['an empty string', ''],
    ['an address over 254 characters', `x${address254}`],
    ['a local part over 64 characters', `${'x'.repeat(65)}@example.com`],
    ['a label over 63 characters', `alice@a${label63}.example`],
    ['no @', 'alice.example.com'],
    ['two @', 'alice@corp@example.com'],
    ['an empty local part', '@example.com'],
    ['an empty domain', 'alice@'],
    ['a quoted local part', '"alice smith"@example.com'],
    ['a leading dot in the local part', '.alice@example.com'],
    ['two dots in a row in the local part', 'alice..smith@example.com'],
    ['a trailing dot in the local part', 'alice.@example.com'],
    ['a single-label domain', 'alice@localhost'],
    ['an empty label', 'alice@example..com'],
    ['a label starting with a hyphen', 'alice@-mail.example.com'],
    ['a label ending with a hyphen', 'alice@mail-.example.com'],
    ['an underscore in the domain', 'alice@mail_box.example.com'],
    ['an IPv4 domain', 'alice@192.0.2.1'],
    ['an address literal', 'alice@[192.0.2.1]'],
    ['invalid punycode', 'alice@xn--a.example'],
    ['a NUL character', 'alice\u0000@example.com'],
  ])('refuses %s', (_label, raw) => {
    // Prepare (the raw address)

    // Act
    const normalized = normalizeEmail(raw);

    // Assess
    expect(normalized).toBeUndefined();
  });

  it('states the RFC 5321 bounds it enforces', () => {
    // Prepare (the exported constant)

    // Act
    const limits = EmailLimits;

    // Assess
    expect(limits).toEqual({ maxLength: 254, maxLocalLength: 64, maxLabelLength: 63 });
  });
});

describe('Shared: normalizeDomain', () => {
  it('returns the ASCII, lower-case form without the trailing dot', () => {
    // Prepare
    const raw = 'Bücher.Example.';

    // Act
    const domain = normalizeDomain(raw);

    // Assess
    expect(domain).toBe('xn--bcher-kva.example');
  });

  it('accepts a domain of 253 characters', () => {
    // Prepare (the longest domain)

    // Act
    const domain = normalizeDomain(domain253);

    // Assess
    expect(domain).toBe(domain253);
  });

  it.each([
    ['an empty string', ''],
    ['a lone dot', '.'],
    ['a top-level domain alone', 'com'],
    ['a domain over 253 characters', `a${domain253}`],
    ['two trailing dots', 'example.com..'],
    ['a leading dot', '.example.com'],
    ['a numeric top-level label', 'example.123'],
  ])('refuses %s', (_label, raw) => {
    // Prepare (the raw domain)

    // Act
    const domain = normalizeDomain(raw);

    // Assess
    expect(domain).toBeUndefined();
  });
});

describe('Shared: domainReadingsOf', () => {
  it.each([
    ['an ASCII domain', 'example.com', ['example.com']],
    ['an IDN without ß or ς', 'xn--bcher-kva.example', ['xn--bcher-kva.example']],
    [
      'a domain with ß: also its IDNA2003 reading with ss',
      'xn--strae-oqa.example',
      ['xn--strae-oqa.example', 'strasse.example'],
    ],
    [
      'a domain with final sigma (ελλάς): also its reading with σ',
      'xn--hxarsa0b.example',
      ['xn--hxarsa0b.example', 'xn--hxarsa5b.example'],
    ],
  ])('reads %s', (_case, domain, readings) => {
    // Act
    const read = domainReadingsOf(domain);

    // Assess
    expect(read).toEqual(readings);
  });
});

describe('Shared: domainMatches', () => {
  it.each([
    ['an exact entry matches its domain', 'example.com', 'example.com', true],
    ['an exact entry does not match a sub-domain', 'mail.example.com', 'example.com', false],
    ['a wildcard matches a sub-domain', 'mail.example.com', '*.example.com', true],
    ['a wildcard matches a deeper sub-domain', 'a.b.example.com', '*.example.com', true],
    ['a wildcard does not match the apex', 'example.com', '*.example.com', false],
    ['a wildcard does not match a look-alike suffix', 'badexample.com', '*.example.com', false],
    ['an exact entry does not match a look-alike suffix', 'badexample.com', 'example.com', false],
  ])('%s', (_label, domain, entry, expected) => {
    // Prepare (the normalised domain and entry)

    // Act
    const matched = domainMatches(domain, entry);

    // Assess
    expect(matched).toBe(expected);
  });
});

describe('Shared: normalizeDomainEntry', () => {
  it.each([
    ['a domain', 'Example.COM.', 'example.com'],
    ['a wildcard over an IDN', '*.Bücher.example.', '*.xn--bcher-kva.example'],
  ])('normalises %s', (_label, raw, expected) => {
    // Prepare (the raw entry)

    // Act
    const entry = normalizeDomainEntry(raw);

    // Assess
    expect(entry).toBe(expected);
  });

  it.each([
    ['a bare wildcard', '*'],
    ['a wildcard without a domain', '*.'],
    ['two wildcards', '*.*.example.com'],
    ['a wildcard without its dot', '*example.com'],
    ['a wildcard in the middle', 'mail.*.example.com'],
    ['a leading dot', '.example.com'],
    ['an address', 'alice@example.com'],
    ['a space inside', 'exa mple.com'],
    ['a URL', 'https://example.com'],
  ])('refuses %s', (_label, raw) => {
    // Prepare (the raw entry)

    // Act
    const entry = normalizeDomainEntry(raw);

    // Assess
    expect(entry).toBeUndefined();
  });
});

describe('Shared: email (property)', () => {
  const address = fc.oneof(
    fc.emailAddress(),
    fc
      .tuple(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }), fc.domain())
      .map(([l, d]) => `${l}@${d}`),
  );

  it('never throws, whatever the input', () => {
    // Prepare (any text)

    // Act
    const property = fc.property(anyText(), (raw) => {
      normalizeEmail(raw);
      normalizeDomain(raw);
      normalizeDomainEntry(raw);
      normalizeEmail(`${raw}@${raw}`);
      return true;
    });

    // Assess
    expect(() => fc.assert(property, { numRuns: 2000 })).not.toThrow();
  });

  it('gives a normal form that is ASCII-domained, bounded and stable under a second pass', () => {
    // Prepare (generated addresses)

    // Act
    const property = fc.property(address, (raw) => {
      const normalized = normalizeEmail(raw);
      if (normalized === undefined) return true;
      return (
        normalized.address === `${normalized.local}@${normalized.domain}` &&
        /^[a-z0-9-]+(?:\.[a-z0-9-]+)+$/.test(normalized.domain) &&
        normalized.domain.length <= 253 &&
        normalizeEmail(normalized.address)?.address === normalized.address
      );
    });

    // Assess
    expect(() => fc.assert(property, { numRuns: 2000 })).not.toThrow();
  });

  it('accepts every address fast-check considers valid, case-insensitively', () => {
    // Prepare (RFC-valid ASCII addresses)

    // Act
    const property = fc.property(fc.emailAddress(), (raw) => {
      const normalized = normalizeEmail(raw);
      return normalized !== undefined && normalizeEmail(raw.toUpperCase())?.address === normalized.address;
    });

    // Assess
    expect(() => fc.assert(property, { numRuns: 2000 })).not.toThrow();
  });

  it('matches a wildcard entry against every sub-domain and never the apex', () => {
    // Prepare
    const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?$/);

    // Act
    const property = fc.property(fc.domain(), label, (domain, sub) => {
      const entry = normalizeDomainEntry(`*.${domain}`);
      const apex = normalizeDomain(domain);
      if (entry === undefined || apex === undefined) return false;
      return domainMatches(`${sub}.${apex}`, entry) && !domainMatches(apex, entry);
    });

    // Assess
    expect(() => fc.assert(property, { numRuns: 1000 })).not.toThrow();
  });
});

describe('Shared: email (regressions)', () => {
  it.each([
    ['a percent-encoded domain', 'alice@ex%41mple.com'],
    ['a soft hyphen in the domain', 'alice@exa\u00admple.com'],
    ['a zero-width space in the domain', 'alice@exa\u200bmple.com'],
    ['a space after @', 'alice@ example.com'],
    ['a leading space', ' alice@example.com'],
    ['a trailing line feed', 'alice@example.com\n'],
    ['an ideographic full stop', 'alice@example\u3002com'],
  ])('refuses %s', (_label, raw) => {
    // Prepare (the raw address)

    // Act
    const normalized = normalizeEmail(raw);

    // Assess
    expect(normalized).toBeUndefined();
  });

  it.each([
    ['a Devanagari local part (combining vowel signs)', 'दीपक@example.com'],
    ['a Thai local part', 'สมชาย@example.com'],
    ['a dotted capital I, lower-cased with a combining dot', 'İ@example.com'],
  ])('accepts %s', (_label, raw) => {
    // Prepare (the raw address)

    // Act
    const normalized = normalizeEmail(raw);

    // Assess
    expect(normalized).toBeDefined();
  });

  it.each([
    ['*.xyz', '*.xyz'],
    ['*.рф', '*.xn--p1ai'],
  ])('normalises the top-level wildcard %s', (raw, expected) => {
    // Prepare (the raw entry)

    // Act
    const entry = normalizeDomainEntry(raw);

    // Assess
    expect(entry).toBe(expected);
  });

  it.each(['*.', '*.123', '*.*.com'])('still refuses the entry %s', (raw) => {
    // Prepare (the raw entry)

    // Act
    const entry = normalizeDomainEntry(raw);

    // Assess
    expect(entry).toBeUndefined();
  });
});
