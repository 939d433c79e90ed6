/**
 * The build-time half of the notification templates (notification-template.ts): parses the same
 * `{{name}}`, `{{#name}}…{{/name}}`, `{{^name}}…{{/name}}` syntax as the code templates into
 * {@link NotificationPart}s and refuses, naming the template, what the runtime must never meet. Only
 * scripts/compile-templates.ts and the tests import this module.
 */
import { BRACE_LIKE, firstDisallowedCharacter } from '../../shared/message-rules.js';
import {
  isNotificationVariable,
  type NotificationPart,
  type NotificationVariable,
  notificationVariables,
} from './notification-template.js';
import { walkTags } from './tag-walker.js';
import { TemplateError } from './template-syntax.js';

/** Which field of a notification a template is. */
export type NotificationField = 'emailSubject' | 'emailMessage' | 'footer';

// Controls other than line breaks and tabs, and format characters, never belong in template text.
const INVISIBLE = /(?![\t\n\r])[\p{Cc}\p{Cf}]/u;
// What may not touch a shown value: a letter or digit would join it into one word with the template's
// text, URL punctuation into a host or a link (as for caller values, template-syntax.ts).
const JOINS_BEFORE = /[\p{L}\p{M}\p{N}/\\.:@=?&#%{}~+_-]$/u;
const JOINS_AFTER = /^(?:[\p{L}\p{M}\p{N}/\\@=?&#%{}~+_-]|[.:][\p{L}\p{M}\p{N}/\\])/u;
const SECTION_TAG = /\{\{[#^/][^{}]*\}\}/g;

/** The variables a field may use. */
function allowedIn(field: NotificationField): ReadonlySet<NotificationVariable> {
  if (field === 'emailSubject') return new Set(['appName']);
  if (field === 'footer') return new Set(['appName', 'supportEmail']);
  return new Set(Object.keys(notificationVariables) as NotificationVariable[]);
}

function checkLiteral(template: string, field: NotificationField, text: string): void {
  if (text.includes('{{') || text.includes('}}')) {
    throw new TemplateError(template, 'has an unbalanced or malformed {{ tag }}');
  }
  if (BRACE_LIKE.test(text)) throw new TemplateError(template, 'has a brace in its text');
  if (field === 'emailSubject' && /[<>\r\n]/.test(text)) {
    throw new TemplateError(template, 'has HTML or a line break in a subject');
  }
  const found =
    INVISIBLE.exec(text)?.[0] ??
    firstDisallowedCharacter(text, field === 'emailSubject' ? 'subject' : 'body');
  if (found !== undefined) {
    const shown = found.startsWith('U+')
      ? found
      : `U+${(found.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
    throw new TemplateError(template, `contains ${shown}, which a reader cannot see`);
  }
}

/** Where a value stands: a link only as a whole `href="…"` value, any other only in text, apart. */
function checkPlacement(
  template: string,
  text: string,
  name: NotificationVariable,
  start: number,
  end: number,
) {
  const before = text.slice(0, start).replace(SECTION_TAG, '');
  const after = text.slice(end).replace(SECTION_TAG, '');
  const inTag = before.lastIndexOf('<') > before.lastIndexOf('>');
  if (notificationVariables[name] === 'link') {
    if (!inTag || !/\shref="$/.test(before) || !after.startsWith('"')) {
      throw new TemplateError(template, `may use the link ${name} only as a whole href="…" value`);
    }
    return;
  }
  if (inTag) throw new TemplateError(template, `puts the value ${name} inside an HTML tag`);
  const touching = JOINS_BEFORE.exec(before)?.[0] ?? JOINS_AFTER.exec(after)?.[0];
  if (touching !== undefined) {
    throw new TemplateError(
      template,
      `puts the value ${name} against "${touching}"; separate it with a space or sentence punctuation`,
    );
  }
}

/**
 * Compiles one notification template. Refuses an unknown variable or one the field may not use, a flag
 * outside a section, a link anywhere but a whole `href` value, another value inside a tag or touching a
 * word or URL punctuation, unbalanced sections, braces in the text, HTML or a line break in a subject, and
 * invisible characters.
 *
 * @example
 * compileNotificationTemplate('en/account-take-over.notification.yaml#emailSubject', 'Sign-in to {{appName}}',
 *   'emailSubject'); // ['Sign-in to ', { v: 'appName' }]
 */
export function compileNotificationTemplate(
  template: string,
  text: string,
  field: NotificationField,
): NotificationPart[] {
  return walkTags(text, {
    fail: (reason) => {
      throw new TemplateError(template, reason);
    },
    isKnown: isNotificationVariable,
    allowed: allowedIn(field),
    checkLiteral: (literal) => checkLiteral(template, field, literal),
    onVariable: (name, start, end) => {
      if (notificationVariables[name] === 'flag') {
        throw new TemplateError(template, `may only test "${name}" in a section: it has no text`);
      }
      checkPlacement(template, text, name, start, end);
    },
  });
}
