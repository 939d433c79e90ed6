import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CALLING_CODE_PREFIXES,
  CALLING_CODES,
  callingCodeOf,
  countryAllowList,
  isE164,
  KNOWN_REGIONS,
  regionOf,
  SHARED_CODE_REGIONS,
} from '../../../../shared/custom-sender/sms-countries.js';
import { OptionsError } from '../../../../shared/options.js';
import { errorOf } from '../../../support/outcomes.js';

/** An E.164 number: `+`, a first digit 1-9, then 6 to 14 digits. */
const e164 = fc
  .tuple(
    fc.integer({ min: 1, max: 9 }),
    fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 6, maxLength: 14 }),
  )
  .map(([first, rest]) => `+${first}${rest}`);

describe('Shared: isE164', () => {
  it.each([
    ['+14155550123', true],
    ['+447700900123', true],
    ['+6834002', true],
    ['+123456789012345', true],
    ['+1234567890123456', false],
    ['+683400', false],
    ['14155550123', false],
    ['+04155550123', false],
    ['+1 415 555 0123', false],
    ['+1-415-555-0123', false],
    ['+1415555012３', false],
    [' +14155550123', false],
    ['+14155550123\n', false],
    ['', false],
    [14155550123, false],
    [null, false],
  ])('says %j is %s', (value, expected) => {
    // Prepare (the value above)

    // Act
    const valid = isE164(value);

    // Assess
    expect(valid).toBe(expected);
  });

  it('accepts every number of 7 to 15 ASCII digits after a + and a non-zero digit', () => {
    // Prepare (the arbitrary)

    // Act & Assess
    fc.assert(
      fc.property(e164, (phone) => {
        expect(isE164(phone)).toBe(true);
      }),
    );
  });

  it('refuses any string with a character other than the leading + and ASCII digits', () => {
    // Prepare
    const tainted = fc
      .tuple(
        e164,
        fc.nat(),
        fc.string({ minLength: 1, maxLength: 3 }).filter((text) => /[^0-9]/.test(text)),
      )
      .map(([phone, at, extra]) => {
        const cut = 1 + (at % phone.length);
        return phone.slice(0, cut) + extra + phone.slice(cut);
      });

    // Act & Assess
    fc.assert(
      fc.property(tainted, (phone) => {
        expect(isE164(phone)).toBe(false);
      }),
    );
  });
});

describe('Shared: callingCodeOf and regionOf', () => {
  it.each([
    ['+14155550123', '1', 'US'],
    ['+18005550123', '1', 'US'],
    ['+12045550123', '1', 'CA'],
    ['+14165550123', '1', 'CA'],
    ['+18765550123', '1', 'JM'],
    ['+17875550123', '1', 'PR'],
    ['+18095550123', '1', 'DO'],
    ['+74951234567', '7', 'RU'],
    ['+77011234567', '7', 'KZ'],
    ['+390669812345', '39', 'VA'],
    ['+390612345678', '39', 'IT'],
    ['+447700900123', '44', 'GB'],
    ['+441624123456', '44', 'IM'],
    ['+447924123456', '44', 'IM'],
    ['+447781123456', '44', 'GG'],
    ['+447911112345', '44', 'GG'],
    ['+441481234567', '44', 'GG'],
    ['+447797123456', '44', 'JE'],
    ['+447700312345', '44', 'JE'],
    ['+441534123456', '44', 'JE'],
    ['+447911212345', '44', 'GB'],
    ['+358181234567', '358', 'AX'],
    ['+358401234567', '358', 'FI'],
    ['+59971234567', '599', 'BQ'],
    ['+59991234567', '599', 'CW'],
    ['+4779123456', '47', 'SJ'],
    ['+4791234567', '47', 'NO'],
    ['+29081234', '290', 'TA'],
    ['+2025551234', '20', 'EG'],
    ['+8821234567890', '882', undefined],
    ['+9991234567', undefined, undefined],
  ])('reads %s as calling code %s, region %s', (phone, code, region) => {
    // Prepare (the number above)

    // Act
    const found = { code: callingCodeOf(phone), region: regionOf(phone) };

    // Assess
    expect(found).toEqual({ code, region });
  });

  it('has a well-formed table: digit prefixes, ISO regions, none listed twice', () => {
    // Prepare
    const pairs = CALLING_CODE_PREFIXES.trim().split(/\s+/);

    // Act
    const prefixes = pairs.map((pair) => pair.split(':')[0]);

    // Assess
    expect(pairs.every((pair) => /^[1-9]\d{0,6}:[A-Z]{2}$/.test(pair))).toBe(true);
    expect(new Set(prefixes).size).toBe(prefixes.length);
    expect(Object.keys(SHARED_CODE_REGIONS).some((region) => KNOWN_REGIONS.has(region))).toBe(false);
    expect([...CALLING_CODES].every((code) => /^[1-9]\d{0,2}$/.test(code))).toBe(true);
  });

  it('keeps calling codes prefix-free, so a number has at most one', () => {
    // Prepare
    const codes = [...CALLING_CODES];

    // Act
    const clashes = codes.filter((code) => codes.some((other) => other !== code && code.startsWith(other)));

    // Assess
    expect(clashes).toEqual([]);
  });

  it('gives every number a region whose table prefix starts with its calling code', () => {
    // Prepare (the arbitrary)

    // Act & Assess
    fc.assert(
      fc.property(e164, (phone) => {
        const code = callingCodeOf(phone);
        const region = regionOf(phone);
        if (region !== undefined) expect(code).toBeDefined();
        if (code !== undefined) expect(phone.startsWith(`+${code}`)).toBe(true);
      }),
    );
  });
});

describe('Shared: countryAllowList', () => {
  it('allows the listed regions only: US is not Jamaica or Canada, though all three are +1', () => {
    // Prepare
    const allowList = countryAllowList(['US', 'gb']);

    // Act
    const allowed = ['+14155550123', '+18765550123', '+12045550123', '+447700900123', '+33612345678'].map(
      (phone) => allowList.allows(phone),
    );

    // Assess
    expect(allowed).toEqual([true, false, false, true, false]);
    expect(allowList.entries).toEqual(['US', 'GB']);
  });

  it('tells the Crown Dependencies from GB: GB allows no Guernsey or Jersey mobile, GG and JE allow their own', () => {
    // Prepare: Guernsey, Jersey and Isle of Man mobiles, then a UK one
    const phones = ['+447781123456', '+447797123456', '+447624123456', '+447700900123'];

    // Act
    const allowed = (entries: string[]) => phones.map((phone) => countryAllowList(entries).allows(phone));

    // Assess
    expect({ gb: allowed(['GB']), crown: allowed(['GG', 'JE', 'IM']), all: allowed(['+44']) }).toEqual({
      gb: [false, false, false, true],
      crown: [true, true, true, false],
      all: [true, true, true, true],
    });
  });

  it('allows by calling code or longer prefix, with or without the +', () => {
    // Prepare
    const allowList = countryAllowList(['+1', '4420']);

    // Act
    const allowed = ['+18765550123', '+12045550123', '+442071234567', '+447700900123'].map((phone) =>
      allowList.allows(phone),
    );

    // Assess
    expect(allowed).toEqual([true, true, true, false]);
    expect(allowList.entries).toEqual(['+1', '+4420']);
  });

  it('allows a non-geographic code only when listed by code', () => {
    // Prepare
    const regions = countryAllowList(['US', 'GB', 'DE']);
    const byCode = countryAllowList(['+882']);

    // Act
    const allowed = [regions.allows('+8821234567890'), byCode.allows('+8821234567890')];

    // Assess
    expect(allowed).toEqual([false, true]);
  });

  it('allows every E.164 number with * alone, and nothing that is not one', () => {
    // Prepare
    const allowList = countryAllowList(['*']);

    // Act
    const allowed = [allowList.allows('+9991234567'), allowList.allows('0044 20 7123 4567')];

    // Assess
    expect(allowed).toEqual([true, false]);
  });

  it('never allows a number whose region or prefix is not listed (property)', () => {
    // Prepare
    const regions = fc.uniqueArray(fc.constantFrom(...KNOWN_REGIONS), { minLength: 1, maxLength: 5 });

    // Act & Assess
    fc.assert(
      fc.property(regions, e164, (listed, phone) => {
        const allowList = countryAllowList(listed);
        const region = regionOf(phone);
        expect(allowList.allows(phone)).toBe(region !== undefined && listed.includes(region));
      }),
    );
  });

  it.each([
    ['an empty list', [], 'a list of calling codes'],
    ['a prefix of no calling code (+4 would allow forty countries)', ['+4'], 'entry 1'],
    ['an unassigned code', ['US', '+999'], 'entry 2'],
    ['a region that shares its code', ['YT'], 'list +262 instead'],
    ['an unknown region', ['ZZ'], 'entry 1'],
    ['a three-letter region', ['USA'], 'entry 1'],
    ['* with other entries', ['*', 'US'], 'cannot be combined'],
    ['a prefix too long to be one', ['+12345678'], 'entry 1'],
  ])('refuses %s, naming the option', (_label, entries, says) => {
    // Prepare (the entries above)

    // Act
    const error = errorOf(OptionsError, () => countryAllowList(entries, 'allowedCountries'));

    // Assess
    expect(error.option).toBe('allowedCountries');
    expect(error.expected).toContain(says);
  });
});
