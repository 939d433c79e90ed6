/**
 * The faker of caller values the triggers do not need (a ClientMetadata or ValidationData value, an invite
 * claim, a redirect's query): `fake-<key>-N`, except `true`/`false` and values the run's configuration holds
 * (a group, a plan), which say nothing about the person and are kept.
 */
import type { ValueRegistry } from './registry.js';
import { fitted, isBooleanText, safeKeyOf } from './shape.js';

/** The free-value fakers of one anonymizer. Their fakes are not replaced in free text. */
export type FreeValueFakers = {
  /** Any value of key `key` among values of `kind` that the triggers do not need: `fake-<key>-N`. */
  fakeFreeValue(kind: string, key: string, real: string): string;
  /** A fake of `real` that a reader with this shape check judges as it judged the real value (`valid`). */
  shapeFaithful(kind: string, key: string, real: string, valid: boolean): string;
};

/**
 * The free-value fakers of one anonymizer; `configured` holds the values the run's configuration holds.
 *
 * @example
 * const { fakeFreeValue } = freeValueFakers(registry, new Set(['premium']));
 * fakeFreeValue('clientMetadata', 'referrer', 'Maria'); // 'fake-referrer-1'
 */
export function freeValueFakers(registry: ValueRegistry, configured: ReadonlySet<string>): FreeValueFakers {
  const { stable } = registry;

  /** A configuration value, or a comma-separated list of them (a `groups` request). */
  function isConfigured(value: string): boolean {
    if (configured.has(value)) return true;
    const items = value.split(',').map((item) => item.trim());
    return items.length > 1 && items.every((item) => item !== '' && configured.has(item));
  }

  function fakeFreeValue(kind: string, key: string, real: string): string {
    if (real.trim() === '' || isBooleanText(real) || isConfigured(real)) return real;
    return stable(`${kind}:${safeKeyOf(key)}`, real, (n) => fitted(`fake-${safeKeyOf(key)}-${n}`, real));
  }

  function shapeFaithful(kind: string, key: string, real: string, valid: boolean): string {
    return stable(`${kind}:${safeKeyOf(key)}`, real, (n) =>
      fitted(valid ? `fake-${safeKeyOf(key)}-${n}` : `fake ${safeKeyOf(key)} ${n}`, real),
    );
  }

  return { fakeFreeValue, shapeFaithful };
}
