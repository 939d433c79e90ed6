/**
 * Which correction runs for which API operation, around cognito-local's own router: the order below is the
 * behaviour (the model's limits first, then a SecretHash before the password, both before cognito-local sees the call; an
 * unknown user is answered after the SecretHash check, as Cognito checks the client first). Every answer
 * leaves with its code destinations masked (contract §5b).
 */
import { cognitoRequestContext } from '../request-context.js';
import { withDeliveredCode } from './attribute-verification-code.js';
import { resolvesAlias } from './internal-username.js';
import type { Ctx, Json, Route } from './internals.js';
import { withMaskedDestinations } from './mask-destination.js';
import { PASSWORD_OPERATIONS } from './password-policy.js';
import { USER_EXISTENCE_OPERATIONS } from './prevent-user-existence-errors.js';
import { SECRET_HASH_OPERATIONS } from './secret-hash.js';
import { withStoredUnverifiedFlags } from './unverified-flags.js';

/** The corrections, built by their factories (one file each in this folder). */
export type Corrections = {
  /** The model's limits (user name, password, attributes, …), before anything else. */
  checkLimits: (body: Json) => void;
  checkSecretHash: (ctx: Ctx, body: Json) => Promise<void>;
  checkPassword: (ctx: Ctx, body: Json) => Promise<void>;
  resendCode: Route;
  markVerified: (ctx: Ctx, body: Json) => Promise<void>;
  runPreSignUp: (ctx: Ctx, body: Json) => Promise<void>;
  resolveAlias: (ctx: Ctx, body: Json) => Promise<Json>;
  /** The made-up answer for a user who does not exist under `PreventUserExistenceErrors: ENABLED`. */
  answerUnknownUser: (ctx: Ctx, operation: string, body: Json) => Promise<Json | undefined>;
};

/** A SignUp answer without `CodeDeliveryDetails` when pre sign-up auto-confirmed: Cognito sent no code. */
function signUpAnswerOf(result: unknown): unknown {
  if (cognitoRequestContext.getStore()?.autoConfirmed !== true) return result;
  const { CodeDeliveryDetails: _sent, ...answer } = result as Json;
  return answer;
}

/** cognito-local's answer, corrected where the operation needs it. */
function answerOf(operation: string, result: unknown): unknown {
  if (operation === 'SignUp') return signUpAnswerOf(result);
  if (operation === 'GetUserAttributeVerificationCode') return withDeliveredCode(result);
  return withStoredUnverifiedFlags(operation, result);
}

/**
 * cognito-local's router with the corrections in front of (and, for SignUp and
 * GetUserAttributeVerificationCode, behind) each operation, and every answer's destinations masked.
 *
 * @example
 * const route = correctedRouter(Router(services), corrections);
 * createServer(route, logger, config.ServerConfig, services);
 */
export function correctedRouter(router: (operation: string) => Route, corrections: Corrections) {
  return function route(operation: string): Route {
    if (operation === 'ResendConfirmationCode') {
      return async function serveResend(ctx, body) {
        corrections.checkLimits(body);
        await corrections.checkSecretHash(ctx, body);
        const answer =
          (await corrections.answerUnknownUser(ctx, operation, body)) ??
          (await corrections.resendCode(ctx, body));
        return withMaskedDestinations(answer);
      };
    }
    const target = router(operation);
    return async function serveOperation(ctx, body) {
      corrections.checkLimits(body);
      if (SECRET_HASH_OPERATIONS.includes(operation)) await corrections.checkSecretHash(ctx, body);
      if (PASSWORD_OPERATIONS.includes(operation)) await corrections.checkPassword(ctx, body);
      if (operation === 'ConfirmSignUp') await corrections.markVerified(ctx, body);
      if (operation === 'AdminCreateUser') await corrections.runPreSignUp(ctx, body);
      if (USER_EXISTENCE_OPERATIONS.includes(operation)) {
        const madeUp = await corrections.answerUnknownUser(ctx, operation, body);
        if (madeUp !== undefined) return withMaskedDestinations(madeUp);
      }
      const request = resolvesAlias(operation) ? await corrections.resolveAlias(ctx, body) : body;
      const result = await target(ctx, request);
      return withMaskedDestinations(answerOf(operation, result));
    };
  };
}
