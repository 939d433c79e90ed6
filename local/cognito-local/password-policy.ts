/**
 * The pool's password policy, which cognito-local stores but does not check: SignUp and
 * ConfirmForgotPassword answer `InvalidPasswordException: Password did not conform with policy: <problem>`,
 * the problem in Cognito's words.
 *
 * AdminCreateUser too: a caller's `TemporaryPassword` "must conform to the password policy" [D, BOTO
 * `AdminCreateUserRequest.TemporaryPassword`; the operation lists `InvalidPasswordException`], refused as
 * `InvalidPasswordException: Password did not conform with password policy: <problem>`, this operation's
 * wording [O, data-dot-all/dataall#690: `… when calling the AdminCreateUser operation: Password did not
 * conform with password policy: Password must have numeric characters`]. Without one, the call gets the
 * password Cognito would generate (local/cognito-local/temporary-password.ts) in place of cognito-local's
 * six characters. Whether Cognito checks the password before or after the user name is taken is not known
 * [I]: here the password comes first.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-policies.html
 */
import type { CognitoLocalErrors, CognitoService, Ctx, Json, PasswordPolicy } from './internals.js';
import { generatedTemporaryPassword, type RandomIndex } from './temporary-password.js';

/** The operations that set a password: chosen by the user, or by the administrator (a temporary one). */
export const PASSWORD_OPERATIONS: readonly string[] = ['SignUp', 'ConfirmForgotPassword', 'AdminCreateUser'];

// Cognito's special characters; a space counts too, unless it leads or trails the password.
const SYMBOL = /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+-]/;

/** Whether the password holds one of Cognito's special characters (an inner space is one). */
function hasSymbol(password: string): boolean {
  return SYMBOL.test(password) || password.trim().includes(' ');
}

// Cognito's own wording for each unmet rule, in the order it reports them; letters are Basic Latin ones.
const PASSWORD_RULES: readonly [keyof PasswordPolicy, (password: string) => boolean, string][] = [
  ['RequireLowercase', (password) => /[a-z]/.test(password), 'Password must have lowercase characters'],
  ['RequireUppercase', (password) => /[A-Z]/.test(password), 'Password must have uppercase characters'],
  ['RequireNumbers', (password) => /[0-9]/.test(password), 'Password must have numeric characters'],
  ['RequireSymbols', hasSymbol, 'Password must have symbol characters'],
];

/**
 * Why a password breaks the policy, in Cognito's words; `undefined` when it conforms (or there is no policy).
 *
 * @example
 * passwordProblem('short1A', { MinimumLength: 12 }); // 'Password not long enough'
 */
export function passwordProblem(password: string, policy: PasswordPolicy | undefined): string | undefined {
  if (policy === undefined) return undefined;
  if (password.length < (policy.MinimumLength ?? 8)) return 'Password not long enough';
  for (const [rule, holds, problem] of PASSWORD_RULES) {
    if (policy[rule] === true && !holds(password)) return problem;
  }
  return undefined;
}

/** What {@link enforcePasswordPolicy} reads the pool from, throws with, and draws passwords with. */
export type EnforcePasswordPolicyDependencies = {
  cognito: Pick<CognitoService, 'getUserPoolForClientId' | 'getUserPool'>;
  errors: Pick<CognitoLocalErrors, 'CognitoError'>;
  /** Default `crypto.randomInt`. */
  randomIndex?: RandomIndex;
};

/**
 * The check, for the operations of {@link PASSWORD_OPERATIONS}. For AdminCreateUser (the call that names a
 * pool, not a client) it checks the caller's `TemporaryPassword`, or puts the generated one in the body
 * cognito-local goes on to serve.
 *
 * @example
 * const checkPassword = enforcePasswordPolicy({ cognito, errors });
 * await checkPassword(ctx, body); // throws InvalidPasswordException
 */
export function enforcePasswordPolicy(dependencies: EnforcePasswordPolicyDependencies) {
  const { cognito, errors, randomIndex } = dependencies;

  async function checkTemporaryPassword(ctx: Ctx, body: Json): Promise<void> {
    const pool = await cognito.getUserPool(ctx, String(body.UserPoolId));
    const policy = pool.options.Policies?.PasswordPolicy;
    if (body.TemporaryPassword === undefined || body.TemporaryPassword === null) {
      body.TemporaryPassword = generatedTemporaryPassword(policy, randomIndex);
      return;
    }
    const problem = passwordProblem(String(body.TemporaryPassword), policy);
    if (problem !== undefined) {
      throw new errors.CognitoError(
        'InvalidPasswordException',
        `Password did not conform with password policy: ${problem}`,
      );
    }
  }

  return async function checkPassword(ctx: Ctx, body: Json): Promise<void> {
    if (typeof body.UserPoolId === 'string') return checkTemporaryPassword(ctx, body);
    if (typeof body.Password !== 'string' || typeof body.ClientId !== 'string') return;
    const pool = await cognito.getUserPoolForClientId(ctx, body.ClientId);
    const problem = passwordProblem(body.Password, pool.options.Policies?.PasswordPolicy);
    if (problem !== undefined) {
      throw new errors.CognitoError(
        'InvalidPasswordException',
        `Password did not conform with policy: ${problem}`,
      );
    }
  };
}
