/**
 * cognito-local's own modules (npm `cognito-local` 5.3.0, `lib/`), loaded from node_modules and typed by the
 * little the pipeline uses of them. cognito-local ships CommonJS with no public API beyond its server, so the
 * pipeline builds the server from these parts and replaces some of them (local/cognito-local.ts).
 */

import type { RequestListener } from 'node:http';
import { createRequire } from 'node:module';
import type { CognitoErrorClass } from '../cognito-lambda.js';

/** A JSON request body or response. */
export type Json = Record<string, unknown>;
/** cognito-local's per-request context (its pino logger). */
export type Ctx = { logger: unknown };
/** A user attribute as cognito-local stores it. */
export type Attribute = { Name: string; Value?: string };
/** A stored user. */
export type User = {
  Username: string;
  UserStatus?: string;
  /** `false` once AdminDisableUser ran. */
  Enabled?: boolean;
  Attributes: Attribute[];
  ConfirmationCode?: string;
};
/** The pool's `Policies.PasswordPolicy` (the settings cognito-local keeps but does not check). */
export type PasswordPolicy = {
  MinimumLength?: number;
  RequireUppercase?: boolean;
  RequireLowercase?: boolean;
  RequireNumbers?: boolean;
  RequireSymbols?: boolean;
};
/** One user pool. */
export type UserPoolService = {
  options: {
    Id: string;
    AutoVerifiedAttributes?: string[];
    UsernameAttributes?: string[];
    Policies?: { PasswordPolicy?: PasswordPolicy };
  };
  getUserByUsername(ctx: Ctx, username: string): Promise<User | null>;
  saveUser(ctx: Ctx, user: User): Promise<void>;
};
/** An app client, with the settings the corrections read (as CreateUserPoolClient stored them). */
export type AppClient = {
  ClientSecret?: string;
  /** `ENABLED` or `LEGACY`; unset means `LEGACY`, Cognito's default for a client made through the API. */
  PreventUserExistenceErrors?: string;
};
/** Every pool and app client. */
export type CognitoService = {
  getAppClient(ctx: Ctx, clientId: string): Promise<AppClient | null>;
  getUserPool(ctx: Ctx, userPoolId: string): Promise<UserPoolService>;
  getUserPoolForClientId(ctx: Ctx, clientId: string): Promise<UserPoolService>;
};
/** One API operation as cognito-local's router serves it. */
export type Route = (ctx: Ctx, body: Json) => Promise<unknown>;
/** What cognito-local passes its custom message trigger. */
export type CustomMessageParams = {
  clientId: string | null;
  clientMetadata?: Record<string, string>;
  code: string;
  source: string;
  userAttributes: Attribute[];
  username: string;
  userPoolId: string;
};
/** What cognito-local's operations pass its `triggers.postConfirmation`. */
export type PostConfirmationParams = Omit<CustomMessageParams, 'code'>;
/** cognito-local's triggers service (the parts the pipeline calls or replaces). */
export type Triggers = {
  enabled(trigger: string): boolean;
  customMessage: (ctx: Ctx, params: CustomMessageParams) => Promise<Json | null>;
  postConfirmation: (ctx: Ctx, params: PostConfirmationParams) => Promise<void>;
  preSignUp: (ctx: Ctx, params: Json) => Promise<unknown>;
};
/** cognito-local's message service: `deliver(ctx, source, clientId, userPoolId, user, code, metadata, details)`. */
export type Messages = { deliver: (ctx: Ctx, source: string, ...rest: unknown[]) => Promise<void> };
/** Where a code went (`CodeDeliveryDetails`). */
export type DeliveryDetails = { AttributeName: string; DeliveryMedium: string; Destination: string };
/** The error classes the corrections throw: cognito-local's server turns each into Cognito's `__type`. */
export type CognitoLocalErrors = {
  CognitoError: CognitoErrorClass;
  NotAuthorizedError: new (message?: string) => Error;
  UserNotFoundError: new (message?: string) => Error;
  InvalidParameterError: new (message?: string) => Error;
};
/** The configuration cognito-local's `loadConfig` returns. */
export type LoadedConfig = Json & {
  LambdaClient: { endpoint?: unknown };
  TriggerFunctions: Record<string, string>;
  UserPoolDefaults: unknown;
  TokenConfig: unknown;
  ServerConfig: unknown;
};

/** The constructors and functions of cognito-local the pipeline builds its server from. */
export type CognitoLocalModules = {
  pino: (options: Json, destination?: { write(line: string): void }) => unknown;
  loadConfig: (ctx: Ctx, factory: unknown) => Promise<LoadedConfig>;
  StormDBDataStoreFactory: new (dir: string) => unknown;
  DateClock: new () => unknown;
  CognitoServiceFactoryImpl: new (
    dir: string,
    factory: unknown,
    pools: unknown,
  ) => { create(ctx: Ctx, defaults: unknown): Promise<CognitoService> };
  UserPoolServiceFactoryImpl: new (clock: unknown, factory: unknown) => unknown;
  TriggersService: new (clock: unknown, cognito: unknown, lambda: unknown, crypto: unknown) => Triggers;
  MessagesService: new (triggers: unknown, delivery: unknown) => Messages;
  MessageDeliveryService: new (sender: unknown) => unknown;
  selectAppropriateDeliveryMethod: (mediums: readonly string[], user: User) => DeliveryDetails | null;
  otp: () => string;
  JwtTokenGenerator: new (clock: unknown, triggers: unknown, config: unknown) => unknown;
  Router: (services: unknown) => (target: string) => Route;
  createServer: (
    router: unknown,
    logger: unknown,
    options: unknown,
    services: unknown,
  ) => { application: RequestListener };
  errors: CognitoLocalErrors;
};

/** The operations' client id in admin calls (`PreSignUp_AdminCreateUser`): Cognito's own placeholder. */
export const AWS_ADMIN_CLIENT_ID = 'CLIENT_ID_NOT_APPLICABLE';

/**
 * Loads cognito-local's modules from node_modules (its own dependencies, pino among them, resolve from its
 * folder).
 */
export function loadCognitoLocalModules(): CognitoLocalModules {
  const projectRequire = createRequire(import.meta.url);
  const packageRequire = createRequire(projectRequire.resolve('cognito-local/package.json'));
  const lib = <T>(path: string): T => packageRequire(`./lib/${path}`) as T;
  return {
    pino: packageRequire('pino') as CognitoLocalModules['pino'],
    ...lib<Pick<CognitoLocalModules, 'loadConfig'>>('server/config'),
    ...lib<Pick<CognitoLocalModules, 'StormDBDataStoreFactory'>>('services/dataStore/stormDb'),
    ...lib<Pick<CognitoLocalModules, 'DateClock'>>('services/clock'),
    ...lib<Pick<CognitoLocalModules, 'CognitoServiceFactoryImpl'>>('services/cognitoService'),
    ...lib<Pick<CognitoLocalModules, 'UserPoolServiceFactoryImpl'>>('services/userPoolService'),
    ...lib<Pick<CognitoLocalModules, 'TriggersService'>>('services/triggers'),
    ...lib<Pick<CognitoLocalModules, 'MessagesService'>>('services/messages'),
    ...lib<Pick<CognitoLocalModules, 'MessageDeliveryService'>>('services/messageDelivery/messageDelivery'),
    ...lib<Pick<CognitoLocalModules, 'selectAppropriateDeliveryMethod'>>(
      'services/messageDelivery/deliveryMethod',
    ),
    ...lib<Pick<CognitoLocalModules, 'otp'>>('services/otp'),
    ...lib<Pick<CognitoLocalModules, 'JwtTokenGenerator'>>('services/tokenGenerator'),
    ...lib<Pick<CognitoLocalModules, 'Router'>>('server/Router'),
    ...lib<Pick<CognitoLocalModules, 'createServer'>>('server/server'),
    errors: lib<CognitoLocalErrors>('errors'),
  };
}
