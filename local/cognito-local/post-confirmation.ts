/**
 * The post confirmation trigger as Cognito runs it, replacing cognito-local's: a failure fails the API call
 * (ConfirmSignUp, AdminConfirmSignUp, ConfirmForgotPassword, SignUp auto-confirmed) with Cognito's
 * `UserLambdaValidationException: PostConfirmation failed with error ….` (contract §4), where cognito-local
 * logged the error and answered success. The confirmation itself stands, as cognito-local saved it before
 * calling the trigger (contract §4: nothing says Cognito undoes it).
 */
import type { CognitoLocalTriggerParams } from '../cognito-events.js';
import type { CognitoLocalLambda } from '../cognito-lambda.js';
import { attributeValuesOf } from './custom-message.js';
import type { Ctx, PostConfirmationParams } from './internals.js';

/**
 * The replacement for cognito-local's `triggers.postConfirmation`.
 *
 * @example
 * triggers.postConfirmation = postConfirmation({ lambda });
 */
export function postConfirmation(dependencies: { lambda: Pick<CognitoLocalLambda, 'invoke'> }) {
  const { lambda } = dependencies;
  return async function runPostConfirmation(ctx: Ctx, params: PostConfirmationParams): Promise<void> {
    await lambda.invoke(ctx, 'PostConfirmation', {
      triggerSource: params.source,
      userPoolId: params.userPoolId,
      username: params.username,
      clientId: params.clientId,
      ...(params.clientMetadata === undefined ? {} : { clientMetadata: params.clientMetadata }),
      userAttributes: attributeValuesOf(params.userAttributes),
    } satisfies CognitoLocalTriggerParams);
  };
}
