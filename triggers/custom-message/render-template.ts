/**
 * The runtime half of the template engine: walks a template compiled at build time (template-syntax.ts,
 * scripts/compile-templates.ts) and inserts values. No parsing and no file reads happen here.
 */
import { escapeHtml, sanitizeUserValue } from './sanitize-value.js';
import { type TemplateVariable, templateVariables } from './template-variables.js';

/**
 * A compiled template: literal text, a variable (`v`), or a section (`s`) whose parts (`p`) render when the
 * variable is non-empty, or when it is empty if `not` is set (Mustache's `{{#x}}` and `{{^x}}`).
 */
export type TemplatePart =
  | string
  | { readonly v: TemplateVariable }
  | { readonly s: TemplateVariable; readonly p: readonly TemplatePart[]; readonly not?: true };

/** The values of one render. A verbatim variable left `undefined` makes the render incomplete. */
export type TemplateValues = Readonly<Partial<Record<TemplateVariable, string>>>;

/** `html` escapes user values (email bodies); `text` only sanitises them (subjects, SMS). */
export type RenderMode = 'html' | 'text';

/** The rendered text, and the verbatim variables that had no value (the text is unusable when any did). */
export type RenderResult = { text: string; missing: TemplateVariable[] };

/**
 * Renders `parts`. User values are sanitised (sanitize-value.ts), cut to `maxValueLength` code points and,
 * in `html` mode, HTML-escaped; verbatim and markup values are inserted exactly as given.
 *
 * @example
 * renderTemplate(['Hi ', { v: 'given_name' }], { given_name: '<b>Ann</b>' }, 'html', 64).text; // 'Hi &lt;b&gt;Ann&lt;/b&gt;'
 */
export function renderTemplate(
  parts: readonly TemplatePart[],
  values: TemplateValues,
  mode: RenderMode,
  maxValueLength: number,
): RenderResult {
  const missing: TemplateVariable[] = [];
  const insertedValue = (name: TemplateVariable): string => {
    const raw = values[name];
    if (templateVariables[name] !== 'user') {
      if (raw === undefined || raw === '') missing.push(name);
      return raw ?? '';
    }
    return sanitizeUserValue(raw ?? '', maxValueLength);
  };
  // A section tests its variable without counting it as missing: absence is what it is for.
  const isPresent = (name: TemplateVariable): boolean =>
    templateVariables[name] === 'user'
      ? sanitizeUserValue(values[name] ?? '', maxValueLength) !== ''
      : (values[name] ?? '') !== '';
  const renderParts = (list: readonly TemplatePart[]): string => {
    let text = '';
    for (const part of list) {
      if (typeof part === 'string') {
        text += part;
      } else if ('v' in part) {
        const value = insertedValue(part.v);
        text += mode === 'html' && templateVariables[part.v] === 'user' ? escapeHtml(value) : value;
      } else if (isPresent(part.s) !== (part.not === true)) {
        text += renderParts(part.p);
      }
    }
    return text;
  };
  const text = renderParts(parts);
  return { text, missing: [...new Set(missing)] };
}
