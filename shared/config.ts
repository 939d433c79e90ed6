/**
 * Environment-variable readers. Each reads one variable once, at cold start, and throws a
 * {@link ConfigurationError} that names the variable and the expected format when the value cannot even be
 * read (`"abc"` for a number, `"yes"` for a boolean); never a per-user rejection. What a readable value must
 * be beyond that (a range, a domain, a group name) is its factory's to check (shared/options.ts).
 */
import { ConfigurationError } from './errors.js';
import { checkWhole, wholeRangeText } from './options.js';

/** The environment a trigger reads; `process.env` in Lambda, a plain object in tests. */
export type Env = Readonly<Record<string, string | undefined>>;

function rawOf(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** `true` / `false` (case-insensitive); unset or empty means `fallback`. */
export function readBoolean(env: Env, name: string, fallback: boolean): boolean {
  const value = rawOf(env, name)?.toLowerCase();
  if (value === undefined) return fallback;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new ConfigurationError(name, '"true" or "false"');
}

/** One of `values`; unset or empty means `fallback`. */
export function readChoice<const T extends string>(
  env: Env,
  name: string,
  values: readonly T[],
  fallback: T,
): T {
  const value = rawOf(env, name);
  if (value === undefined) return fallback;
  if ((values as readonly string[]).includes(value)) return value as T;
  throw new ConfigurationError(name, `one of ${values.map((v) => `"${v}"`).join(', ')}`);
}

function wholeNumberOf(value: string): number {
  return /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
}

/**
 * A whole number (decimal digits, an optional minus sign); unset or empty means `fallback`. Only the format
 * is read here: the range is the factory's to check, once (shared/options.ts `checkWhole`).
 */
export function readWholeNumber(env: Env, name: string, fallback: number): number {
  const value = rawOf(env, name);
  if (value === undefined) return fallback;
  const number = wholeNumberOf(value);
  if (!Number.isSafeInteger(number)) throw new ConfigurationError(name, 'a whole number');
  return number;
}

/** A whole number in `[min, max]`; unset or empty means `fallback`. */
export function readInteger(
  env: Env,
  name: string,
  bounds: { min: number; max: number },
  fallback: number,
): number {
  const value = rawOf(env, name);
  if (value === undefined) return fallback;
  try {
    return checkWhole(name, wholeNumberOf(value), bounds);
  } catch (error) {
    throw new ConfigurationError(name, wholeRangeText(bounds), { cause: error });
  }
}

/**
 * A comma-separated list: items trimmed, empty items dropped. The items are not checked here: that is the
 * factory's job, once (shared/options.ts).
 */
export function readList(env: Env, name: string): readonly string[] {
  const value = rawOf(env, name);
  if (value === undefined) return [];
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/** A string, or `fallback` when unset or empty. */
export function readString(env: Env, name: string, fallback: string): string {
  return rawOf(env, name) ?? fallback;
}
