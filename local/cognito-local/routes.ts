/**
 * Which correction runs for which API operation, around cognito-local's own router: the order below is the
 * behaviour (a SecretHash is checked before the password, both before cognito-local sees the call).
 */
import { cognitoRequestContext } from '../request-context.js';
import { resolvesAlias } from './internal-username.js';
import type { Ctx, Json, Route } from './internals.js';
import { PASSWORD_OPERATIONS } from './password-policy.js';
import { SECRET_HASH_OPERATIONS } from './secret-hash.js';

/** The corrections, built by their factories (one file each in this folder). */
export type Corrections = {
  checkSecretHash: (ctx: Ctx, body: Json) => Promise<void>;
  checkPassword: (ctx: Ctx, body: Json) => Promise<void>;
  resendCode: Route;
  markVerified: (ctx: Ctx, body: Json) => Promise<void>;
  runPreSignUp: (ctx: Ctx, body: Json) => Promise<void>;
  resolveAlias: (ctx: Ctx, body: Json) => Promise<Json>;
};

/** A SignUp answer without `CodeDeliveryDetails` when pre sign-up auto-confirmed: Cognito sent no code. */
function signUpAnswerOf(result: unknown): unknown {
  if (cognitoRequestContext.getStore()?.autoConfirmed !== true) return result;
  const { CodeDeliveryDetails: _sent, ...answer } = result as Json;
  return answer;
}

/**
 * cognito-local's router with the corrections in front of (and, for SignUp, behind) each operation.
 *
 * @example
 * const route = correctedRouter(Router(services), corrections);
 * createServer(route, logger, config.ServerConfig, services);
 */
export function correctedRouter(router: (operation: string) => Route, corrections: Corrections) {
  return function route(operation: string): Route {
    if (operation === 'ResendConfirmationCode') {
      return async function serveResend(ctx, body) {
        await corrections.checkSecretHash(ctx, body);
        return corrections.resendCode(ctx, body);
      };
    }
    const target = router(operation);
    return async function serveOperation(ctx, body) {
      if (SECRET_HASH_OPERATIONS.includes(operation)) await corrections.checkSecretHash(ctx, body);
      if (PASSWORD_OPERATIONS.includes(operation)) await corrections.checkPassword(ctx, body);
      if (operation === 'ConfirmSignUp') await corrections.markVerified(ctx, body);
      if (operation === 'AdminCreateUser') await corrections.runPreSignUp(ctx, body);
      const request = resolvesAlias(operation) ? await corrections.resolveAlias(ctx, body) : body;
      const result = await target(ctx, request);
      return operation === 'SignUp' ? signUpAnswerOf(result) : result;
    };
  };
}
