/**
 * The local sign-up pipeline behind `npm start`: builds the trigger functions, then starts on loopback the
 * Lambda Invoke API serving them (local/lambda-endpoint.ts), dynalite for the tables (local/dynalite.ts) and
 * cognito-local as the user pool calling the triggers (local/cognito-local.ts); provisions the pool, clients,
 * groups and tables of `template.yaml` (local/provision.ts); writes the state file; and prints one line per
 * trigger invocation while it runs, with the counters of the functions' own metrics documents when an
 * invocation counts a refusal, a fault or the like (local/metrics-counters.ts). {@link Pipeline.stop} ends
 * every server and function process.
 *
 * The trigger functions are the template's, found by the trigger each one names (harness/template.ts), in
 * either mode of the template. The local pool is always the pipeline's own, the pool the triggers are
 * attached to: with the template's pool settings when it declares a pool (also one it does not create, in
 * existing-pool mode), else with the new-pool defaults (local/template-resources.ts).
 *
 * The data folder is locked while in use (local/data-dir-lock.ts). A temporary one is removed at stop, when
 * the start fails or is aborted, and, as a last resort, when the process exits any other way; one left by a
 * killed process is removed at the next start (local/temporary-data-dir.ts).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { buildFunctions } from '../harness/build-functions.js';
import { readJsonFile } from '../harness/fixtures.js';
import { fromProjectRoot } from '../harness/paths.js';
import {
  type FunctionSpec,
  loadTemplate,
  requireTriggerFunctions,
  type TemplateModel,
} from '../harness/template.js';
import type { CoreTriggerName } from '../shared/core-trigger.js';
import {
  type CustomSenderTriggerName,
  CustomSenderTriggerName as SenderNames,
} from '../shared/custom-sender/events.js';
import { isObject } from '../shared/parse-event.js';
import { addToGroups, addToGroupsFromEnv } from '../triggers/post-confirmation/actions/add-to-groups.js';
import { type CognitoLocal, startCognitoLocal } from './cognito-local.js';
import { localCodeKey, pendingCodes, startMailEndpoint } from './custom-senders.js';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.js';
import { DEFAULT_PIPELINE_ENV_VARS } from './defaults.js';
import { type LocalDynamoDb, startDynalite } from './dynalite.js';
import { BundleMissingError, ProvisionError, StartAbortedError } from './errors.js';
import { declaredLocalEnvironment, withLocalServices } from './function-environment.js';
import { createInbox, type Inbox, type PoolMessageTemplates } from './inbox.js';
import { type EndpointFunction, startLambdaEndpoint } from './lambda-endpoint.js';
import { lambdaInvokeClient } from './lambda-invoke-client.js';
import { callerLine, inboxLine, invocationLine } from './live-log.js';
import { isMetricsLine, type MetricsCounters, metricsCounters } from './metrics-counters.js';
import { type ProvisionedResources, provisionLocalResources } from './provision.js';
import { createRecorder, type Recorder } from './record.js';
import {
  type PipelineState,
  type StartingState,
  type StateFileContent,
  writeStateFile,
} from './state-file.js';
import { localPoolOrigin, type TemplateResources, templateResourcesOf } from './template-resources.js';
import {
  createTemporaryDataDir,
  removeAbandonedDataDirs,
  removeTemporaryDataDir,
} from './temporary-data-dir.js';

/** Options of {@link startPipeline}; every one has a default. */
export type PipelineOptions = {
  /** Keeps users, tables and the inbox here across runs; default a temporary folder, removed at stop. */
  dataDir?: string;
  /** Default `<dataDir>/state.json`. */
  stateFile?: string;
  /** Record every trigger call as a fixture pair here (`--record`). */
  recordDir?: string;
  /** SAM `--env-vars` file; default `local/env.local.json`. */
  envVarsFile?: string;
  /** Default `template.yaml` at the project root. */
  templateFile?: string;
  /** Where the bundles are; default `dist`. */
  distDir?: string;
  /** Build the functions first (default `true`); `false` uses the bundles already in `distDir`. */
  build?: boolean;
  /** The Region in events and ARNs; default `us-east-1`. */
  region?: string;
  /**
   * The pool invokes its triggers at this Lambda Invoke API (its base URL) instead of the pipeline's own
   * functions, under the template's function names: the conformance suite's probes (`npm run conformance`),
   * or functions run elsewhere. Nothing is built and no function runs here.
   */
  lambdaEndpoint?: string;
  /**
   * `CustomSenders`: the pool hands every code, encrypted, to the template's custom email and SMS sender
   * functions, which deliver through a local SES/SNS endpoint into the inbox (local/custom-senders.ts,
   * docs/custom-senders.md). Default `CustomMessage`: the custom message trigger writes, the pool delivers.
   */
  messageDelivery?: 'CustomMessage' | 'CustomSenders';
  /** Fixed ports; 0 or unset: a free port. A taken port fails the start with `PortInUseError`. */
  ports?: { cognito?: number; lambda?: number; dynamodb?: number };
  /** Also print every function log line and cognito-local's own log. */
  verbose?: boolean;
  /** Where the lines go; default stdout. */
  write?: (text: string) => void;
  /**
   * Aborting it before the pipeline is ready stops what has started, removes a temporary data folder, and
   * rejects the start with `StartAbortedError` (Ctrl-C during the start).
   */
  signal?: AbortSignal;
};

/** A running pipeline. */
export type Pipeline = {
  state: PipelineState;
  stateFile: string;
  /** What the functions' metrics documents counted so far, and the table `npm start` prints at stop. */
  metrics: Pick<MetricsCounters, 'snapshot' | 'summary'>;
  /** Stops everything; the temporary data folder is removed, a `--data-dir` kept. */
  stop(): Promise<void>;
};

const HOST = '127.0.0.1';

/** The email senders' From address in sender mode when the template gives none. */
const LOCAL_SENDER_ADDRESS = 'Local pool <no-reply@example.com>';

/** The options with their defaults, paths made absolute. */
type Settings = {
  region: string;
  distDir: string;
  templateFile: string;
  envVarsFile: string;
  build: boolean;
  verbose: boolean;
  ports: NonNullable<PipelineOptions['ports']>;
  recordDir: string | undefined;
  lambdaEndpoint: string | undefined;
  senders: boolean;
  say: (line: string) => void;
};

/** What the functions are, once built: the template, its resources and each function's environment. */
type Functions = {
  template: TemplateModel;
  resources: TemplateResources;
  /** Logical id -> the environment declared for it (template, Globals, env-vars file; Region). */
  declared: Record<string, Record<string, string>>;
  /** Trigger name -> function name. */
  triggerFunctions: Record<string, string>;
  /** The functions the Lambda API serves: the trigger functions, and in sender mode the custom senders. */
  served: FunctionSpec<CoreTriggerName>[];
};

/** The servers, once started. */
type Services = { dynamodb: LocalDynamoDb; cognito: CognitoLocal; lambdaUrl: string; inbox: Inbox };

function settingsOf(options: PipelineOptions): Settings {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  return {
    region: options.region ?? 'us-east-1',
    distDir: fromProjectRoot(options.distDir ?? 'dist'),
    templateFile: fromProjectRoot(options.templateFile ?? 'template.yaml'),
    envVarsFile: fromProjectRoot(options.envVarsFile ?? DEFAULT_PIPELINE_ENV_VARS),
    build: options.build ?? true,
    verbose: options.verbose ?? false,
    ports: options.ports ?? {},
    recordDir: options.recordDir === undefined ? undefined : resolve(options.recordDir),
    lambdaEndpoint: options.lambdaEndpoint,
    senders: options.messageDelivery === 'CustomSenders',
    say: (line) => write(`${line}\n`),
  };
}

/** Whether `path` lies inside `folder` (removed with it). */
function isInside(folder: string, path: string): boolean {
  const fromFolder = relative(folder, path);
  return (
    fromFolder !== '' && fromFolder !== '..' && !fromFolder.startsWith(`..${sep}`) && !isAbsolute(fromFolder)
  );
}

/** The pool's own templates, which Cognito sends when the trigger leaves a field null. */
function poolTemplatesOf(settings: Record<string, unknown>): PoolMessageTemplates {
  const verification = isObject(settings.VerificationMessageTemplate)
    ? settings.VerificationMessageTemplate
    : {};
  const admin = isObject(settings.AdminCreateUserConfig) ? settings.AdminCreateUserConfig : {};
  const invite = isObject(admin.InviteMessageTemplate) ? admin.InviteMessageTemplate : {};
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  const entries = {
    emailSubject: text(verification.EmailSubject) ?? text(settings.EmailVerificationSubject),
    emailMessage: text(verification.EmailMessage) ?? text(settings.EmailVerificationMessage),
    smsMessage: text(verification.SmsMessage) ?? text(settings.SmsVerificationMessage),
    inviteEmailSubject: text(invite.EmailSubject),
    inviteEmailMessage: text(invite.EmailMessage),
    inviteSmsMessage: text(invite.SMSMessage),
  };
  return Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined));
}

/** Step 1: builds the functions (unless told not to), checks every bundle exists, reads their settings. */
async function prepareFunctions(settings: Settings): Promise<Functions> {
  // A template with no trigger function would start a pool that calls nothing: refuse it, saying why.
  requireTriggerFunctions(loadTemplate(settings.templateFile));
  // Functions served elsewhere need no bundle here.
  const servedHere = settings.lambdaEndpoint === undefined;
  if (servedHere && settings.build) {
    await buildFunctions({ templatePath: settings.templateFile, outDir: settings.distDir });
  }
  const template = loadTemplate(settings.templateFile);
  const served: FunctionSpec<CoreTriggerName>[] = [
    ...template.functions,
    ...(settings.senders ? template.senderFunctions : []),
  ];
  if (settings.senders && template.senderFunctions.length === 0) {
    throw new ProvisionError(
      'Resources',
      'hold no custom sender function (Metadata.CognitoTrigger: CustomEmailSender)',
    );
  }
  for (const spec of servedHere ? served : []) {
    const bundlePath = join(settings.distDir, spec.logicalId, spec.bundleFile);
    if (!existsSync(bundlePath)) throw new BundleMissingError(spec.logicalId, bundlePath);
  }
  const resources = templateResourcesOf(template);
  const envVars = readJsonFile(settings.envVarsFile);
  const declared: Record<string, Record<string, string>> = {};
  for (const spec of served as FunctionSpec[]) {
    declared[spec.logicalId] = declaredLocalEnvironment(
      template,
      spec,
      envVars,
      resources.tables,
      settings.region,
    );
  }
  const triggerFunctions = Object.fromEntries(
    template.functions.map((spec) => [spec.trigger, spec.logicalId]),
  );
  return { template, resources, declared, triggerFunctions, served };
}

function isCustomSenderTriggerName(name: string): name is CustomSenderTriggerName {
  return Object.hasOwn(SenderNames, name);
}

/** Sender mode's services: the run's code key, the codes in flight, the mail endpoint; and the senders' variables. */
async function startSenderServices(inbox: Inbox, stops: (() => Promise<void>)[]) {
  const key = localCodeKey();
  const pending = pendingCodes();
  const mail = await startMailEndpoint({ inbox, pending, host: HOST });
  stops.push(() => mail.close());
  const environment: Record<string, string> = {
    CODE_KEY_ARN: '',
    CODE_KEY_RAW_AES: key.base64,
    AWS_ENDPOINT_URL_SESV2: mail.url,
    AWS_ENDPOINT_URL_SNS: mail.url,
    // Locally every invocation happens once (no asynchronous retries): no send-once table.
    SEND_ONCE_TABLE: '',
  };
  return { key, pending, environment };
}

/**
 * Invokes a custom sender as Cognito does, asynchronously: nobody waits, and a failure is printed (it would
 * reach the function's on-failure destination in AWS), never the API caller.
 */
async function invokeSender(
  functions: Functions,
  lambdaUrl: () => string,
  trigger: CustomSenderTriggerName,
  event: unknown,
  say: (line: string) => void,
): Promise<void> {
  const spec = functions.served.find((candidate) => candidate.trigger === trigger);
  if (spec === undefined) {
    say(`              ⚠ no ${trigger} function in the template: the message was not sent`);
    return;
  }
  try {
    const invoker = lambdaInvokeClient({ endpoint: lambdaUrl(), functionName: spec.logicalId });
    const result = await invoker.invoke(event, spec.timeoutSeconds * 1000);
    if (result.kind !== 'returned')
      say(`              ⚠ ${trigger} did not deliver (${result.kind}): see its log`);
  } catch (error) {
    say(
      `              ⚠ ${trigger} could not be invoked: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/**
 * Step 2: starts dynalite, then cognito-local, which starts the Lambda API once its own URL is known (the
 * functions call the pool back). Each server's stop goes onto `stops` as soon as it runs.
 */
async function startServices(
  settings: Settings,
  functions: Functions,
  dataDir: string,
  keepData: boolean,
  recorder: Recorder | undefined,
  counters: MetricsCounters,
  stops: (() => Promise<void>)[],
): Promise<Services> {
  const { resources, declared, triggerFunctions } = functions;
  const { say } = settings;
  const dynamodb = await startDynalite({
    ...(keepData ? { path: join(dataDir, 'dynamodb') } : {}),
    ...(settings.ports.dynamodb === undefined ? {} : { port: settings.ports.dynamodb }),
    host: HOST,
  });
  stops.push(() => dynamodb.close());

  const inbox = createInbox({
    directory: join(dataDir, 'inbox'),
    templates: poolTemplatesOf(resources.poolSettings),
    onMessage: (message) => say(inboxLine(message)),
  });
  // Sender mode: a key for the run, the codes in flight, and the SES/SNS stand-in the senders deliver to.
  const senders = settings.senders ? await startSenderServices(inbox, stops) : undefined;

  let lambdaUrl = '';
  async function startFunctions(poolUrl: string): Promise<string> {
    const endpoints = { cognito: poolUrl, dynamodb: dynamodb.url, region: settings.region };
    const served: EndpointFunction[] = functions.served.map((spec) => ({
      name: spec.logicalId,
      bundlePath: join(settings.distDir, spec.logicalId, spec.bundleFile),
      exportName: spec.exportName,
      memoryMb: spec.memoryMb,
      timeoutSeconds: spec.timeoutSeconds,
      environment: {
        ...withLocalServices(declared[spec.logicalId] ?? {}, endpoints),
        ...(senders !== undefined && isCustomSenderTriggerName(spec.trigger)
          ? {
              ...senders.environment,
              // The template's SenderFromAddress is empty by default: locally any sender will do.
              EMAIL_FROM_ADDRESS: declared[spec.logicalId]?.EMAIL_FROM_ADDRESS || LOCAL_SENDER_ADDRESS,
            }
          : {}),
      },
    }));
    const lambda = await startLambdaEndpoint({
      functions: served,
      host: HOST,
      region: settings.region,
      ...(settings.ports.lambda === undefined ? {} : { port: settings.ports.lambda }),
      onInvocation(report) {
        say(invocationLine(report));
        // The metrics documents feed the counters (a broken one is a warning), never the log lines.
        for (const line of counters.count(report.functionName, report.result.logs)) say(line);
        if (!settings.verbose) return;
        for (const line of report.result.logs) if (!isMetricsLine(line)) say(`                log: ${line}`);
      },
    });
    stops.push(() => lambda.close());
    lambdaUrl = lambda.url;
    return lambda.url;
  }

  const customMessageEnv = declared[triggerFunctions.CustomMessage ?? ''] ?? {};
  const usernameAttributes = Array.isArray(resources.poolSettings.UsernameAttributes)
    ? resources.poolSettings.UsernameAttributes.map(String)
    : [];
  const cognito = await startCognitoLocal({
    dataDir,
    host: HOST,
    ...(settings.ports.cognito === undefined ? {} : { port: settings.ports.cognito }),
    region: settings.region,
    lambdaEndpoint: settings.lambdaEndpoint ?? startFunctions,
    triggerFunctions,
    usernameAttributes,
    simulation: {
      emailSendingAccount:
        customMessageEnv.EMAIL_SENDING_ACCOUNT === 'COGNITO_DEFAULT' ? 'COGNITO_DEFAULT' : 'DEVELOPER',
      // The function's setting, resolved from the template's parameter like the pool's DefaultEmailOption.
      emailVerificationOption:
        customMessageEnv.EMAIL_VERIFICATION_OPTION === 'CONFIRM_WITH_LINK'
          ? 'CONFIRM_WITH_LINK'
          : 'CONFIRM_WITH_CODE',
    },
    sender: inbox,
    ...(senders === undefined
      ? {}
      : {
          customSenders: {
            region: settings.region,
            key: senders.key,
            pending: senders.pending,
            invoke: (trigger, event) => invokeSender(functions, () => lambdaUrl, trigger, event, say),
          },
        }),
    ...(settings.verbose ? { log: (line: string) => say(`                cognito-local: ${line}`) } : {}),
    onTriggerCall(report) {
      const line = callerLine(report);
      if (line !== undefined) say(line);
      if (recorder === undefined) return;
      try {
        say(`${' '.repeat(14)}recorded ${recorder.record(report)}`);
      } catch (error) {
        say(`${' '.repeat(14)}not recorded: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
  });
  stops.push(() => cognito.close());
  return { dynamodb, cognito, lambdaUrl: settings.lambdaEndpoint ?? lambdaUrl, inbox };
}

function groupsToProvision(env: Readonly<Record<string, string>>): string[] {
  try {
    const options = addToGroupsFromEnv(env);
    if (options === undefined) return [];
    // The action's own checks (group names): a name it refuses is never provisioned.
    addToGroups(options);
    return [...options.defaultGroups, ...options.selfServiceGroups];
  } catch {
    return [];
  }
}

/** Step 3: the pool, clients, groups and tables of the template (post confirmation's groups too). */
function provision(
  settings: Settings,
  functions: Functions,
  services: Services,
): Promise<ProvisionedResources> {
  const postConfirmationEnv = functions.declared[functions.triggerFunctions.PostConfirmation ?? ''] ?? {};
  return provisionLocalResources({
    cognitoUrl: services.cognito.url,
    dynamodbUrl: services.dynamodb.url,
    region: settings.region,
    resources: functions.resources,
    // The groups the action would add users to, read by the action's own reader (a bad value is the
    // function's cold-start error, reported when it runs: nothing to provision for it here).
    groups: groupsToProvision(postConfirmationEnv),
  });
}

/** Step 4: what the state file says once ready. */
function readyStateOf(
  starting: StartingState,
  settings: Settings,
  functions: Functions,
  services: Services,
  provisioned: ProvisionedResources,
  recorder: Recorder | undefined,
  readyMs: number,
): PipelineState {
  const publicClient = provisioned.clients.find((client) => client.clientSecret === undefined);
  const confidential = provisioned.clients.find((client) => client.clientSecret !== undefined);
  return {
    ready: true,
    pid: starting.pid,
    startedAt: starting.startedAt,
    readyAt: new Date().toISOString(),
    readyMs,
    region: settings.region,
    endpoints: {
      cognito: services.cognito.url,
      lambda: services.lambdaUrl,
      dynamodb: services.dynamodb.url,
    },
    userPoolId: provisioned.userPoolId,
    clientId: publicClient?.clientId ?? provisioned.clients[0]?.clientId ?? '',
    ...(confidential === undefined
      ? {}
      : {
          confidentialClientId: confidential.clientId,
          confidentialClientSecret: confidential.clientSecret,
        }),
    clients: provisioned.clients.map(({ name, clientId, clientSecret }) => ({
      name,
      clientId,
      ...(clientSecret === undefined ? {} : { clientSecret }),
    })),
    groups: provisioned.groups,
    tables: provisioned.tables,
    functions: functions.triggerFunctions,
    inboxDir: services.inbox.directory,
    dataDir: starting.dataDir,
    ...(recorder === undefined ? {} : { recordDir: recorder.directory }),
    envVarsFile: settings.envVarsFile,
  };
}

/** The bookkeeping of one run: its data folder (locked), its state file, and the exit safety net. */
type Run = {
  dataDir: string;
  keepData: boolean;
  stateFile: string;
  starting: StartingState;
  /** Writes the ready state. */
  ready(state: PipelineState): void;
  /**
   * Synchronous, so it also runs in the `exit` handler: the state file says stopped (with the error of a
   * failed start), the lock is released, a temporary folder removed.
   */
  end(error?: unknown): void;
};

/** Stops the servers, last started first: the pool stops calling functions before their processes go. */
async function stopAll(stops: (() => Promise<void>)[]): Promise<void> {
  for (const stop of stops.splice(0).reverse()) {
    await stop().catch(() => undefined);
  }
}

/**
 * Opens the run: a temporary data folder (after removing ones abandoned by killed runs) or the kept one,
 * locked; then the `ready: false` state, before anything slow, so a reused state file path never shows a
 * stale `ready: true`.
 */
function beginRun(options: PipelineOptions): Run {
  const keepData = options.dataDir !== undefined;
  if (!keepData) removeAbandonedDataDirs();
  const dataDir = keepData ? resolve(options.dataDir as string) : createTemporaryDataDir();
  let lock: DataDirLock;
  try {
    mkdirSync(dataDir, { recursive: true });
    lock = acquireDataDirLock(dataDir);
  } catch (error) {
    // Nothing of this run is in a kept folder; a temporary one is empty.
    if (!keepData) removeTemporaryDataDir(dataDir);
    throw error;
  }
  const stateFile = resolve(options.stateFile ?? join(dataDir, 'state.json'));
  const starting: StartingState = {
    ready: false,
    pid: process.pid,
    startedAt: new Date().toISOString(),
    dataDir,
  };
  let readyState: PipelineState | undefined;

  function end(error?: unknown): void {
    process.off('exit', onExit);
    if (keepData || !isInside(dataDir, stateFile)) {
      const stoppedAt = new Date().toISOString();
      const message = error instanceof Error ? error.message : String(error);
      const final: StateFileContent =
        readyState === undefined
          ? { ...starting, stoppedAt, ...(error === undefined ? {} : { error: message }) }
          : { ...readyState, ready: false, stoppedAt };
      try {
        writeStateFile(stateFile, final);
      } catch {
        // The state file's folder is gone: nothing to correct.
      }
    }
    // A temporary folder goes with its lock; a kept one only loses the lock.
    if (keepData) lock.release();
    else removeTemporaryDataDir(dataDir);
  }
  // The last resort when the process ends without a stop (an uncaught error, process.exit elsewhere).
  function onExit(): void {
    end();
  }
  process.on('exit', onExit);
  try {
    writeStateFile(stateFile, starting);
  } catch (error) {
    end(error);
    throw error;
  }
  return {
    dataDir,
    keepData,
    stateFile,
    starting,
    ready(state) {
      writeStateFile(stateFile, state);
      readyState = state;
    },
    end,
  };
}

/**
 * Starts the pipeline and resolves once it is ready (the state file says `ready: true`).
 *
 * @example
 * const pipeline = await startPipeline({ build: false });
 * console.log(pipeline.state.endpoints.cognito, pipeline.state.userPoolId);
 * await pipeline.stop();
 */
export async function startPipeline(options: PipelineOptions = {}): Promise<Pipeline> {
  const started = performance.now();
  const settings = settingsOf(options);
  const run = beginRun(options);
  const stops: (() => Promise<void>)[] = [];
  function checkNotAborted(): void {
    if (options.signal?.aborted === true) throw new StartAbortedError({ cause: options.signal.reason });
  }

  try {
    checkNotAborted();
    const functions = await prepareFunctions(settings);
    const poolOrigin = localPoolOrigin(functions.template, functions.resources);
    if (poolOrigin !== undefined) settings.say(poolOrigin);
    checkNotAborted();
    const recorder =
      settings.recordDir === undefined
        ? undefined
        : createRecorder({
            directory: settings.recordDir,
            environments: functions.declared,
            distDir: settings.distDir,
            templatePath: settings.templateFile,
            onSettled(fixture) {
              // Each pair is written once the recorder has replayed it offline; only the exceptions are news.
              if (fixture.needs !== undefined) {
                settings.say(
                  `${' '.repeat(14)}${fixture.file} needs ${fixture.needs}: npm run replay skips it`,
                );
              } else if (fixture.error !== undefined) {
                settings.say(`${' '.repeat(14)}${fixture.file} not checked offline: ${fixture.error}`);
              }
            },
          });
    // First in, last out: the stop waits until every recorded pair is checked and written.
    if (recorder !== undefined) stops.push(() => recorder.close());
    const counters = metricsCounters();
    const services = await startServices(
      settings,
      functions,
      run.dataDir,
      run.keepData,
      recorder,
      counters,
      stops,
    );
    checkNotAborted();
    const provisioned = await provision(settings, functions, services);
    checkNotAborted();
    const readyMs = Math.round(performance.now() - started);
    const state = readyStateOf(run.starting, settings, functions, services, provisioned, recorder, readyMs);
    run.ready(state);

    let stopped = false;
    return {
      state,
      stateFile: run.stateFile,
      metrics: { snapshot: () => counters.snapshot(), summary: () => counters.summary() },
      async stop() {
        if (stopped) return;
        stopped = true;
        await stopAll(stops);
        run.end();
      },
    };
  } catch (error) {
    await stopAll(stops);
    run.end(error);
    throw error;
  }
}
