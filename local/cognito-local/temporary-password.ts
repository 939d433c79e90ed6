/**
 * The temporary password Cognito generates when AdminCreateUser names none. cognito-local takes six random
 * characters whatever the pool's policy, so an invitation carried a password the pool itself would refuse
 * (6 characters in a pool asking for 12).
 *
 * - Without a `TemporaryPassword`, "Amazon Cognito generates one for you" [D, BOTO
 *   `AdminCreateUserRequest.TemporaryPassword`], and the password it generates conforms to the pool's policy
 *   [O, pvizeli/pycognito#169 ("generating a compliant password"); ellaisys/aws-cognito#89 (`3,Wtbz8h`,
 *   generated under the default policy: 8 characters, all four kinds)].
 * - Its length is the policy's minimum, and it holds a character of each kind (lowercase, uppercase, number,
 *   symbol) whether the policy asks for it or not [I: the one sample above has both; nothing says more]. The
 *   symbols are a few of Cognito's that read the same in a message template, in HTML and in a URL (Cognito
 *   draws from its whole set; `$`, `#`, `{`, `%` and the like would only make the local inbox harder to read).
 *
 * The check of a caller's own `TemporaryPassword` and the wiring are in local/cognito-local/password-policy.ts.
 */
import { randomInt } from 'node:crypto';
import type { PasswordPolicy } from './internals.js';

/** A random whole number from 0 up to, not including, `size` (`crypto.randomInt`'s shape). */
export type RandomIndex = (size: number) => number;

const LOWERCASE = 'abcdefghijklmnopqrstuvwxyz';
const UPPERCASE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const NUMBERS = '0123456789';
const SYMBOLS = '!*-_.~';

// One character of each kind comes first; the rest are drawn from all of them.
const KINDS: readonly string[] = [LOWERCASE, UPPERCASE, NUMBERS, SYMBOLS];
const ANY = KINDS.join('');

// Cognito's default minimum length when a pool sets none (as in local/cognito-local/password-policy.ts).
const DEFAULT_MINIMUM_LENGTH = 8;

/**
 * A temporary password that conforms to `policy`, as Cognito generates for AdminCreateUser without one.
 *
 * @example
 * generatedTemporaryPassword({ MinimumLength: 12, RequireNumbers: true }); // 'q7-Rt2mXa!9k'
 */
export function generatedTemporaryPassword(
  policy: PasswordPolicy | undefined,
  randomIndex: RandomIndex = randomInt,
): string {
  const length = Math.max(policy?.MinimumLength ?? DEFAULT_MINIMUM_LENGTH, KINDS.length);
  const pick = (characters: string) => characters.charAt(randomIndex(characters.length));
  const password = KINDS.map(pick);
  while (password.length < length) password.push(pick(ANY));
  // Shuffled (Fisher-Yates), so the kinds do not always stand in the same places.
  for (let index = password.length - 1; index > 0; index -= 1) {
    const other = randomIndex(index + 1);
    [password[index], password[other]] = [password[other] ?? '', password[index] ?? ''];
  }
  return password.join('');
}
