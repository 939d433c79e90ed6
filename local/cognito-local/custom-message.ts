/**
 * The custom message trigger as Cognito runs it, replacing cognito-local's: a failure fails the API call
 * (cognito-local logged it and sent its default message), and every placeholder is filled (cognito-local
 * filled only the first `{####}`).
 */
import { type CognitoLocalTriggerParams, MessagePlaceholder } from '../cognito-events.js';
import type { CognitoLocalLambda } from '../cognito-lambda.js';
import type { Attribute, Ctx, CustomMessageParams, Json } from './internals.js';

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

/** `text` with every code and user name placeholder filled in; `undefined` when the trigger left no text. */
export function filledMessage(text: unknown, code: string, signInName: string): string | undefined {
  if (typeof text !== 'string') return undefined;
  return text.replaceAll(MessagePlaceholder.Code, code).replaceAll(MessagePlaceholder.Username, signInName);
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
      clientId: params.clientId,
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
