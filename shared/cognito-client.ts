/**
 * The Cognito user pool client the triggers call back into (ListUsers, AdminLinkProviderForUser), created
 * lazily on first use, never at module scope: a function whose rules never call Cognito pays nothing at
 * cold start but the import. Every call is bounded twice: by the HTTP handler's own timeouts and by the
 * rule's `AbortSignal`, which fires at the invocation deadline (contract §6: Cognito waits 5 s).
 */
import type {
  CognitoIdentityProviderClient,
  CognitoIdentityProviderClientConfig,
  UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { ConfigurationError, SignUpFault } from './errors.js';
import { loadExternalModule } from './load-external-module.js';

/**
 * Gives the client for a Region (the event's `region`: the pool lives there). Tests inject `() => client`
 * pointed at a local server; the function ignores the Region then.
 */
export type CognitoClientProvider = (region: string) => Promise<CognitoIdentityProviderClient>;

/** The Cognito SDK module, loaded on first use. */
export type CognitoSdk = typeof import('@aws-sdk/client-cognito-identity-provider');

let sdk: Promise<CognitoSdk> | undefined;

/**
 * Loads the Cognito SDK module the first time a rule needs it. A static import would evaluate the whole SDK
 * (about 75 ms measured by `npm run bench`) at every cold start, even for sign-ups that never call Cognito;
 * the module is left to the Lambda runtime (see load-external-module.ts).
 */
export function loadCognitoSdk(): Promise<CognitoSdk> {
  sdk ??= loadExternalModule<CognitoSdk>('@aws-sdk/client-cognito-identity-provider');
  return sdk;
}

/** Options of {@link lazyCognitoClient}. */
export type CognitoClientOptions = {
  /** How long opening the TCP/TLS connection may take. */
  connectionTimeoutMs?: number;
  /** How long one request may take from sending to the whole answer; a breach throws `TimeoutError`. */
  requestTimeoutMs?: number;
  /** Attempts per call, the first included (the SDK retries throttling and 5xx answers with back-off). */
  maxAttempts?: number;
  /** Used when the event carries no well-formed Region; `AWS_REGION` (read on first use) when unset. */
  fallbackRegion?: string;
  /** Another endpoint (a local test server); the SDK also reads `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`. */
  endpoint?: string;
  /** Fixed credentials, for a local test server only; Lambda's role credentials otherwise. */
  credentials?: CognitoIdentityProviderClientConfig['credentials'];
};

// Two attempts of at most 1.5 s each still leave room in Cognito's 5 s for the rest of the chain; the
// rule's AbortSignal cuts anything that would outlive the invocation deadline regardless.
const defaults = {
  connectionTimeoutMs: 1000,
  requestTimeoutMs: 1500,
  maxAttempts: 2,
};

// Commercial, GovCloud, China and ISO partitions: `us-east-1`, `us-gov-west-1`, `cn-north-1`, `us-isob-east-1`.
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;

function checkMilliseconds(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1 || value > 5000) {
    throw new TypeError(`${name} must be a whole number of milliseconds from 1 to 5000`);
  }
}

/**
 * A memoised, lazily created {@link CognitoIdentityProviderClient}: nothing is built until the first call,
 * then one client per Region is kept for the life of the execution environment (warm invocations reuse its
 * keep-alive connections). Options are checked here, once, at cold start.
 *
 * @example
 * const cognito = lazyCognitoClient({ requestTimeoutMs: 1000 });
 * const client = cognito(event.region); // built now, reused afterwards
 */
export function lazyCognitoClient(options: CognitoClientOptions = {}): CognitoClientProvider {
  const settings = { ...defaults, ...options };
  checkMilliseconds('connectionTimeoutMs', settings.connectionTimeoutMs);
  checkMilliseconds('requestTimeoutMs', settings.requestTimeoutMs);
  if (!Number.isSafeInteger(settings.maxAttempts) || settings.maxAttempts < 1 || settings.maxAttempts > 3) {
    throw new TypeError('maxAttempts must be a whole number from 1 to 3');
  }
  if (settings.fallbackRegion !== undefined && !REGION.test(settings.fallbackRegion)) {
    throw new TypeError('fallbackRegion must be an AWS Region such as us-east-1');
  }
  if (settings.endpoint !== undefined && !/^https?:\/\/[^\s/]+/.test(settings.endpoint)) {
    throw new TypeError('endpoint must be an http(s) URL');
  }
  const clients = new Map<string, Promise<CognitoIdentityProviderClient>>();

  async function create(region: string): Promise<CognitoIdentityProviderClient> {
    const { CognitoIdentityProviderClient } = await loadCognitoSdk();
    return new CognitoIdentityProviderClient({
      region,
      maxAttempts: settings.maxAttempts,
      // NodeHttpHandler options, passed through: the SDK builds the NodeHttpHandler from them. Without
      // throwOnRequestTimeout a breached requestTimeout is only a logged warning.
      requestHandler: {
        connectionTimeout: settings.connectionTimeoutMs,
        requestTimeout: settings.requestTimeoutMs,
        throwOnRequestTimeout: true,
      },
      ...(settings.endpoint === undefined ? {} : { endpoint: settings.endpoint }),
      ...(settings.credentials === undefined ? {} : { credentials: settings.credentials }),
    });
  }

  return function cognitoClient(eventRegion: string): Promise<CognitoIdentityProviderClient> {
    // The Region is checked synchronously, so a bad one fails before anything is loaded.
    const region = regionFor(eventRegion, settings.fallbackRegion);
    let client = clients.get(region);
    if (client === undefined) {
      client = create(region);
      clients.set(region, client);
    }
    return client;
  };
}

function regionFor(eventRegion: string, fallbackRegion: string | undefined): string {
  if (typeof eventRegion === 'string' && REGION.test(eventRegion)) return eventRegion;
  const fallback = fallbackRegion ?? process.env.AWS_REGION;
  if (fallback !== undefined && REGION.test(fallback)) return fallback;
  throw new ConfigurationError('AWS_REGION', 'an AWS Region such as us-east-1 (the event carried none)');
}

/** The one client every rule of a function shares, built on the first call that needs it. */
export const defaultCognitoClient: CognitoClientProvider = lazyCognitoClient();

/** A Cognito API call failed or did not answer in time. Names the operation and the error class only. */
export class CognitoRequestError extends SignUpFault {
  public readonly operation: string;
  /** The SDK's error name (`TooManyRequestsException`, `TimeoutError`, `AbortError`, …). */
  public readonly errorName: string;

  public constructor(operation: string, cause: unknown) {
    const errorName = cause instanceof Error ? cause.name : typeof cause;
    // Never the SDK's message: a ListUsers error may quote the filter, and so the email address.
    super(`${operation} failed: ${errorName}`, { cause });
    this.name = 'CognitoRequestError';
    this.operation = operation;
    this.errorName = errorName;
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
  if (!Number.isSafeInteger(request.limit) || request.limit < 1 || request.limit > 60) {
    throw new TypeError('limit must be a whole number from 1 to 60');
  }
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
