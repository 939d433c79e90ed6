/**
 * Cleaning user-derived text before it enters a message. Cognito checks subjects and email bodies against
 * `[\p{L}\p{M}\p{S}\p{N}\p{P}\s]` with Java's ASCII-only `\s`, so a non-breaking space or a zero-width
 * joiner makes it refuse or silently replace the message (contract §3, Constraints items 2–3).
 */

// Every Unicode space and line separator, plus the ASCII whitespace controls and NEL: each becomes one space.
const WHITESPACE = /[\p{Z}\t\n\v\f\r\u0085]/gu;
// What is left outside letters, marks, symbols, numbers, punctuation and the plain space: controls (Cc),
// format characters such as bidirectional overrides and zero-width joiners (Cf), lone surrogates (Cs),
// private-use (Co) and unassigned (Cn) code points.
const DISALLOWED = /[^\p{L}\p{M}\p{S}\p{N}\p{P} ]/gu;
const SPACE_RUNS = / {2,}/g;
const ELLIPSIS = '\u2026';

/**
 * `value` with every space-like character turned into a plain space (runs collapsed, ends trimmed), every
 * other character Cognito would refuse removed, and at most `maxLength` code points (the last one an
 * ellipsis when cut). Use on attribute, ClientMetadata and configuration values, never on placeholders.
 */
export function sanitizeUserValue(value: string, maxLength: number): string {
  const cleaned = value.replace(WHITESPACE, ' ').replace(DISALLOWED, '').replace(SPACE_RUNS, ' ').trim();
  if (cleaned.length <= maxLength) return cleaned;
  const codePoints = Array.from(cleaned);
  if (codePoints.length <= maxLength) return cleaned;
  return `${codePoints
    .slice(0, Math.max(0, maxLength - 1))
    .join('')
    .trimEnd()}${ELLIPSIS}`;
}

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** `text` safe in HTML element content and in quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}
