/**
 * The `{{name}}`, `{{#name}}…{{/name}}`, `{{^name}}…{{/name}}` walk shared by the build-time compilers
 * (template-syntax.ts for the code templates, notification-syntax.ts for the notifications): it splits a
 * template into literal text, variables and sections and refuses unbalanced sections, while the compiler
 * says, through {@link TagWalkerHooks}, which names exist and where each may stand.
 */

/** One compiled piece: literal text, a variable, or a section over a variable (`not` when inverted). */
export type TagPart<Name extends string> =
  | string
  | { readonly v: Name }
  | { readonly s: Name; readonly p: readonly TagPart<Name>[]; readonly not?: true };

/** What a compiler decides while {@link walkTags} walks its template. */
export type TagWalkerHooks<Name extends string> = {
  /** Refuses with the given reason; the compiler's own error, naming its template. */
  fail: (reason: string) => never;
  /** Whether `name` is a variable of this kind of template at all. */
  isKnown: (name: string) => name is Name;
  /** The variables this template may use. */
  allowed: ReadonlySet<Name>;
  /** Checks a run of literal text between tags (never empty); throws to refuse it. */
  checkLiteral: (literal: string) => void;
  /**
   * Checks a `{{name}}` that stands at `start`…`end` of the text, `depth` sections deep (0 outside any
   * section); throws to refuse it.
   */
  onVariable?: (name: Name, start: number, end: number, depth: number) => void;
  /** Checks a `{{#name}}` or `{{^name}}` before its section opens; throws to refuse it. */
  onSectionOpen?: (name: Name) => void;
};

type Frame<Name extends string> = { name: Name | undefined; not: boolean; parts: TagPart<Name>[] };

const TAG = /\{\{([#^/]?)([^{}]*)\}\}/g;

/**
 * Walks the tags of `text` into {@link TagPart}s: adjacent literal text merged into one part, every tag
 * name checked against `isKnown` and `allowed`, sections nested, and an unbalanced section refused.
 *
 * @example
 * walkTags('Hi {{#name}}{{name}}{{/name}}', {
 *   fail: (reason) => { throw new Error(reason); },
 *   isKnown: (name): name is 'name' => name === 'name',
 *   allowed: new Set(['name'] as const),
 *   checkLiteral: () => {},
 * }); // ['Hi ', { s: 'name', p: [{ v: 'name' }] }]
 */
export function walkTags<Name extends string>(text: string, hooks: TagWalkerHooks<Name>): TagPart<Name>[] {
  const { allowed, checkLiteral, onVariable, onSectionOpen } = hooks;
  const stack: Frame<Name>[] = [{ name: undefined, not: false, parts: [] }];
  let last = 0;
  const pushLiteral = (literal: string) => {
    if (literal === '') return;
    checkLiteral(literal);
    const parts = stack.at(-1)?.parts ?? [];
    const previous = parts.at(-1);
    if (typeof previous === 'string') parts[parts.length - 1] = previous + literal;
    else parts.push(literal);
  };
  for (const match of text.matchAll(TAG)) {
    pushLiteral(text.slice(last, match.index));
    last = match.index + match[0].length;
    const sigil = match[1] ?? '';
    const name = (match[2] ?? '').trim();
    if (!hooks.isKnown(name)) hooks.fail(`uses the unknown variable "${name}"`);
    if (!allowed.has(name)) hooks.fail(`may not use the variable "${name}" here`);
    const frame = stack.at(-1);
    if (frame === undefined) hooks.fail('is malformed');
    if (sigil === '') {
      onVariable?.(name, match.index, last, stack.length - 1);
      frame.parts.push({ v: name });
    } else if (sigil === '/') {
      if (frame.name !== name) hooks.fail(`closes "${name}", which is not open`);
      stack.pop();
      stack
        .at(-1)
        ?.parts.push(frame.not ? { s: name, p: frame.parts, not: true } : { s: name, p: frame.parts });
    } else {
      onSectionOpen?.(name);
      stack.push({ name, not: sigil === '^', parts: [] });
    }
  }
  pushLiteral(text.slice(last));
  const open = stack.at(-1);
  if (stack.length !== 1 || open === undefined) hooks.fail(`leaves the section "${open?.name ?? '?'}" open`);
  return open.parts;
}
