/**
 * The anonymizer's memory of real and fake values: which fake each real value got, per kind of value, so the
 * same real value always gets the same fake and two real values of a kind never share one; and every
 * real/fake pair worth replacing in free text (free-text.ts).
 */

/** Replacing a one-character value in free text would do more harm than good. */
export const MIN_REPLACED_LENGTH = 2;
// How many fakes a maker may offer before a numbered suffix settles a clash.
const MAX_TRIES = 1000;

/** Stable fakes per kind of value, and the pairs the free-text pass replaces. */
export type ValueRegistry = {
  /**
   * The fake of `real` among values of `kind`, made once by `make(n)` with n = 1, 2, … per kind; never the
   * fake of another real value of that kind, nor `real` itself unless `mayEqual`.
   */
  stable(kind: string, real: string, make: (n: number) => string, mayEqual?: boolean): string;
  /** The fake of `real` among values of `kind`, made once by `make` (for fakes distinct by construction). */
  cached(kind: string, real: string, make: () => string): string;
  /** Records `fake` as the replacement of `real` in free text (unless too short or equal); gives `fake`. */
  remember(real: string, fake: string): string;
  /** Every real value remembered, with its fake, in the order remembered. */
  readonly replacements: ReadonlyMap<string, string>;
};

/**
 * An empty registry; one per anonymizer, so fakes stay stable across the events of one recording.
 *
 * @example
 * const registry = createValueRegistry();
 * const fake = registry.stable('email', 'jane@realcorp.com', (n) => `user${n}@example.com`);
 * registry.remember('jane@realcorp.com', fake); // 'user1@example.com', replaced in free text from now on
 */
export function createValueRegistry(): ValueRegistry {
  // Real -> fake, per kind; `used` holds every fake per kind (never two real values on one fake);
  // `replacements` holds every pair for the free-text pass.
  const fakes = new Map<string, Map<string, string>>();
  const used = new Map<string, Set<string>>();
  const replacements = new Map<string, string>();
  const derived = new Map<string, string>();

  function stable(kind: string, real: string, make: (n: number) => string, mayEqual = false): string {
    let byReal = fakes.get(kind);
    if (byReal === undefined) {
      byReal = new Map();
      fakes.set(kind, byReal);
    }
    const known = byReal.get(real);
    if (known !== undefined) return known;
    let taken = used.get(kind);
    if (taken === undefined) {
      taken = new Set();
      used.set(kind, taken);
    }
    const clashes = (candidate: string) => taken.has(candidate) || (!mayEqual && candidate === real);
    const first = byReal.size + 1;
    let fake = make(first);
    for (let n = first + 1; clashes(fake); n += 1) {
      // A maker that keeps clashing (a pattern few fakes satisfy) gets a numbered suffix: distinct above all.
      fake = n - first < MAX_TRIES ? make(n) : `${make(first)}~${n}`;
    }
    byReal.set(real, fake);
    taken.add(fake);
    return fake;
  }

  function cached(kind: string, real: string, make: () => string): string {
    const key = `${kind}\u0000${real}`;
    let fake = derived.get(key);
    if (fake === undefined) {
      fake = make();
      derived.set(key, fake);
    }
    return fake;
  }

  function remember(real: string, fake: string): string {
    if (real.trim().length >= MIN_REPLACED_LENGTH && real !== fake) replacements.set(real, fake);
    return fake;
  }

  return { stable, cached, remember, replacements };
}
