/**
 * The app client of a call made with a user's access token (UpdateUserAttributes,
 * GetUserAttributeVerificationCode), which cognito-local reports to the custom message trigger as
 * `CLIENT_ID_NOT_APPLICABLE`, the value of an administrator's call. The event names the token's app client
 * instead, as every call made through an app client does [O, SignUp captures, contract §1]; no capture of
 * these two sources is known, so the value is inferred [I] (docs/cognito-contract.md §1, "callerContext.clientId";
 * the conformance suite reports it as unknown).
 */
import { cognitoRequestContext } from '../request-context.js';

/** The operations a user calls with an access token that cause a custom message. */
export const USER_TOKEN_OPERATIONS: readonly string[] = [
  'UpdateUserAttributes',
  'GetUserAttributeVerificationCode',
];

/** `client_id` of an access token (a JWT cognito-local issued and its operation already accepted). */
export function clientIdOfAccessToken(token: unknown): string | undefined {
  if (typeof token !== 'string') return undefined;
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const clientId =
      typeof claims === 'object' && claims !== null
        ? (claims as { client_id?: unknown }).client_id
        : undefined;
    return typeof clientId === 'string' && clientId !== '' ? clientId : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The `callerContext.clientId` of a trigger event: the access token's app client when the current call is a
 * user's token operation, else `clientId` as cognito-local gives it.
 *
 * @example
 * callerClientId('CLIENT_ID_NOT_APPLICABLE'); // 'abc123…' during UpdateUserAttributes with a token of client abc123…
 */
export function callerClientId(clientId: string | null): string | null {
  const request = cognitoRequestContext.getStore();
  if (request === undefined || !USER_TOKEN_OPERATIONS.includes(request.operation)) return clientId;
  return clientIdOfAccessToken(request.body.AccessToken) ?? clientId;
}
