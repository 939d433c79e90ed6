/**
 * The trigger event Cognito would send, built from what cognito-local hands its Lambda client. cognito-local
 * 5.3.0 gets several fields wrong (contract §1–§5); each correction below names the field:
 * - `version` is `"1"`, not `"0"`; `region` is the pool's Region, not `"local"`;
 * - `callerContext.awsSdkVersion` comes from the caller's user agent (`aws-sdk-js-3.1169.0`), else
 *   `aws-sdk-unknown-unknown`, not cognito-local's own aws-sdk v2 version;
 * - pre sign-up carries the caller's `ValidationData` as `validationData` (a map, or `null` when none was
 *   sent), and no `sub` among the submitted attributes (a new user has none yet);
 * - custom message carries `linkParameter` `{##Click Here##}`, `usernameParameter` `null` except for
 *   AdminCreateUser, `cognito:user_status`, and a response pre-filled with `null`, not `""`;
 * - `clientMetadata` is absent when the caller sent none;
 * - custom message and post confirmation carry `email_verified: "false"` (`phone_number_verified: "false"`)
 *   beside an address that is not verified: Cognito keeps the flag from sign-up on, cognito-local stores it
 *   only once it is `"true"` (see {@link withUnverifiedFlags}).
 */
import type { TriggerName } from '../shared/trigger-source.js';
import type { CognitoRequestContext } from './request-context.js';

/** What cognito-local passes to its Lambda service for one trigger (its `LambdaService.invoke` event). */
export type CognitoLocalTriggerParams = {
  triggerSource: string;
  userPoolId: string;
  username: string;
  clientId?: string | null;
  clientMetadata?: Record<string, string>;
  userAttributes: Record<string, string>;
  validationData?: Record<string, string>;
  codeParameter?: string;
  usernameParameter?: string | null;
};

/** A Cognito trigger event (contract §9), as plain JSON. */
export type CognitoEvent = {
  version: string;
  region: string;
  userPoolId: string;
  userName: string;
  callerContext: { awsSdkVersion: string; clientId: string | null };
  triggerSource: string;
  request: Record<string, unknown>;
  response: Record<string, unknown>;
};

/** The placeholders Cognito puts in custom message events (contract §3). */
export const MessagePlaceholder = {
  Code: '{####}',
  Link: '{##Click Here##}',
  Username: '{username}',
} as const;

const CODE_OR_USERNAME = /\{####\}|\{username\}/g;

/**
 * `text` with the code and user name placeholders filled, in one pass: a value is inserted as it is (no `$&`
 * or `$'` replacement patterns), and a value that itself holds a placeholder (a caller's own temporary
 * password `{username}`) is not expanded again.
 *
 * @example
 * fillCodeAndUsername('Your code is {####}', '123456', 'jane'); // 'Your code is 123456'
 */
export function fillCodeAndUsername(text: string, code: string, userName: string): string {
  return text.replace(CODE_OR_USERNAME, (placeholder) =>
    placeholder === MessagePlaceholder.Code ? code : userName,
  );
}

/** The user status Cognito reports in custom message events of each source. */
const STATUS_OF_MESSAGE_SOURCE: Readonly<Record<string, string>> = {
  CustomMessage_SignUp: 'UNCONFIRMED',
  CustomMessage_ResendCode: 'UNCONFIRMED',
  CustomMessage_AdminCreateUser: 'FORCE_CHANGE_PASSWORD',
  CustomMessage_ForgotPassword: 'CONFIRMED',
  CustomMessage_UpdateUserAttribute: 'CONFIRMED',
  CustomMessage_VerifyUserAttribute: 'CONFIRMED',
  CustomMessage_Authentication: 'CONFIRMED',
};

/**
 * `callerContext.awsSdkVersion` from a user agent: `aws-sdk-js/3.1169.0 …` gives `aws-sdk-js-3.1169.0`;
 * callers Cognito cannot name (the AWS CLI, boto3, a browser) give `aws-sdk-unknown-unknown`.
 */
export function sdkVersionOf(userAgent: string | undefined): string {
  const match = /(?:^|\s)aws-sdk-([a-z]+)\/([0-9][\w.-]*)/i.exec(userAgent ?? '');
  return match === null ? 'aws-sdk-unknown-unknown' : `aws-sdk-${match[1]?.toLowerCase()}-${match[2]}`;
}

/** A `[{ Name, Value }]` list (SignUp's `ValidationData`) as a map; `null` when the caller sent none. */
export function attributeMapOf(list: unknown): Record<string, string> | null {
  if (!Array.isArray(list)) return null;
  const map: Record<string, string> = {};
  for (const entry of list) {
    const { Name, Value } = (entry ?? {}) as { Name?: unknown; Value?: unknown };
    if (typeof Name === 'string' && typeof Value === 'string') {
      Object.defineProperty(map, Name, {
        value: Value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return map;
}

/** The flag Cognito keeps beside each address attribute. */
const VERIFIED_FLAG_OF: Readonly<Record<string, string>> = {
  email: 'email_verified',
  phone_number: 'phone_number_verified',
};

/**
 * The attributes with `"false"` for the verified flag of each address that has none. Cognito stores
 * `email_verified` / `phone_number_verified` `"false"` for an unverified address given at sign-up, and no
 * flag only where there is no address [O, jagregory/cognito-local#386, which reports the real pool's
 * AdminGetUser]; the flag stays `"false"` when an administrator confirms the user (AdminConfirmSignUp) [O,
 * amazon-cognito-identity-js#566]; post confirmation lists the user's attributes as they stand (contract §4)
 * and the recorded sign-up custom message events carry `"false"` (events/custom-message/sign-up.*.json).
 * cognito-local writes the flag only as `"true"` (auto-verify, ConfirmSignUp), or as the caller sent it, so
 * an address without one is unverified. Not for the AdminCreateUser invitation: what Cognito stores for an
 * administrator's user created without the flag is not known [I].
 *
 * @example
 * withUnverifiedFlags({ email: 'jane@example.com' }); // { email: 'jane@example.com', email_verified: 'false' }
 */
export function withUnverifiedFlags(attributes: Readonly<Record<string, string>>): Record<string, string> {
  const flagged = { ...attributes };
  for (const [address, flag] of Object.entries(VERIFIED_FLAG_OF)) {
    if (Object.hasOwn(flagged, address) && !Object.hasOwn(flagged, flag)) flagged[flag] = 'false';
  }
  return flagged;
}

function withClientMetadata(
  request: Record<string, unknown>,
  metadata: Record<string, string> | undefined,
): Record<string, unknown> {
  return metadata === undefined || metadata === null ? request : { ...request, clientMetadata: metadata };
}

/**
 * The event Cognito would send for one trigger call of cognito-local.
 *
 * @example
 * const event = cognitoEventOf('PreSignUp', params, { region: 'us-east-1', context });
 * event.request.validationData; // { invite: 'v1.…' } when SignUp carried ValidationData
 */
export function cognitoEventOf(
  trigger: TriggerName,
  params: CognitoLocalTriggerParams,
  options: { region: string; context: CognitoRequestContext | undefined },
): CognitoEvent {
  const { context } = options;
  const envelope = {
    version: '1',
    region: options.region,
    userPoolId: params.userPoolId,
    userName: params.username,
    callerContext: {
      awsSdkVersion: sdkVersionOf(context?.userAgent),
      clientId: params.clientId ?? null,
    },
    triggerSource: params.triggerSource,
  };
  const attributes = { ...params.userAttributes };
  switch (trigger) {
    case 'PreSignUp': {
      // A new user has no `sub` yet (contract §1); cognito-local generates one before the trigger runs.
      delete attributes.sub;
      // Only SignUp and AdminCreateUser take ValidationData (contract §5); cognito-local never passes it on.
      const operation = context?.operation;
      const validationData =
        operation === 'SignUp' || operation === 'AdminCreateUser'
          ? attributeMapOf(context?.body.ValidationData)
          : null;
      return {
        ...envelope,
        request: withClientMetadata({ userAttributes: attributes, validationData }, params.clientMetadata),
        response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
      };
    }
    case 'CustomMessage': {
      const status = STATUS_OF_MESSAGE_SOURCE[params.triggerSource];
      if (status !== undefined && attributes['cognito:user_status'] === undefined) {
        attributes['cognito:user_status'] = status;
      }
      const isInvitation = params.triggerSource === 'CustomMessage_AdminCreateUser';
      return {
        ...envelope,
        request: withClientMetadata(
          {
            userAttributes: isInvitation ? attributes : withUnverifiedFlags(attributes),
            codeParameter: MessagePlaceholder.Code,
            linkParameter: MessagePlaceholder.Link,
            usernameParameter: isInvitation ? MessagePlaceholder.Username : null,
          },
          params.clientMetadata,
        ),
        response: { smsMessage: null, emailMessage: null, emailSubject: null },
      };
    }
    case 'PostConfirmation':
      return {
        ...envelope,
        request: withClientMetadata(
          { userAttributes: withUnverifiedFlags(attributes) },
          params.clientMetadata,
        ),
        response: {},
      };
  }
}
