/**
 * What a fake keeps of the real value's shape, so the rules judge the fake as they judged the real value: a
 * control character, a length past the shortest bound the triggers check, the classes of its characters.
 */

/** What the attribute and metadata rules refuse as a control character (the wider set of the two). */
export const CONTROL = /[\p{Cc}\p{Cs}\u202A-\u202E\u2066-\u2069]/u;
// Values up to this length keep their fake's own length: no bound the triggers check is that short.
const PADDED_FROM = 32;
// A BCP 47 tag's shape as custom message reads ClientMetadata `locale` (negotiate-locale.ts).
const LOCALE_TAG = /^[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*$/;
const LOCALE_MAX_LENGTH = 35;

/** Whether `value` is `true` or `false` as text: says nothing about a person. */
export function isBooleanText(value: string): boolean {
  return value === 'true' || value === 'false';
}

/** Whether `value` is a language tag custom message would read: says nothing about a person. */
export function isLocaleTag(value: string): boolean {
  return value.length <= LOCALE_MAX_LENGTH && LOCALE_TAG.test(value);
}

/** A key as part of a fake value: letters, digits, `_` and `-` only. */
export function safeKeyOf(key: string): string {
  const safe = key.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 32);
  return /[A-Za-z0-9]/.test(safe) ? safe : 'value';
}

/**
 * `fake` made to look like `real` to the rules: a control character of the real value is kept (one), and a
 * long real value keeps its length (padded with `x`), so a length bound decides the same.
 */
export function fitted(fake: string, real: string): string {
  const control = CONTROL.exec(real)?.[0] ?? '';
  const padding = real.length > PADDED_FROM ? Math.max(0, real.length - fake.length - control.length) : 0;
  return `${fake}${'x'.repeat(padding)}${control}`;
}

/** Each ASCII letter and digit shifted (never onto itself), other letters and digits to `x`/`X`/`0`. */
export function formatPreserving(real: string, n: number): string {
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
