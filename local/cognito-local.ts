/**
 * cognito-local (npm `cognito-local` 5.3.0, from node_modules) as the local user pool, run in this process
 * and built from its parts (local/cognito-local/internals.ts) so the pipeline can correct it where it differs
 * from Cognito. This file is the wiring; each correction is a file of local/cognito-local/:
 * - front-server.ts: the pool's port; opens a request context per API call (ValidationData, SDK version);
 * - error-type-header.ts: every error answer carries `x-amzn-ErrorType` beside its `__type`;
 * - cognito-lambda.ts (beside this file): Cognito's invocation and error rules, in place of its Lambda
 *   service; the inbox (local/inbox.ts) in place of its message sender;
 * - custom-message.ts: a failing custom message fails the call; every placeholder is filled;
 * - post-confirmation.ts: a failing post confirmation fails the call (the confirmation stands);
 * - message-delivery.ts: no code message for a sign-up pre sign-up auto-confirmed (contract §2 rule 5);
 * - request-limits.ts: the service model's limits (user name, password, attribute and ValidationData lengths
 *   and patterns) refuse a call before anything runs;
 * - secret-hash.ts, password-policy.ts: SecretHash and the pool's password policy are checked (AdminCreateUser's
 *   temporary password too);
 * - temporary-password.ts: AdminCreateUser without a password gets one that meets the policy;
 * - resend-confirmation-code.ts: the operation cognito-local lacks;
 * - code-destination-verified.ts: ConfirmSignUp marks the address the code went to as verified;
 * - admin-create-user-pre-sign-up.ts: `PreSignUp_AdminCreateUser`, which cognito-local skips;
 * - internal-username.ts: admin calls naming a user by email find the user (and its groups);
 * - prevent-user-existence-errors.ts: `PreventUserExistenceErrors: ENABLED` answers an unknown (or disabled,
 *   or unverified) user of ForgotPassword and ResendConfirmationCode as though a code had been sent, and
 *   ConfirmForgotPassword's with CodeMismatchException; LEGACY refuses a reset with no verified address;
 * - attribute-verification-code.ts: GetUserAttributeVerificationCode answers with `CodeDeliveryDetails`;
 * - mask-destination.ts: every `CodeDeliveryDetails.Destination` is masked;
 * - unverified-flags.ts: users listed in an answer carry `email_verified: "false"` beside an unverified address;
 * - routes.ts: which of these runs for which operation.
 * Its configuration lives in `<dataDir>/cognito/config.json`, its users and pools in `<dataDir>/cognito/db/`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CognitoSimulationOptions } from '../harness/cognito-simulator.js';
import { cognitoLambda, type TriggerCallReport } from './cognito-lambda.js';
import { preSignUpForAdminCreateUser } from './cognito-local/admin-create-user-pre-sign-up.js';
import { recordCodeDelivery } from './cognito-local/attribute-verification-code.js';
import { markCodeDestinationVerified } from './cognito-local/code-destination-verified.js';
import { customMessage } from './cognito-local/custom-message.js';
import { type FrontServer, startFrontServer } from './cognito-local/front-server.js';
import { withInternalUsername } from './cognito-local/internal-username.js';
import type { Messages } from './cognito-local/internals.js';
import { type Ctx, loadCognitoLocalModules } from './cognito-local/internals.js';
import { cognitoLocalLogger } from './cognito-local/log-lines.js';
import { deliverAsCognito } from './cognito-local/message-delivery.js';
import { enforcePasswordPolicy } from './cognito-local/password-policy.js';
import { postConfirmation } from './cognito-local/post-confirmation.js';
import { preventUserExistenceErrors } from './cognito-local/prevent-user-existence-errors.js';
import { enforceRequestLimits } from './cognito-local/request-limits.js';
import { resendConfirmationCode } from './cognito-local/resend-confirmation-code.js';
import { correctedRouter } from './cognito-local/routes.js';
import { requireSecretHash } from './cognito-local/secret-hash.js';
import { type SenderDeliveryOptions, senderDelivery } from './custom-senders.js';
import type { MessageSender } from './inbox.js';

/** Options of {@link startCognitoLocal}. */
export type CognitoLocalOptions = {
  /** The pipeline's data folder; cognito-local's files go to `<dataDir>/cognito/`. */
  dataDir: string;
  /** Default 0: a free port the OS picks; a taken one fails with `PortInUseError`. */
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
  /**
   * Sender mode: every code goes to the custom sender functions, encrypted, instead of the custom message
   * trigger and the inbox (local/custom-senders.ts).
   */
  customSenders?: SenderDeliveryOptions;
  /** Receives cognito-local's own warnings and errors, one line each (`--verbose`); default: none. */
  log?: (line: string) => void;
};

/** A running cognito-local. */
export type CognitoLocal = {
  /** `http://127.0.0.1:<port>`: the endpoint for SDKs and `aws --endpoint-url`. */
  url: string;
  /** The folder holding `config.json` and `db/`. */
  directory: string;
  close(): Promise<void>;
};

/** Writes `<directory>/config.json`, which cognito-local's `loadConfig` reads. */
function writeConfig(directory: string, options: CognitoLocalOptions, front: FrontServer, lambdaUrl: string) {
  const config = {
    LambdaClient: {
      endpoint: lambdaUrl,
      region: options.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    },
    TriggerFunctions: options.triggerFunctions,
    UserPoolDefaults: { UsernameAttributes: [...(options.usernameAttributes ?? ['email'])] },
    TokenConfig: { IssuerDomain: front.url },
    ServerConfig: { hostname: new URL(front.url).hostname, port: front.port, https: false },
  };
  writeFileSync(join(directory, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
}

/** Builds cognito-local's services with the corrections in place, and returns its request handler. */
async function buildApplication(directory: string, options: CognitoLocalOptions) {
  const modules = loadCognitoLocalModules();
  const { errors } = modules;
  const logger = cognitoLocalLogger(modules.pino, options.log);
  const rootCtx: Ctx = { logger };
  const loaded = await modules.loadConfig(rootCtx, new modules.StormDBDataStoreFactory(directory));
  const dataDirectory = join(directory, 'db');
  const clock = new modules.DateClock();
  const dataStoreFactory = new modules.StormDBDataStoreFactory(dataDirectory);
  const cognito = await new modules.CognitoServiceFactoryImpl(
    dataDirectory,
    dataStoreFactory,
    new modules.UserPoolServiceFactoryImpl(clock, dataStoreFactory),
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
  const triggers = new modules.TriggersService(clock, cognito, lambda, undefined);
  triggers.customMessage = customMessage({ lambda });
  triggers.postConfirmation = postConfirmation({ lambda });
  const messages = new modules.MessagesService(triggers, new modules.MessageDeliveryService(options.sender));
  const deliver =
    options.customSenders === undefined
      ? messages.deliver.bind(messages)
      : senderDelivery(options.customSenders);
  messages.deliver = deliverAsCognito(recordCodeDelivery(deliver as Messages['deliver']));

  const services = {
    clock,
    cognito,
    config: loaded,
    messages,
    otp: modules.otp,
    tokenGenerator: new modules.JwtTokenGenerator(clock, triggers, loaded.TokenConfig),
    triggers,
  };
  const { selectAppropriateDeliveryMethod, otp } = modules;
  const route = correctedRouter(modules.Router(services), {
    checkLimits: enforceRequestLimits(errors),
    checkSecretHash: requireSecretHash({ cognito, errors }),
    checkPassword: enforcePasswordPolicy({ cognito, errors }),
    resendCode: resendConfirmationCode({ cognito, messages, otp, selectAppropriateDeliveryMethod, errors }),
    markVerified: markCodeDestinationVerified({ cognito, selectAppropriateDeliveryMethod }),
    runPreSignUp: preSignUpForAdminCreateUser({ cognito, triggers }),
    resolveAlias: withInternalUsername({ cognito }),
    answerUnknownUser: preventUserExistenceErrors({ cognito, errors }),
  });
  return modules.createServer(route, logger, loaded.ServerConfig, services).application;
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
  const directory = join(options.dataDir, 'cognito');
  mkdirSync(join(directory, 'db'), { recursive: true });
  // Listen first: the configuration names the address (the token issuer), and requests wait for the app.
  const front = await startFrontServer({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  try {
    const lambdaUrl =
      typeof options.lambdaEndpoint === 'string'
        ? options.lambdaEndpoint
        : await options.lambdaEndpoint(front.url);
    writeConfig(directory, options, front, lambdaUrl);
    front.serve(await buildApplication(directory, options));
  } catch (error) {
    await front.close();
    throw error;
  }
  return { url: front.url, directory, close: () => front.close() };
}
