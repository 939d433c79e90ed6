/**
 * One validation model for rule and action options. A factory checks its options once, at construction
 * (cold start), and throws an {@link OptionsError} naming the option. A `*FromEnv` reader only reads
 * variables into options (a value it cannot even read, such as `"abc"` for a number, is a
 * `ConfigurationError` at once); {@link configureFrom} then builds the rule and reports an options error
 * as a `ConfigurationError` naming the variable the option came from (shared/settings.ts). So each check is
 * written once, and an operator always learns which variable to fix.
 */
import { ConfigurationError, SignUpFault } from './errors.js';
import { type SettingsDeclaration, variableOfOption } from './settings.js';

/** A factory was given an option value it cannot use. Thrown at construction, never per event. */
export class OptionsError extends SignUpFault {
  /** The option's name, dotted for a nested one (`retry.maxAttempts`). */
  public readonly option: string;
  /** What the option must be, for example `a whole number from 1 to 60`. */
  public readonly expected: string;

  public constructor(option: string, expected: string, options?: ErrorOptions) {
    super(`Invalid options: ${option} must be ${expected}`, options);
    this.name = 'OptionsError';
    this.option = option;
    this.expected = expected;
  }
}

/** Inclusive bounds of a whole number. */
export type WholeRange = { min: number; max: number };

/**
 * Checks that `value` is a whole number in `range` and returns it.
 * @throws OptionsError naming `option`.
 *
 * @example
 * const limit = checkWhole('limit', options.limit, { min: 1, max: 60 });
 */
export function checkWhole(option: string, value: unknown, range: WholeRange): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < range.min || value > range.max) {
    throw new OptionsError(option, wholeRangeText(range));
  }
  return value;
}

/** `a whole number from 1 to 60` (`a positive whole number` when unbounded above from 1). */
export function wholeRangeText(range: WholeRange): string {
  if (range.max === Number.MAX_SAFE_INTEGER) {
    return range.min === 1 ? 'a positive whole number' : `a whole number of at least ${range.min}`;
  }
  return `a whole number from ${range.min} to ${range.max}`;
}

/**
 * Runs `build` (a factory called on options read from the environment) and reports an
 * {@link OptionsError} whose option `declaration` maps to a variable as a `ConfigurationError` naming that
 * variable, with the options error as its cause. Other errors pass unchanged.
 *
 * @example
 * const rule = configureFrom(restrictEmailDomainsSettings, () => restrictEmailDomains(options));
 */
export function configureFrom<T>(declaration: SettingsDeclaration, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (!(error instanceof OptionsError)) throw error;
    const option = error.option.split(/[.[]/)[0] ?? error.option;
    const variable = variableOfOption(declaration, option);
    if (variable === undefined) throw error;
    throw new ConfigurationError(variable, error.expected, { cause: error });
  }
}

/**
 * The rule (or action) built from `options` as {@link configureFrom} does, or none when its configuration
 * says it is off (`undefined`), so a trigger's rule list reads as one ordered table.
 *
 * @example
 * rules: [...optionalRule(restrictEmailDomainsSettings, restrictEmailDomainsFromEnv(env), restrictEmailDomains)]
 */
export function optionalRule<O, R>(
  declaration: SettingsDeclaration,
  options: O | undefined,
  factory: (options: O) => R,
): R[] {
  return options === undefined ? [] : [configureFrom(declaration, () => factory(options))];
}
