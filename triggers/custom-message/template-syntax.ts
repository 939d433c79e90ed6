/**
 * The build-time half of the template engine: parses `{{name}}`, `{{#name}}…{{/name}}` and
 * `{{^name}}…{{/name}}` into {@link TemplatePart}s and refuses, with the template's name, everything Cognito
 * or a reader would trip over. Only scripts/compile-templates.ts and the tests import this module.
 */
import { BRACE_LIKE, firstDisallowedCharacter } from '../../shared/message-rules.js';
import type { TemplatePart } from './render-template.js';
import { walkTags } from './tag-walker.js';
import {
  isTemplateVariable,
  optionalVariables,
  type TemplateScope,
  type TemplateVariable,
  templateVariables,
  variablesAllowedIn,
} from './template-variables.js';

/** A template file cannot be compiled. Thrown by the build, never at runtime. */
export class TemplateError extends Error {
  /** Which template, for example `fr/sign-up.yaml#emailMessage`. */
  public readonly template: string;
  public readonly reason: string;

  public constructor(template: string, reason: string, options?: ErrorOptions) {
    super(`Template ${template}: ${reason}`, options);
    this.name = 'TemplateError';
    this.template = template;
    this.reason = reason;
  }
}

// Cognito's own placeholder spellings: a template must use {{code}} / {{username}} / {{link}} instead,
// because the real placeholder is whatever the event carries (contract §3, Request).
const HARD_CODED_PLACEHOLDER = /\{#{2,}|\{username\}/;
// Controls other than line breaks and tabs, and format characters, never belong in template text.
const INVISIBLE = /(?![\t\n\r])[\p{Cc}\p{Cf}]/u;
// Section tags, which render no text of their own: what stands beside a variable is read through them.
const SECTION_TAG = /\{\{[#^/][^{}]*\}\}/g;
// What may not touch a caller value: a letter or digit would join it into one word with the template's
// text, and URL punctuation would join it into a host or a link (`www.{{nickname}}.example`). After the
// value, a full stop or colon ends a sentence (`Hola, {{given_name}}:`) unless a word follows it at once.
const JOINS_BEFORE = /[\p{L}\p{M}\p{N}/\\.:@=?&#%{}~+_-]$/u;
const JOINS_AFTER = /^(?:[\p{L}\p{M}\p{N}/\\@=?&#%{}~+_-]|[.:][\p{L}\p{M}\p{N}/\\])/u;

function checkLiteral(template: string, scope: TemplateScope, text: string): void {
  if (HARD_CODED_PLACEHOLDER.test(text)) {
    throw new TemplateError(
      template,
      'hard-codes a Cognito placeholder; use {{code}}, {{username}} or {{cognitoLink}}',
    );
  }
  if (text.includes('{{') || text.includes('}}')) {
    throw new TemplateError(template, 'has an unbalanced or malformed {{ tag }}');
  }
  if (BRACE_LIKE.test(text)) {
    throw new TemplateError(
      template,
      "has a brace in its text; braces are reserved for Cognito's placeholders ({{code}}, {{username}}, {{cognitoLink}})",
    );
  }
  const isMessage = scope.kind === 'message' || scope.kind === 'link-message';
  const plain = isMessage && scope.field !== 'emailMessage';
  if (plain && /[<>]/.test(text)) {
    throw new TemplateError(template, 'contains HTML; subjects and SMS are plain text');
  }
  if (isMessage && scope.field === 'emailSubject' && /[\r\n]/.test(text)) {
    throw new TemplateError(template, 'has a line break in a subject');
  }
  const character =
    plain && scope.kind === 'message' && scope.field === 'smsMessage'
      ? INVISIBLE.exec(text)?.[0]
      : firstDisallowedCharacter(text, plain ? 'subject' : 'body');
  if (character !== undefined) {
    const shown = character.startsWith('U+')
      ? character
      : `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
    throw new TemplateError(template, `contains ${shown}, which Cognito refuses or a reader cannot see`);
  }
}

/**
 * A caller value (a user attribute) may only stand in text, between spaces or sentence punctuation: never
 * inside an HTML tag (an attribute such as `href`), and never touching a letter, a digit or URL punctuation,
 * which would let a value that reads as a name join the template's text into a host or a link.
 */
function checkCallerPlacement(
  template: string,
  text: string,
  variable: TemplateVariable,
  start: number,
  end: number,
): void {
  // Where the value is shown, its own `{{^name}}…{{/name}}` sections are not: read past them.
  const inverted = new RegExp(
    `\\{\\{\\^\\s*${variable}\\s*\\}\\}[\\s\\S]*?\\{\\{/\\s*${variable}\\s*\\}\\}`,
    'g',
  );
  const readable = (part: string) => part.replace(inverted, '').replace(SECTION_TAG, '');
  const before = readable(text.slice(0, start));
  const after = readable(text.slice(end));
  const name = text.slice(start, end);
  if (before.lastIndexOf('<') > before.lastIndexOf('>')) {
    throw new TemplateError(template, `puts the caller value ${name} inside an HTML tag`);
  }
  const touching = JOINS_BEFORE.exec(before)?.[0] ?? JOINS_AFTER.exec(after)?.[0];
  if (touching !== undefined) {
    throw new TemplateError(
      template,
      `puts the caller value ${name} against "${touching}"; separate it with a space or sentence punctuation`,
    );
  }
}

function requiredVariables(scope: TemplateScope): TemplateVariable[] {
  if (scope.kind === 'layout') return ['content'];
  if (scope.kind === 'link-message') return scope.field === 'emailMessage' ? ['cognitoLink'] : [];
  if (scope.kind !== 'message' || scope.field === 'emailSubject') return [];
  // The code placeholder must be in every body; the invitation also needs the user name (contract §3 item 1).
  return scope.source === 'CustomMessage_AdminCreateUser' ? ['code', 'username'] : ['code'];
}

/**
 * Compiles one template. `template` names it in errors. Refuses an unknown variable, a variable not allowed
 * in `scope`, a section over anything but an optional value, unbalanced sections, a hard-coded Cognito
 * placeholder or any other brace in the text, a caller value inside a tag or touching a word or URL
 * punctuation, HTML in a subject or SMS, characters Cognito refuses, and a body without its required
 * placeholders outside any section.
 *
 * @example
 * compileTemplate('en/sign-up.yaml#smsMessage', 'Code: {{code}}', {
 *   kind: 'message', source: 'CustomMessage_SignUp', field: 'smsMessage',
 * }); // ['Code: ', { v: 'code' }]
 */
export function compileTemplate(template: string, text: string, scope: TemplateScope): TemplatePart[] {
  const topLevel = new Set<TemplateVariable>();
  const parts = walkTags(text, {
    fail: (reason) => {
      throw new TemplateError(template, reason);
    },
    isKnown: isTemplateVariable,
    allowed: variablesAllowedIn(scope),
    checkLiteral: (literal) => checkLiteral(template, scope, literal),
    onVariable: (name, start, end, depth) => {
      if (templateVariables[name] === 'caller') checkCallerPlacement(template, text, name, start, end);
      if (depth === 0) topLevel.add(name);
    },
    onSectionOpen: (name) => {
      if (!optionalVariables.has(name)) {
        throw new TemplateError(template, `may not open a section on "${name}": it is never optional`);
      }
    },
  });
  for (const name of requiredVariables(scope)) {
    if (!topLevel.has(name)) {
      throw new TemplateError(template, `must contain {{${name}}} outside any section`);
    }
  }
  return parts;
}
