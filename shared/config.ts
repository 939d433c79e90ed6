/**
 * Environment-variable readers. Each reads one variable once, at cold start, and throws a
 * {@link ConfigurationError} that names the variable and the expected format; never a per-user rejection.
 */
import { ConfigurationError } from './errors.js';

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

/** A whole number in `[min, max]`; unset or empty means `fallback`. */
export function readInteger(
  env: Env,
  name: string,
  bounds: { min: number; max: number },
  fallback: number,
): number {
  const value = rawOf(env, name);
  if (value === undefined) return fallback;
  const number = /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(number) || number < bounds.min || number > bounds.max) {
    throw new ConfigurationError(name, `a whole number from ${bounds.min} to ${bounds.max}`);
  }
  return number;
}

/** A comma-separated list: items trimmed, empty items dropped, each checked by `item` if given. */
export function readList(
  env: Env,
  name: string,
  item?: { pattern: RegExp; description: string },
): readonly string[] {
  if (item !== undefined && (item.pattern.global || item.pattern.sticky)) {
    throw new TypeError(`The item pattern of ${name} must not use the g or y flag`);
  }
  const value = rawOf(env, name);
  if (value === undefined) return [];
  const items = value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (item !== undefined) {
    for (const entry of items) {
      if (!item.pattern.test(entry)) {
        throw new ConfigurationError(name, `a comma-separated list of ${item.description}`);
      }
    }
  }
  return items;
}

/** A string, or `fallback` when unset or empty. */
export function readString(env: Env, name: string, fallback: string): string {
  return rawOf(env, name) ?? fallback;
}
