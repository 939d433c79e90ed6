/**
 * The runtime half of the template engine: walks a template compiled at build time (template-syntax.ts,
 * scripts/compile-templates.ts) and inserts values. No parsing and no file reads happen here.
 */
import { callerText } from './caller-text.js';
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

/** `html` escapes caller and operator values (email bodies); `text` does not (subjects, SMS). */
export type RenderMode = 'html' | 'text';

/**
 * The rendered text, the verbatim variables that had no value (the text is unusable when any did), and the
 * caller variables whose value was withheld because it does not read as a name (caller-text.ts).
 */
export type RenderResult = { text: string; missing: TemplateVariable[]; withheld: TemplateVariable[] };

/**
 * Renders `parts`. Caller values go through {@link callerText} (shown only when they read as a name),
 * operator values are sanitised; both are cut to `maxValueLength` code points and, in `html` mode,
 * HTML-escaped. Verbatim and markup values are inserted exactly as given.
 *
 * @example
 * renderTemplate(['Hi ', { v: 'given_name' }], { given_name: 'Ann <b>' }, 'html', 64).text; // 'Hi ' (withheld)
 */
export function renderTemplate(
  parts: readonly TemplatePart[],
  values: TemplateValues,
  mode: RenderMode,
  maxValueLength: number,
): RenderResult {
  const missing = new Set<TemplateVariable>();
  const withheld = new Set<TemplateVariable>();
  const shown = new Map<TemplateVariable, string>();
  // The text a caller or operator value shows as, computed once per variable and render.
  const textOf = (name: TemplateVariable): string => {
    const known = shown.get(name);
    if (known !== undefined) return known;
    const raw = values[name] ?? '';
    let text: string;
    if (templateVariables[name] === 'caller') {
      const caller = callerText(raw, maxValueLength);
      if (caller.withheld !== undefined) withheld.add(name);
      text = caller.text;
    } else {
      text = sanitizeUserValue(raw, maxValueLength);
    }
    shown.set(name, text);
    return text;
  };
  const isText = (name: TemplateVariable): boolean => {
    const kind = templateVariables[name];
    return kind === 'caller' || kind === 'operator';
  };
  const insertedValue = (name: TemplateVariable): string => {
    if (isText(name)) return mode === 'html' ? escapeHtml(textOf(name)) : textOf(name);
    const raw = values[name];
    if (raw === undefined || raw === '') missing.add(name);
    return raw ?? '';
  };
  // A section tests its variable without counting it as missing: absence is what it is for.
  const isPresent = (name: TemplateVariable): boolean =>
    isText(name) ? textOf(name) !== '' : (values[name] ?? '') !== '';
  const renderParts = (list: readonly TemplatePart[]): string => {
    let text = '';
    for (const part of list) {
      if (typeof part === 'string') {
        text += part;
      } else if ('v' in part) {
        text += insertedValue(part.v);
      } else if (isPresent(part.s) !== (part.not === true)) {
        text += renderParts(part.p);
      }
    }
    return text;
  };
  const text = renderParts(parts);
  return { text, missing: [...missing], withheld: [...withheld] };
}
