/**
 * The free-text pass: every real value the registry remembered is replaced wherever it occurs in text (the
 * rendered messages of an outcome, a kept redirect's path, any event field not anonymized one by one), as
 * typed, URL-encoded, form-encoded or HTML-escaped, and as custom message puts it into a message.
 */
import { isObject } from '../../shared/parse-event.js';
// The trigger's own escaping: a rendered message holds names exactly as it escaped them.
import { escapeHtml } from '../../triggers/custom-message/sanitize-value.js';
import { MIN_REPLACED_LENGTH } from './registry.js';

/**
 * `text` as custom message puts a user value into a message (triggers/custom-message/sanitize-value.ts):
 * spaces made plain and collapsed, characters Cognito refuses removed.
 */
function messageText(text: string): string {
  return text
    .replace(/[\p{Z}\t\n\v\f\r\u0085]/gu, ' ')
    .replace(/[^\p{L}\p{M}\p{S}\p{N}\p{P} ]/gu, '')
    .replace(/ {2,}/g, ' ')
    .trim();
}

function formEncode(text: string): string {
  return new URLSearchParams([['v', text]]).toString().slice(2);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `text` as a pattern that does not match inside a longer word or number ("Al" is not in "Also"). */
function wholeWordPattern(text: string): RegExp {
  const before = /^[\p{L}\p{N}]/u.test(text) ? '(?<![\\p{L}\\p{N}])' : '';
  const after = /[\p{L}\p{N}]$/u.test(text) ? '(?![\\p{L}\\p{N}])' : '';
  return new RegExp(`${before}${escapeRegExp(text)}${after}`, 'gu');
}

/**
 * The pass over `replacements` (real -> fake, read at each call, so values remembered later count too).
 *
 * @example
 * const replaceKnownValues = freeTextPass(registry.replacements);
 * replaceKnownValues('Welcome, Maria Garcia'); // 'Welcome, Test User 1'
 */
export function freeTextPass(replacements: ReadonlyMap<string, string>): (text: string) => string {
  return function replaceKnownValues(text: string): string {
    let result = text;
    // Longest first, so a value inside another is not replaced half-way.
    const pairs = [...replacements].sort(([a], [b]) => b.length - a.length);
    for (const [real, fake] of pairs) {
      const variants = new Map<string, string>([
        [real, fake],
        [encodeURIComponent(real), encodeURIComponent(fake)],
        [formEncode(real), formEncode(fake)],
        [escapeHtml(real), escapeHtml(fake)],
        [escapeHtml(messageText(real)), escapeHtml(messageText(fake))],
        [messageText(real), messageText(fake)],
      ]);
      for (const [from, to] of variants) {
        if (from.length >= MIN_REPLACED_LENGTH && result.includes(from)) {
          result = result.replace(wholeWordPattern(from), () => to);
        }
      }
    }
    return result;
  };
}

/** `value` (any JSON value) with `replace` applied to every string in it, at any depth (a copy). */
export function replaceStrings<T>(value: T, replace: (text: string) => string): T {
  if (typeof value === 'string') return replace(value) as T;
  if (Array.isArray(value)) return value.map((item) => replaceStrings(item, replace)) as T;
  if (isObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, replaceStrings(item, replace)]),
    ) as T;
  }
  return value;
}
