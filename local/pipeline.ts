/**
 * The local sign-up pipeline behind `npm start`: builds the trigger functions, then starts on loopback the
 * Lambda Invoke API serving them (local/lambda-endpoint.ts), dynalite for the tables (local/dynalite.ts) and
 * cognito-local as the user pool calling the triggers (local/cognito-local.ts); provisions the pool, clients,
 * groups and tables of `template.yaml` (local/provision.ts); writes the state file; and prints one line per
 * trigger invocation while it runs. {@link Pipeline.stop} ends every server and function process.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildFunctions } from '../harness/build-functions.js';
import { readJsonFile } from '../harness/fixtures.js';
import { fromProjectRoot } from '../harness/paths.js';
import { loadTemplate } from '../harness/template.js';
import { startCognitoLocal } from './cognito-local.js';
import { startDynalite } from './dynalite.js';
import { BundleMissingError } from './errors.js';
import { declaredLocalEnvironment, withLocalServices } from './function-environment.js';
import { createInbox, type PoolMessageTemplates } from './inbox.js';
import { type EndpointFunction, startLambdaEndpoint } from './lambda-endpoint.js';
import { callerLine, inboxLine, invocationLine } from './live-log.js';
import { provisionLocalResources } from './provision.js';
import { createRecorder, type Recorder } from './record.js';
import { type PipelineState, writeStateFile } from './state-file.js';
import { templateResourcesOf } from './template-resources.js';

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
  /** Fixed ports; 0 or unset: a free port. */
  ports?: { cognito?: number; lambda?: number; dynamodb?: number };
  /** Also print every function log line and cognito-local's own log. */
  verbose?: boolean;
  /** Where the lines go; default stdout. */
  write?: (text: string) => void;
};

/** A running pipeline. */
export type Pipeline = {
  state: PipelineState;
  stateFile: string;
  /** Stops everything; the temporary data folder is removed, a `--data-dir` kept. */
  stop(): Promise<void>;
};

const DEFAULT_ENV_VARS = 'local/env.local.json';
const HOST = '127.0.0.1';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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
  const startedAt = new Date();
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const say = (line: string) => write(`${line}\n`);
  const region = options.region ?? 'us-east-1';
  const distDir = fromProjectRoot(options.distDir ?? 'dist');
  const templateFile = fromProjectRoot(options.templateFile ?? 'template.yaml');
  const envVarsFile = fromProjectRoot(options.envVarsFile ?? DEFAULT_ENV_VARS);

  if (options.build ?? true) {
    await buildFunctions({ templatePath: templateFile, outDir: distDir });
  }
  const template = loadTemplate(templateFile);
  for (const spec of template.functions) {
    const bundlePath = join(distDir, spec.logicalId, spec.bundleFile);
    if (!existsSync(bundlePath)) throw new BundleMissingError(spec.logicalId, bundlePath);
  }
  const resources = templateResourcesOf(template);
  const envVars = readJsonFile(envVarsFile);

  const keepData = options.dataDir !== undefined;
  const dataDir = keepData
    ? resolve(options.dataDir as string)
    : mkdtempSync(join(tmpdir(), 'cognito-sign-up-local-'));
  mkdirSync(dataDir, { recursive: true });
  const stateFile = resolve(options.stateFile ?? join(dataDir, 'state.json'));

  const stops: (() => Promise<void>)[] = [];
  async function stopAll(): Promise<void> {
    // Last started, first stopped: the pool stops calling functions before their processes go.
    for (const stop of stops.splice(0).reverse()) {
      await stop().catch(() => undefined);
    }
  }

  try {
    const dynamodb = await startDynalite({
      ...(keepData ? { path: join(dataDir, 'dynamodb') } : {}),
      ...(options.ports?.dynamodb === undefined ? {} : { port: options.ports.dynamodb }),
      host: HOST,
    });
    stops.push(() => dynamodb.close());

    const declared: Record<string, Record<string, string>> = {};
    for (const spec of template.functions) {
      declared[spec.logicalId] = declaredLocalEnvironment(template, spec, envVars, resources.tables, region);
    }
    let lambdaUrl = '';
    /** Starts the Lambda API once the pool's URL is known: the functions call the pool back. */
    async function startFunctions(poolUrl: string): Promise<string> {
      const endpoints = { cognito: poolUrl, dynamodb: dynamodb.url, region };
      const functions: EndpointFunction[] = template.functions.map((spec) => ({
        name: spec.logicalId,
        bundlePath: join(distDir, spec.logicalId, spec.bundleFile),
        exportName: spec.exportName,
        memoryMb: spec.memoryMb,
        timeoutSeconds: spec.timeoutSeconds,
        environment: withLocalServices(declared[spec.logicalId] ?? {}, endpoints),
      }));
      const lambda = await startLambdaEndpoint({
        functions,
        host: HOST,
        region,
        ...(options.ports?.lambda === undefined ? {} : { port: options.ports.lambda }),
        onInvocation(report) {
          say(invocationLine(report));
          if (options.verbose) for (const line of report.result.logs) say(`                log: ${line}`);
        },
      });
      stops.push(() => lambda.close());
      lambdaUrl = lambda.url;
      return lambda.url;
    }

    const inbox = createInbox({
      directory: join(dataDir, 'inbox'),
      templates: poolTemplatesOf(resources.poolSettings),
      onMessage: (message) => say(inboxLine(message)),
    });
    const recorder: Recorder | undefined =
      options.recordDir === undefined
        ? undefined
        : createRecorder({ directory: resolve(options.recordDir), environments: declared });

    const triggerFunctions = Object.fromEntries(
      template.functions.map((spec) => [spec.trigger, spec.logicalId]),
    );
    const customMessageEnv = declared[triggerFunctions.CustomMessage ?? ''] ?? {};
    const verification = isObject(resources.poolSettings.VerificationMessageTemplate)
      ? resources.poolSettings.VerificationMessageTemplate
      : {};
    const usernameAttributes = Array.isArray(resources.poolSettings.UsernameAttributes)
      ? resources.poolSettings.UsernameAttributes.map(String)
      : [];
    const cognito = await startCognitoLocal({
      dataDir,
      host: HOST,
      ...(options.ports?.cognito === undefined ? {} : { port: options.ports.cognito }),
      region,
      lambdaEndpoint: startFunctions,
      triggerFunctions,
      usernameAttributes,
      simulation: {
        emailSendingAccount:
          customMessageEnv.EMAIL_SENDING_ACCOUNT === 'COGNITO_DEFAULT' ? 'COGNITO_DEFAULT' : 'DEVELOPER',
        emailVerificationOption:
          verification.DefaultEmailOption === 'CONFIRM_WITH_LINK' ? 'CONFIRM_WITH_LINK' : 'CONFIRM_WITH_CODE',
      },
      sender: inbox,
      logLevel: options.verbose ? 'info' : 'silent',
      onTriggerCall(report) {
        const line = callerLine(report);
        if (line !== undefined) say(line);
        if (recorder !== undefined) {
          try {
            say(`${' '.repeat(14)}recorded ${recorder.record(report)}`);
          } catch (error) {
            say(`${' '.repeat(14)}not recorded: ${error instanceof Error ? error.message : String(error)}`);
          }
        }
      },
    });
    stops.push(() => cognito.close());

    const postConfirmationEnv = declared[triggerFunctions.PostConfirmation ?? ''] ?? {};
    const listOf = (value: string | undefined) =>
      (value ?? '')
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
    const provisioned = await provisionLocalResources({
      cognitoUrl: cognito.url,
      dynamodbUrl: dynamodb.url,
      region,
      resources,
      groups: [
        ...listOf(postConfirmationEnv.DEFAULT_GROUPS),
        ...listOf(postConfirmationEnv.SELF_SERVICE_GROUPS),
      ],
    });

    const publicClient = provisioned.clients.find((client) => client.clientSecret === undefined);
    const confidential = provisioned.clients.find((client) => client.clientSecret !== undefined);
    const readyMs = Math.round(performance.now() - started);
    const state: PipelineState = {
      ready: true,
      pid: process.pid,
      startedAt: startedAt.toISOString(),
      readyAt: new Date().toISOString(),
      readyMs,
      region,
      endpoints: { cognito: cognito.url, lambda: lambdaUrl, dynamodb: dynamodb.url },
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
      functions: triggerFunctions,
      inboxDir: inbox.directory,
      dataDir,
      ...(recorder === undefined ? {} : { recordDir: recorder.directory }),
      envVarsFile,
    };
    writeStateFile(stateFile, state);

    let stopped = false;
    return {
      state,
      stateFile,
      async stop() {
        if (stopped) return;
        stopped = true;
        await stopAll();
        if (keepData || !stateFile.startsWith(dataDir)) {
          writeStateFile(stateFile, { ...state, ready: false, stoppedAt: new Date().toISOString() });
        }
        if (!keepData) rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await stopAll();
    if (!keepData) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}
