/**
 * The Cognito user pool client the triggers call back into (ListUsers, AdminLinkProviderForUser,
 * AdminAddUserToGroup), created lazily on first use and bounded as every client is (shared/aws-client.ts).
 */
import type {
  CognitoIdentityProviderClient,
  CognitoIdentityProviderClientConfig,
  UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { type AwsClientOptions, type AwsClientProvider, AwsRequestError, awsService } from './aws-client.js';
import { checkWhole } from './options.js';

/**
 * Gives the client for a Region (the event's `region`: the pool lives there). Tests inject `() => client`
 * pointed at a local server; the function ignores the Region then.
 */
export type CognitoClientProvider = AwsClientProvider<CognitoIdentityProviderClient>;

/** The Cognito SDK module, loaded on first use. */
export type CognitoSdk = typeof import('@aws-sdk/client-cognito-identity-provider');

/**
 * Options of {@link lazyCognitoClient}; `region` is used only when the event carries no well-formed Region.
 */
export type CognitoClientOptions = AwsClientOptions<CognitoIdentityProviderClientConfig['credentials']>;

const cognito = awsService<
  CognitoSdk,
  CognitoIdentityProviderClient,
  CognitoIdentityProviderClientConfig['credentials']
>(
  '@aws-sdk/client-cognito-identity-provider',
  (sdk, config) => new sdk.CognitoIdentityProviderClient(config),
);

/**
 * Loads the Cognito SDK module the first time a rule needs it. A static import would evaluate the whole SDK
 * (about 75 ms measured by `npm run bench`) at every cold start, even for sign-ups that never call Cognito;
 * the module is left to the Lambda runtime (see load-external-module.ts).
 */
export const loadCognitoSdk: () => Promise<CognitoSdk> = cognito.loadSdk;

/**
 * A memoised, lazily created {@link CognitoIdentityProviderClient}, one per Region.
 *
 * @example
 * const cognito = lazyCognitoClient({ requestTimeoutMs: 1000 });
 * const client = await cognito(event.region); // built now, reused afterwards
 */
export const lazyCognitoClient: (options?: CognitoClientOptions) => CognitoClientProvider =
  cognito.lazyClient;

/** The one client every rule of a function shares, built on the first call that needs it. */
export const defaultCognitoClient: CognitoClientProvider = lazyCognitoClient();

/** A Cognito API call failed or did not answer in time. Names the operation and the error class only. */
export class CognitoRequestError extends AwsRequestError {
  public constructor(operation: string, cause: unknown) {
    super(operation, cause);
    this.name = 'CognitoRequestError';
  }
}

/** A user as ListUsers returns it, attributes in a Map (no prototype keys to trip over). */
export type PoolUser = {
  username: string;
  /** `CONFIRMED`, `UNCONFIRMED`, `EXTERNAL_PROVIDER`, … (contract §1, `UserStatusType`). */
  status: string | undefined;
  enabled: boolean;
  attributes: ReadonlyMap<string, string>;
};

/** What a search by email found. `complete` is false when more users may exist than were returned. */
export type UsersByEmail = { users: readonly PoolUser[]; complete: boolean };

/** The request of {@link listUsersByEmail}. */
export type ListUsersByEmailRequest = {
  userPoolId: string;
  /** Each spelling is searched (the filter's case sensitivity for `email` is undocumented [I]). */
  emails: readonly string[];
  /** Users per spelling, 1–60 (the model's `QueryLimitType`). */
  limit: number;
  /** Attributes to return; all of them when omitted. */
  attributesToGet?: readonly string[];
  signal: AbortSignal;
};

// UserFilterType allows 256 characters in all.
const FILTER_MAX_LENGTH = 256;

/**
 * The ListUsers filter for one email, or `undefined` when it would exceed the 256-character limit.
 * Quotes and backslashes in the value are escaped with a backslash, as the API reference asks.
 */
export function emailFilter(email: string): string | undefined {
  const filter = `email = "${email.replace(/[\\"]/g, (character) => `\\${character}`)}"`;
  return filter.length > FILTER_MAX_LENGTH ? undefined : filter;
}

function poolUserOf(user: UserType): PoolUser | undefined {
  if (typeof user.Username !== 'string') return undefined;
  const attributes = new Map<string, string>();
  for (const attribute of user.Attributes ?? []) {
    if (typeof attribute.Name === 'string' && typeof attribute.Value === 'string') {
      attributes.set(attribute.Name, attribute.Value);
    }
  }
  return { username: user.Username, status: user.UserStatus, enabled: user.Enabled !== false, attributes };
}

/**
 * The users of a pool whose `email` equals any of `emails` (deduplicated by username). Throws
 * {@link CognitoRequestError} when a call fails, is throttled past its retries, or is aborted by `signal`.
 */
export async function listUsersByEmail(
  client: CognitoIdentityProviderClient,
  request: ListUsersByEmailRequest,
): Promise<UsersByEmail> {
  checkWhole('limit', request.limit, { min: 1, max: 60 });
  const filters = [...new Set(request.emails)].map(emailFilter);
  const { ListUsersCommand } = await loadCognitoSdk();
  const pages = await Promise.all(
    filters.map(async (filter) => {
      if (filter === undefined) return undefined;
      try {
        return await client.send(
          new ListUsersCommand({
            UserPoolId: request.userPoolId,
            Filter: filter,
            Limit: request.limit,
            ...(request.attributesToGet === undefined
              ? {}
              : { AttributesToGet: [...request.attributesToGet] }),
          }),
          { abortSignal: request.signal },
        );
      } catch (error) {
        throw new CognitoRequestError('ListUsers', error);
      }
    }),
  );
  const users = new Map<string, PoolUser>();
  let complete = true;
  for (const page of pages) {
    if (page === undefined || (page.PaginationToken ?? '') !== '') complete = false;
    for (const user of page?.Users ?? []) {
      const poolUser = poolUserOf(user);
      if (poolUser !== undefined) users.set(poolUser.username, poolUser);
    }
  }
  return { users: [...users.values()], complete };
}
