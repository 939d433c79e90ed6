/**
 * fast-check arbitraries for what an unauthenticated caller can put into an event: any Unicode, control and
 * format characters, lone surrogates, values past the model's limits, and map keys that name
 * `Object.prototype` members. Property tests compose these with the values their rule cares about.
 */
import fc from 'fast-check';
import type { StringMap } from '../../shared/event-types.js';

/** The largest attribute value and ValidationData value the service model allows (contract §5). */
export const valueLimit = 2048;

/** Keys that name `Object.prototype` members: code that indexes a plain object with them misreads or pollutes. */
export const prototypeKeys = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'] as const;

/** Short values that trip naive checks: empty, blank, NUL, an embedded line break. */
export const awkwardStrings = ['', ' ', '\u0000', 'a\nb'] as const;

/** Any text: UTF-16 code units (so lone surrogates), code points, and multi-code-point graphemes. */
export function anyText(constraints: { maxLength?: number } = {}) {
  return fc.oneof(
    fc.string(constraints),
    fc.string({ unit: 'binary', ...constraints }),
    fc.string({ unit: 'grapheme', ...constraints }),
  );
}

/**
 * Text made mostly of control, format and bidirectional characters (NUL, ESC, DEL, NEL, zero-width space,
 * RLO, BOM, lone surrogates) with a few ordinary ones between them.
 */
export function controlText(constraints: { maxLength?: number } = {}) {
  return fc.string({
    unit: fc.constantFrom(
      '\u0000',
      '\u0001',
      '\u0007',
      '\t',
      '\n',
      '\r',
      '\u001b',
      '\u007f',
      '\u0085',
      '\u200b',
      '\u202e',
      '\u2066',
      '\ufeff',
      '\ud800',
      '\udfff',
      'a',
      '@',
      '.',
      ' ',
    ),
    maxLength: constraints.maxLength ?? 30,
  });
}

/** Text longer than `limit` (up to 10,000 characters), repeating a short run of any code units. */
export function oversizedText(limit: number = valueLimit) {
  return fc
    .tuple(
      fc.string({ unit: 'binary', minLength: 1, maxLength: 4 }),
      fc.integer({ min: limit + 1, max: Math.max(limit + 1, 10_000) }),
    )
    .map(([run, length]) => run.repeat(length).slice(0, length));
}

/** Whatever a hostile caller may send as a value: any text, control characters, or an oversized value. */
export function hostileText(constraints: { maxLength?: number } = {}) {
  return fc.oneof(anyText(constraints), controlText(constraints), oversizedText());
}

/** A map key: one the rule reads (`named`), a prototype member, or any short string. */
export function mapKey(...named: string[]) {
  return fc.oneof(fc.constantFrom(...named, ...prototypeKeys), fc.string({ maxLength: 40 }));
}

/**
 * A string map as Lambda decodes the event: `JSON.parse` makes `__proto__` an own key, never the prototype,
 * and a later entry wins over an earlier one with the same key. Entries without a value are left out.
 */
export function mapOf(entries: readonly (readonly [string, string | undefined])[]): StringMap {
  const members = entries.flatMap(([key, value]) =>
    value === undefined ? [] : [`${JSON.stringify(key)}:${JSON.stringify(value)}`],
  );
  return JSON.parse(`{${members.join(',')}}`) as StringMap;
}

/** A string map of `key` to `value` entries, built as {@link mapOf} builds it. */
export function stringMap(
  key: fc.Arbitrary<string>,
  value: fc.Arbitrary<string>,
  constraints: { maxKeys?: number } = {},
) {
  return fc.array(fc.tuple(key, value), { maxLength: constraints.maxKeys ?? 10 }).map(mapOf);
}

/**
 * An email attribute as a caller may send it: an address at `domain`, any text, a grapheme local part at
 * `domain`, or a degenerate value (empty, a lone `@`, a value at the length limit, a prototype key, and the
 * `extremes` given).
 */
export function hostileEmail(domain: fc.Arbitrary<string> = fc.domain(), ...extremes: string[]) {
  return fc.oneof(
    fc
      .tuple(fc.emailAddress(), domain)
      .map(([address, host]) => `${address.slice(0, address.lastIndexOf('@'))}@${host}`),
    fc.string({ unit: 'binary' }),
    fc.tuple(fc.string({ unit: 'grapheme' }), domain).map(([local, host]) => `${local}@${host}`),
    fc.constantFrom('', '@', 'x'.repeat(valueLimit), '__proto__', ...extremes),
  );
}

/**
 * Pieces an attacker strings together to smuggle a Cognito placeholder or a link into a genuine message
 * (docs/cognito-contract.md §3a): braces and their look-alikes, `#`, placeholder words, zero-width and other
 * invisible characters to put between them, and URL, host and markup fragments around a marker host
 * `evil.example`.
 */
export const injectionPieces = [
  '{',
  '}',
  '#',
  '##',
  '####',
  '{####}',
  '{##',
  '##}',
  'Click Here',
  'username',
  '{username}',
  '\uFF5B',
  '\uFF5D',
  '\uFE5B',
  '\uFE5C',
  '\uFE37',
  '\uFE38',
  '\u200B',
  '\u200C',
  '\u200D',
  '\u2060',
  '\uFEFF',
  '\u00AD',
  '\u202E',
  'https://',
  'http://',
  'www.',
  'evil',
  '.',
  '\u3002',
  '\uFF0E',
  '\uFF61',
  'example',
  '/',
  ':',
  '@',
  ' ',
  'Ann',
  'é',
  '<a href="',
  '">',
  '&',
  '%7B',
  'javascript:',
  '0',
  '5',
] as const;

/** Text assembled from {@link injectionPieces}, or any hostile text. */
export function injectionText() {
  return fc.oneof(
    fc.array(fc.constantFrom(...injectionPieces), { maxLength: 24 }).map((pieces) => pieces.join('')),
    hostileText({ maxLength: 80 }),
  );
}
