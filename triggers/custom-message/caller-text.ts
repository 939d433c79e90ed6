/**
 * The one place where text a caller controls enters a message. `SignUp` is unauthenticated: anyone can sign
 * up with a victim's address and put anything in `given_name`, and the victim then receives a genuine email
 * from the pool. Cognito fills every `{####}`, `{username}` and `{##…##}` it finds in the body it sends
 * (docs/cognito-contract.md §3a), and mail clients turn host names and URLs into links. So a caller value is
 * shown only when it reads as a name; anything else is withheld, and the template's `{{^given_name}}`
 * section greets the reader without it.
 */
import { sanitizeUserValue } from './sanitize-value.js';

/**
 * What a shown value may hold once sanitised: letters, combining marks, numbers, the plain space, and the
 * punctuation that names carry (apostrophes `'` and `’`, hyphens, the underscore of user names, the comma,
 * the full stop of `Jr.`, the middle dots of `Gal·la` and `アン・リー`), and a closing ellipsis where the value
 * was cut. Braces, `#`, `/`, `:`, `@`, `<`, `>`, `&`, `%`, `=`, `?` and every look-alike of them (fullwidth and
 * small forms, which are `\p{P}` or `\p{S}`) are outside it, so no placeholder, markup or URL can be formed.
 */
const NAME_SHAPE = /^[\p{L}\p{M}\p{N} '\u2019\-\u2010\u2011_,.\u00B7\u30FB]+\u2026?$/u;
// A full stop followed by anything but a space (`evil.example`, `J.R`) is what a mail client reads as a host.
const DOT_INSIDE_WORD = /\.(?! |\u2026|$)/u;
// More digits than a name or nickname needs would let a phone number through, which mail and phone
// clients turn into a call link.
const MAX_DIGITS = 4;
const DIGIT = /\p{N}/gu;

/** Why a caller value was withheld; logged with the variable's name, never with the value. */
export type WithheldReason = 'not-a-name';

/** The text to show for one caller value, or why it was withheld. Empty input gives `{ text: '' }`. */
export type CallerText = { text: string; withheld?: WithheldReason };

/**
 * `value`, sanitised (sanitize-value.ts) and cut to `maxLength` code points, when it reads as a name;
 * otherwise `''` with the reason. The only function that turns a caller-controlled value (a user attribute,
 * the user name, a ClientMetadata value) into message text.
 *
 * @example
 * callerText('Ann-Marie O’Neil', 64); // { text: 'Ann-Marie O’Neil' }
 * callerText('see https://evil.example/v?c={####}', 64); // { text: '', withheld: 'not-a-name' }
 */
export function callerText(value: string, maxLength: number): CallerText {
  const text = sanitizeUserValue(value, maxLength);
  if (text === '') return { text };
  if (!NAME_SHAPE.test(text) || DOT_INSIDE_WORD.test(text) || (text.match(DIGIT)?.length ?? 0) > MAX_DIGITS) {
    return { text: '', withheld: 'not-a-name' };
  }
  return { text };
}
