/**
 * The custom message trigger as Cognito runs it, replacing cognito-local's: a failure fails the API call
 * (cognito-local logged it and sent its default message), and every placeholder is filled (cognito-local
 * filled only the first `{####}`); a user's token operation names the token's app client (token-client-id.ts).
 */
import { type CognitoLocalTriggerParams, fillCodeAndUsername } from '../cognito-events.js';
import type { CognitoLocalLambda } from '../cognito-lambda.js';
import type { Attribute, Ctx, CustomMessageParams, Json } from './internals.js';
import { callerClientId } from './token-client-id.js';

/** The attributes with a value, as a map (the event's `userAttributes`). */
export function attributeValuesOf(attributes: readonly Attribute[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const attribute of attributes) {
    if (attribute.Value === undefined) continue;
    Object.defineProperty(values, attribute.Name, {
      value: attribute.Value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return values;
}

// Cognito's link placeholder, `{##<link text>##}` (docs/cognito-contract.md §3a).
const LINK_PLACEHOLDER = /\{##([\s\S]*?)##\}/g;

/**
 * `text` with every code, user name and link placeholder filled in; `undefined` when the trigger left no
 * text. Locally there is no managed login domain for Cognito's verification link to point at, so a link
 * placeholder becomes its text followed by the code, which ConfirmSignUp accepts as Cognito's link would.
 */
export function filledMessage(text: unknown, code: string, signInName: string): string | undefined {
  if (typeof text !== 'string') return undefined;
  return fillCodeAndUsername(text, code, signInName).replace(
    LINK_PLACEHOLDER,
    (_placeholder, label: string) => `${label} (confirmation code ${code})`,
  );
}

/**
 * The replacement for cognito-local's `triggers.customMessage`.
 *
 * @example
 * triggers.customMessage = customMessage({ lambda });
 */
export function customMessage(dependencies: { lambda: Pick<CognitoLocalLambda, 'invoke'> }) {
  const { lambda } = dependencies;
  return async function runCustomMessage(ctx: Ctx, params: CustomMessageParams): Promise<Json> {
    const attributes = attributeValuesOf(params.userAttributes);
    const response = await lambda.invoke(ctx, 'CustomMessage', {
      triggerSource: params.source,
      userPoolId: params.userPoolId,
      username: params.username,
      clientId: callerClientId(params.clientId),
      ...(params.clientMetadata === undefined ? {} : { clientMetadata: params.clientMetadata }),
      userAttributes: attributes,
    } satisfies CognitoLocalTriggerParams);
    const signInName = attributes.email ?? params.username;
    return {
      emailMessage: filledMessage(response.emailMessage, params.code, signInName),
      emailSubject: typeof response.emailSubject === 'string' ? response.emailSubject : undefined,
      smsMessage: filledMessage(response.smsMessage, params.code, signInName),
    };
  };
}
