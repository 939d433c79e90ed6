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
 * - `clientMetadata` is absent when the caller sent none.
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
            userAttributes: attributes,
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
        request: withClientMetadata({ userAttributes: attributes }, params.clientMetadata),
        response: {},
      };
  }
}
