/** The phone faker: an E.164 number becomes a 555 number; anything else stays malformed. */
import type { ValueRegistry } from './registry.js';
import { fitted } from './shape.js';

/** An E.164 phone number, as Cognito's `phone_number` holds it. */
export const E164 = /^\+[1-9]\d{1,14}$/;

/**
 * The phone faker of one anonymizer.
 *
 * @example
 * const fakePhone = phoneFaker(registry);
 * fakePhone('+447700900123'); // '+15555550101'
 */
export function phoneFaker(registry: ValueRegistry): (real: string) => string {
  const { stable, remember } = registry;

  return function fakePhone(real: string): string {
    if (!E164.test(real))
      return remember(
        real,
        stable('phone', real, (n) => fitted(`fake-phone-${n}`, real)),
      );
    return remember(
      real,
      stable('phone', real, (n) => `+1555555${String(n + 100).padStart(4, '0')}`),
    );
  };
}
