/**
 * cognito-local (npm `cognito-local` 5.3.0, from node_modules) as the local user pool, run in this process
 * so the pipeline can correct it where it differs from Cognito:
 * - its configuration lives in `<dataDir>/cognito/config.json` (TriggerFunctions pointing at the local
 *   Lambda Invoke API, `LambdaClient.endpoint`), its users and pools in `<dataDir>/cognito/db/`;
 * - a front server on the same port opens a request context (local/request-context.ts) for each API call, so
 *   triggers get the caller's `ValidationData` and SDK version (local/cognito-events.ts);
 * - its Lambda service is replaced by local/cognito-lambda.ts (Cognito's invocation and error rules), and its
 *   message sender by the inbox (local/inbox.ts);
 * - a custom message failure fails the call instead of silently sending the default message; a sign-up
 *   that pre sign-up auto-confirmed gets no code message (contract §2 rule 5);
 * - app clients with a secret require a valid `SecretHash`; ConfirmSignUp marks the address the code went
 *   to as verified; ResendConfirmationCode exists; AdminCreateUser runs pre sign-up
 *   (`PreSignUp_AdminCreateUser`), which cognito-local skips; admin calls naming a user by email find the
 *   user's groups; SignUp and ConfirmForgotPassword check the pool's password policy.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { CognitoSimulationOptions } from '../harness/cognito-simulator.js';
import { type CognitoLocalTriggerParams, MessagePlaceholder } from './cognito-events.js';
import { type CognitoLambdaOptions, cognitoLambda, type TriggerCallReport } from './cognito-lambda.js';
import type { MessageSender } from './inbox.js';
import { type CognitoRequestContext, cognitoRequestContext } from './request-context.js';

/** Options of {@link startCognitoLocal}. */
export type CognitoLocalOptions = {
  /** The pipeline's data folder; cognito-local's files go to `<dataDir>/cognito/`. */
  dataDir: string;
  /** Default 0: a free port the OS picks. */
  port?: number;
  host?: string;
  region: string;
  /**
   * The Lambda Invoke API (`LambdaClient.endpoint`), or a function that starts it once the pool's own URL is
   * known (the functions call the pool back) and returns its URL.
   */
  lambdaEndpoint: string | ((poolUrl: string) => Promise<string>);
  /** Function name of each trigger (`TriggerFunctions`). */
  triggerFunctions: Readonly<Record<string, string>>;
  /** The pool's sign-in attributes, cognito-local's `UserPoolDefaults.UsernameAttributes`. */
  usernameAttributes?: readonly string[];
  simulation?: Partial<CognitoSimulationOptions>;
  /** Where messages go (the inbox). */
  sender: MessageSender;
  onTriggerCall?: (report: TriggerCallReport) => void;
  /** cognito-local's own log lines (pino level). Default `silent`. */
  logLevel?: 'silent' | 'error' | 'warn' | 'info' | 'debug';
};

/** A running cognito-local. */
export type CognitoLocal = {
  /** `http://127.0.0.1:<port>`: the endpoint for SDKs and `aws --endpoint-url`. */
  url: string;
  /** The folder holding `config.json` and `db/`. */
  directory: string;
  close(): Promise<void>;
};

type Json = Record<string, unknown>;
type Attribute = { Name: string; Value?: string };
type User = { Username: string; UserStatus?: string; Attributes: Attribute[]; ConfirmationCode?: string };
type PasswordPolicy = {
  MinimumLength?: number;
  RequireUppercase?: boolean;
  RequireLowercase?: boolean;
  RequireNumbers?: boolean;
  RequireSymbols?: boolean;
};
type UserPoolService = {
  options: {
    Id: string;
    AutoVerifiedAttributes?: string[];
    UsernameAttributes?: string[];
    Policies?: { PasswordPolicy?: PasswordPolicy };
  };
  getUserByUsername(ctx: Ctx, username: string): Promise<User | null>;
  saveUser(ctx: Ctx, user: User): Promise<void>;
};
type CognitoService = {
  getAppClient(ctx: Ctx, clientId: string): Promise<{ ClientSecret?: string } | null>;
  getUserPool(ctx: Ctx, userPoolId: string): Promise<UserPoolService>;
  getUserPoolForClientId(ctx: Ctx, clientId: string): Promise<UserPoolService>;
};
type Ctx = { logger: unknown };
type Route = (ctx: Ctx, body: Json) => Promise<unknown>;
type CustomMessageParams = {
  clientId: string | null;
  clientMetadata?: Record<string, string>;
  code: string;
  source: string;
  userAttributes: Attribute[];
  username: string;
  userPoolId: string;
};
type Triggers = {
  enabled(trigger: string): boolean;
  customMessage: (ctx: Ctx, params: CustomMessageParams) => Promise<Json | null>;
  preSignUp: (ctx: Ctx, params: Json) => Promise<unknown>;
};
type Messages = { deliver: (ctx: Ctx, source: string, ...rest: unknown[]) => Promise<void> };
type DeliveryDetails = { AttributeName: string; DeliveryMedium: string; Destination: string };

const projectRequire = createRequire(import.meta.url);
// cognito-local's own dependencies (pino) resolve from its folder.
const packageRequire = createRequire(projectRequire.resolve('cognito-local/package.json'));

function lib<T>(path: string): T {
  return packageRequire(`./lib/${path}`) as T;
}

const AWS_ADMIN_CLIENT_ID = 'CLIENT_ID_NOT_APPLICABLE';

// Operations a client with a secret must sign with SecretHash = Base64(HMAC-SHA256(secret, Username + ClientId)).
const SECRET_HASH_OPERATIONS = [
  'SignUp',
  'ConfirmSignUp',
  'ResendConfirmationCode',
  'ForgotPassword',
  'ConfirmForgotPassword',
];

// Cognito's own wording for each unmet password rule (InvalidPasswordException).
const PASSWORD_RULES: readonly [keyof PasswordPolicy, RegExp, string][] = [
  ['RequireLowercase', /\p{Ll}/u, 'Password must have lowercase characters'],
  ['RequireUppercase', /\p{Lu}/u, 'Password must have uppercase characters'],
  ['RequireNumbers', /[0-9]/, 'Password must have numeric characters'],
  ['RequireSymbols', /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+-]/, 'Password must have symbol characters'],
];

/** Why a password breaks the pool's policy, in Cognito's words; `undefined` when it conforms. */
function passwordProblem(password: string, policy: PasswordPolicy | undefined): string | undefined {
  if (policy === undefined) return undefined;
  if (password.length < (policy.MinimumLength ?? 8)) return 'Password not long enough';
  for (const [rule, pattern, problem] of PASSWORD_RULES) {
    if (policy[rule] === true && !pattern.test(password)) return problem;
  }
  return undefined;
}

function withAttribute(attributes: readonly Attribute[], name: string, value: string): Attribute[] {
  return [...attributes.filter((attribute) => attribute.Name !== name), { Name: name, Value: value }];
}

async function readJsonBody(request: IncomingMessage): Promise<Json> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  const parsed: unknown = JSON.parse(text);
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Json) : {};
}

/**
 * Starts cognito-local on loopback with its configuration in `<dataDir>/cognito/config.json`.
 *
 * @example
 * const pool = await startCognitoLocal({ dataDir, region: 'us-east-1', lambdaEndpoint: endpoint.url,
 *   triggerFunctions: { PreSignUp: 'PreSignUpFunction' }, sender: inbox });
 * // aws cognito-idp list-user-pools --max-results 10 --endpoint-url ${pool.url}
 */
export async function startCognitoLocal(options: CognitoLocalOptions): Promise<CognitoLocal> {
  const host = options.host ?? '127.0.0.1';
  const directory = join(options.dataDir, 'cognito');
  mkdirSync(join(directory, 'db'), { recursive: true });

  // Listen first: the configuration names the address (the token issuer), and requests wait for the app.
  let application: RequestListener | undefined;
  const server = createServer((request, response) => {
    void serve(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const url = `http://${host}:${(server.address() as AddressInfo).port}`;

  async function close(): Promise<void> {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Writes the configuration and builds cognito-local's services and app behind the front server. */
  async function setUp(lambdaEndpoint: string): Promise<void> {
    const config = {
      LambdaClient: {
        endpoint: lambdaEndpoint,
        region: options.region,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      },
      TriggerFunctions: options.triggerFunctions,
      UserPoolDefaults: { UsernameAttributes: [...(options.usernameAttributes ?? ['email'])] },
      TokenConfig: { IssuerDomain: url },
      ServerConfig: { hostname: host, port: Number(new URL(url).port), https: false },
    };
    writeFileSync(join(directory, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);

    const pino = packageRequire('pino') as (options: Json) => Json;
    const logger = pino({ level: options.logLevel ?? 'silent' });
    const rootCtx: Ctx = { logger };
    const { loadConfig } = lib<{ loadConfig: (ctx: Ctx, factory: unknown) => Promise<Json & typeof config> }>(
      'server/config',
    );
    const { StormDBDataStoreFactory } = lib<{ StormDBDataStoreFactory: new (dir: string) => unknown }>(
      'services/dataStore/stormDb',
    );
    const loaded = await loadConfig(rootCtx, new StormDBDataStoreFactory(directory));
    const dataDirectory = join(directory, 'db');
    const { DateClock } = lib<{ DateClock: new () => unknown }>('services/clock');
    const { CognitoServiceFactoryImpl } = lib<{
      CognitoServiceFactoryImpl: new (
        dir: string,
        factory: unknown,
        pools: unknown,
      ) => {
        create(ctx: Ctx, defaults: unknown): Promise<CognitoService>;
      };
    }>('services/cognitoService');
    const { UserPoolServiceFactoryImpl } = lib<{
      UserPoolServiceFactoryImpl: new (clock: unknown, factory: unknown) => unknown;
    }>('services/userPoolService');
    const { TriggersService } = lib<{
      TriggersService: new (clock: unknown, cognito: unknown, lambda: unknown, crypto: unknown) => Triggers;
    }>('services/triggers');
    const { MessagesService } = lib<{
      MessagesService: new (triggers: unknown, delivery: unknown) => Messages;
    }>('services/messages');
    const { MessageDeliveryService } = lib<{ MessageDeliveryService: new (sender: unknown) => unknown }>(
      'services/messageDelivery/messageDelivery',
    );
    const { selectAppropriateDeliveryMethod } = lib<{
      selectAppropriateDeliveryMethod: (mediums: readonly string[], user: User) => DeliveryDetails | null;
    }>('services/messageDelivery/deliveryMethod');
    const { otp } = lib<{ otp: () => string }>('services/otp');
    const { JwtTokenGenerator } = lib<{
      JwtTokenGenerator: new (clock: unknown, triggers: unknown, config: unknown) => unknown;
    }>('services/tokenGenerator');
    const { Router } = lib<{ Router: (services: unknown) => (target: string) => Route }>('server/Router');
    const { createServer: createCognitoServer } = lib<{
      createServer: (
        router: unknown,
        logger: unknown,
        options: unknown,
        services: unknown,
      ) => {
        application: RequestListener;
      };
    }>('server/server');
    const errors = lib<{
      CognitoError: CognitoLambdaOptions['CognitoError'];
      NotAuthorizedError: new (message?: string) => Error;
      UserNotFoundError: new (message?: string) => Error;
      InvalidParameterError: new (message?: string) => Error;
      LimitExceededError?: new () => Error;
    }>('errors');

    const clock = new DateClock();
    const dataStoreFactory = new StormDBDataStoreFactory(dataDirectory);
    const cognito = await new CognitoServiceFactoryImpl(
      dataDirectory,
      dataStoreFactory,
      new UserPoolServiceFactoryImpl(clock, dataStoreFactory),
    ).create(rootCtx, loaded.UserPoolDefaults);

    const lambda = cognitoLambda({
      endpoint: String(loaded.LambdaClient.endpoint),
      functions: loaded.TriggerFunctions,
      region: options.region,
      ...(options.simulation === undefined ? {} : { simulation: options.simulation }),
      CognitoError: errors.CognitoError,
      ...(options.onTriggerCall === undefined ? {} : { onTriggerCall: options.onTriggerCall }),
    });
    // No KMS locally: the custom sender triggers (which need it) are not wired.
    const triggers = new TriggersService(clock, cognito, lambda, undefined);

    /** Custom message as Cognito runs it: a failure fails the call; every placeholder is filled. */
    triggers.customMessage = async function customMessage(ctx, params) {
      const attributes = Object.fromEntries(
        params.userAttributes.flatMap((attribute) =>
          attribute.Value === undefined ? [] : [[attribute.Name, attribute.Value]],
        ),
      );
      const response = await lambda.invoke(ctx, 'CustomMessage', {
        triggerSource: params.source,
        userPoolId: params.userPoolId,
        username: params.username,
        clientId: params.clientId,
        ...(params.clientMetadata === undefined ? {} : { clientMetadata: params.clientMetadata }),
        userAttributes: attributes,
      } satisfies CognitoLocalTriggerParams);
      const signInName = attributes.email ?? params.username;
      const fill = (text: unknown) =>
        typeof text === 'string'
          ? text
              .replaceAll(MessagePlaceholder.Code, params.code)
              .replaceAll(MessagePlaceholder.Username, signInName)
          : undefined;
      return {
        emailMessage: fill(response.emailMessage),
        emailSubject: typeof response.emailSubject === 'string' ? response.emailSubject : undefined,
        smsMessage: fill(response.smsMessage),
      };
    };

    const messages = new MessagesService(triggers, new MessageDeliveryService(options.sender));
    const deliver = messages.deliver.bind(messages);
    messages.deliver = async (ctx, source, ...rest) => {
      const context = cognitoRequestContext.getStore();
      // Auto-confirmed by pre sign-up: Cognito sends no sign-up code, so custom message does not run.
      if (source === 'SignUp' && context?.autoConfirmed === true) return;
      if (context !== undefined) context.messageSource = `CustomMessage_${source}`;
      await deliver(ctx, source, ...rest);
    };

    const services = {
      clock,
      cognito,
      config: loaded,
      messages,
      otp,
      tokenGenerator: new JwtTokenGenerator(clock, triggers, loaded.TokenConfig),
      triggers,
    };
    const router = Router(services);

    async function checkSecretHash(ctx: Ctx, body: Json): Promise<void> {
      const clientId = typeof body.ClientId === 'string' ? body.ClientId : undefined;
      if (clientId === undefined) return;
      const client = await cognito.getAppClient(ctx, clientId);
      const secret = client?.ClientSecret;
      if (secret === undefined || secret === '') return;
      const given = typeof body.SecretHash === 'string' ? body.SecretHash : undefined;
      if (given === undefined) {
        throw new errors.NotAuthorizedError(
          `Client ${clientId} is configured for secret but secret was not received`,
        );
      }
      const expected = createHmac('sha256', secret)
        .update(`${String(body.Username)}${clientId}`)
        .digest();
      const actual = Buffer.from(given, 'base64');
      if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
        throw new errors.NotAuthorizedError(`Unable to verify secret hash for client ${clientId}`);
      }
    }

    /** The pool's password policy, which cognito-local does not check (InvalidPasswordException). */
    async function checkPassword(ctx: Ctx, body: Json): Promise<void> {
      if (typeof body.Password !== 'string' || typeof body.ClientId !== 'string') return;
      const pool = await cognito.getUserPoolForClientId(ctx, body.ClientId);
      const problem = passwordProblem(body.Password, pool.options.Policies?.PasswordPolicy);
      if (problem !== undefined) {
        throw new errors.CognitoError(
          'InvalidPasswordException',
          `Password did not conform with policy: ${problem}`,
        );
      }
    }

    /** ResendConfirmationCode, which cognito-local lacks: a new code, sent through custom message. */
    async function resendConfirmationCode(ctx: Ctx, body: Json): Promise<unknown> {
      const pool = await cognito.getUserPoolForClientId(ctx, String(body.ClientId));
      const user = await pool.getUserByUsername(ctx, String(body.Username));
      if (user === null) throw new errors.UserNotFoundError('Username/client id combination not found.');
      if (user.UserStatus !== 'UNCONFIRMED')
        throw new errors.InvalidParameterError('User is already confirmed.');
      const details = selectAppropriateDeliveryMethod(pool.options.AutoVerifiedAttributes ?? [], user);
      if (details === null) {
        throw new errors.InvalidParameterError(
          'User has no attribute matching desired auto verified attributes',
        );
      }
      const code = otp();
      await messages.deliver(
        ctx,
        'ResendCode',
        body.ClientId,
        pool.options.Id,
        user,
        code,
        body.ClientMetadata,
        details,
      );
      await pool.saveUser(ctx, { ...user, ConfirmationCode: code });
      return { CodeDeliveryDetails: details };
    }

    /** Confirming with the code proves the address it went to: Cognito marks it verified (contract §4). */
    async function markCodeDestinationVerified(ctx: Ctx, body: Json): Promise<void> {
      const pool = await cognito.getUserPoolForClientId(ctx, String(body.ClientId));
      const user = await pool.getUserByUsername(ctx, String(body.Username));
      if (
        user === null ||
        user.ConfirmationCode === undefined ||
        user.ConfirmationCode !== body.ConfirmationCode
      ) {
        return;
      }
      const details = selectAppropriateDeliveryMethod(pool.options.AutoVerifiedAttributes ?? [], user);
      if (details === null) return;
      await pool.saveUser(ctx, {
        ...user,
        Attributes: withAttribute(user.Attributes, `${details.AttributeName}_verified`, 'true'),
      });
    }

    /** Pre sign-up for AdminCreateUser, which cognito-local skips (`PreSignUp_AdminCreateUser`, contract §2). */
    async function preSignUpForAdminCreateUser(ctx: Ctx, body: Json): Promise<void> {
      if (!triggers.enabled('PreSignUp')) return;
      const pool = await cognito.getUserPool(ctx, String(body.UserPoolId));
      // An existing user fails the call first (UsernameExistsException), with no trigger run.
      if ((await pool.getUserByUsername(ctx, String(body.Username))) !== null) return;
      const submitted = Array.isArray(body.UserAttributes) ? (body.UserAttributes as Attribute[]) : [];
      const attributes: Record<string, string> = {};
      for (const attribute of submitted) {
        if (typeof attribute.Value === 'string') attributes[attribute.Name] = attribute.Value;
      }
      const emailPool = pool.options.UsernameAttributes?.includes('email') === true;
      if (emailPool && attributes.email === undefined) attributes.email = String(body.Username);
      await triggers.preSignUp(ctx, {
        clientId: AWS_ADMIN_CLIENT_ID,
        clientMetadata: body.ClientMetadata,
        source: 'PreSignUp_AdminCreateUser',
        userAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
        // The user does not exist yet; in an email-as-username pool Cognito names it by a new `sub`.
        username: emailPool ? randomUUID() : String(body.Username),
        userPoolId: pool.options.Id,
      });
    }

    /**
     * An admin call may name the user by an alias (the email); Cognito resolves it to the user. Some
     * cognito-local operations compare the alias itself (AdminListGroupsForUser lists no group), so the
     * internal user name is passed on instead.
     */
    async function withInternalUsername(ctx: Ctx, body: Json): Promise<Json> {
      if (typeof body.UserPoolId !== 'string' || typeof body.Username !== 'string') return body;
      const pool = await cognito.getUserPool(ctx, body.UserPoolId);
      const user = await pool.getUserByUsername(ctx, body.Username);
      return user === null ? body : { ...body, Username: user.Username };
    }

    function route(operation: string): Route {
      const target = router(operation);
      return async (ctx, body) => {
        if (SECRET_HASH_OPERATIONS.includes(operation)) await checkSecretHash(ctx, body);
        if (operation === 'SignUp' || operation === 'ConfirmForgotPassword') await checkPassword(ctx, body);
        if (operation === 'ResendConfirmationCode') return resendConfirmationCode(ctx, body);
        if (operation === 'ConfirmSignUp') await markCodeDestinationVerified(ctx, body);
        if (operation === 'AdminCreateUser') await preSignUpForAdminCreateUser(ctx, body);
        if (operation.startsWith('Admin') && operation !== 'AdminCreateUser') {
          return target(ctx, await withInternalUsername(ctx, body));
        }
        const result = await target(ctx, body);
        if (operation === 'SignUp' && cognitoRequestContext.getStore()?.autoConfirmed === true) {
          // No code was sent to an auto-confirmed user, so Cognito reports no delivery.
          const { CodeDeliveryDetails: _sent, ...answer } = result as Json;
          return answer;
        }
        return result;
      };
    }

    application = createCognitoServer(route, logger, loaded.ServerConfig, services).application;
  }

  try {
    await setUp(
      typeof options.lambdaEndpoint === 'string' ? options.lambdaEndpoint : await options.lambdaEndpoint(url),
    );
  } catch (error) {
    await close();
    throw error;
  }

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const contentType = String(request.headers['content-type'] ?? '');
    const target = String(request.headers['x-amz-target'] ?? '');
    const context: CognitoRequestContext = {
      operation: target.slice(target.indexOf('.') + 1),
      body: {},
      userAgent: request.headers['user-agent'],
    };
    if (request.method === 'POST' && contentType.startsWith('application/x-amz-json')) {
      try {
        context.body = await readJsonBody(request);
      } catch {
        response.writeHead(400, { 'Content-Type': 'application/x-amz-json-1.1' });
        response.end(JSON.stringify({ __type: 'SerializationException', message: 'Body is not JSON' }));
        return;
      }
      // The body is read: cognito-local's body parser sees a finished request and keeps `req.body`.
      (request as IncomingMessage & { body?: Json }).body = context.body;
    }
    const app = application;
    if (app === undefined) {
      response.writeHead(503).end();
      return;
    }
    cognitoRequestContext.run(context, () => app(request, response));
  }

  return { url, directory, close };
}
