/**
 * `npm start -- [--data-dir <dir>] [--state-file <path>] [--record <dir>] [--env-vars <file>] [--no-build]
 * [--region <r>] [--cognito-port <n>] [--lambda-port <n>] [--dynamodb-port <n>] [--lambda-endpoint <url>]
 * [--message-delivery CustomMessage|CustomSenders] [--verbose]`
 *
 * Runs the whole sign-up pipeline on this machine (local/pipeline.ts) until Ctrl-C, SIGTERM or SIGHUP, which
 * stop every server and function process, also during the start, then prints what the functions' metrics
 * documents counted (local/metrics-counters.ts). Exit 0 after such a stop, 1 when it cannot start, 2 for a
 * wrong command line (an unknown option, a port that is not one). An `--env-vars` block that names no
 * function of the template is a warning on stderr.
 *
 * Ctrl-C in a terminal signals the whole process group, so this process gets SIGINT more than once (from the
 * terminal, and relayed by the `tsx` wrapper): the handlers stay registered (`process.on`) and ignore the
 * repeats. With no handler left, tsx's own would end the process mid-stop (exit 130).
 */
import { envVarsWarnings } from '../harness/env-vars.js';
import { readJsonFile } from '../harness/fixtures.js';
import { fromProjectRoot } from '../harness/paths.js';
import { loadTemplate } from '../harness/template.js';
import { readyBanner } from '../local/banner.js';
import { DEFAULT_PIPELINE_ENV_VARS } from '../local/defaults.js';
import { InvalidOptionError, StartAbortedError } from '../local/errors.js';
import type { Pipeline } from '../local/pipeline.js';
import { parseCommandLine, UsageError } from './command-line.js';
import { runMain } from './run-main.js';

const USAGE = `Usage: npm start -- [options]

Builds the trigger functions and runs the sign-up pipeline on loopback: a Lambda Invoke API serving the
functions of template.yaml, cognito-local as the user pool calling them, and dynalite for the tables.
Prints the endpoints and ids, then one line per trigger invocation, with the trigger's counters (from the
functions' own metrics documents) after a refusal, a fault or the like. Ctrl-C stops everything and prints
the counters of the run.

Options:
  --state-file <path>     write the JSON state (endpoints, pool id, client ids, ready flag) here
                          (default: <data dir>/state.json)
  --data-dir <dir>        keep users, tables and the inbox in <dir> across runs (default: a temporary
                          folder, removed at exit)
  --record <dir>          write every trigger call as a fixture pair (events/ format, PII replaced)
  --env-vars <file>       SAM --env-vars file for the functions (default: local/env.local.json)
  --no-build              use the bundles already in dist/ (default: build first)
  --region <region>       the Region in events (default: us-east-1)
  --cognito-port <n>      port of the user pool API (default: a free port)
  --lambda-port <n>       port of the Lambda Invoke API (default: a free port)
  --dynamodb-port <n>     port of DynamoDB (default: a free port)
  --lambda-endpoint <url> the pool invokes its triggers at this Lambda Invoke API instead of the
                          functions of template.yaml (nothing is built): the conformance suite's probes
  --message-delivery <m>  CustomMessage (default) or CustomSenders: the pool hands each code, encrypted,
                          to the custom email and SMS sender functions, which deliver into the inbox
  --verbose               also print the functions' log lines (their metrics documents are counted, not
                          printed) and cognito-local's warnings and errors
  -h, --help              show this help`;

const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

// startPipeline's default template, taken like its own from the project root (local/pipeline.ts).
const TEMPLATE = 'template.yaml';

/**
 * The env-vars warnings for the file the pipeline will read. A file or template that cannot be read gives
 * none: startPipeline reports that itself, as the reason the start failed.
 */
function envVarsWarningsOf(envVarsFile: string | undefined): string[] {
  try {
    const envVars = readJsonFile(fromProjectRoot(envVarsFile ?? DEFAULT_PIPELINE_ENV_VARS));
    return envVarsWarnings(loadTemplate(fromProjectRoot(TEMPLATE)), envVars);
  } catch {
    return [];
  }
}

function portOf(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (value.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65_535) {
    const invalid = new InvalidOptionError(option, value, 'a port number (0-65535)');
    throw new UsageError(invalid.message, { cause: invalid });
  }
  return port;
}

function endpointOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (URL.canParse(value) && /^https?:$/.test(new URL(value).protocol)) return value.replace(/\/+$/, '');
  const invalid = new InvalidOptionError('lambda-endpoint', value, 'an http(s) URL');
  throw new UsageError(invalid.message, { cause: invalid });
}

function messageDeliveryOf(value: string | undefined): 'CustomMessage' | 'CustomSenders' | undefined {
  if (value === undefined || value === 'CustomMessage' || value === 'CustomSenders') return value;
  const invalid = new InvalidOptionError('message-delivery', value, 'CustomMessage or CustomSenders');
  throw new UsageError(invalid.message, { cause: invalid });
}

/**
 * Resolves with the first stop signal; later ones (the same Ctrl-C relayed, a second Ctrl-C) are ignored. The
 * handlers stay until the process ends, so a late signal never finds none (and tsx's exit(130)).
 */
function firstStopSignal(): Promise<NodeJS.Signals> {
  let resolve: (signal: NodeJS.Signals) => void = () => undefined;
  const received = new Promise<NodeJS.Signals>((settle) => {
    resolve = settle;
  });
  let first: NodeJS.Signals | undefined;
  function onSignal(signal: NodeJS.Signals): void {
    if (first !== undefined) return;
    first = signal;
    console.log(`\n${signal}: stopping the pipeline…`);
    resolve(signal);
  }
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  return received;
}

async function main(): Promise<number> {
  // The provisioning SDK clients would warn about this machine's Node.js version at every start.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { values } = parseCommandLine({
    options: {
      'state-file': { type: 'string' },
      'data-dir': { type: 'string' },
      record: { type: 'string' },
      'env-vars': { type: 'string' },
      'no-build': { type: 'boolean', default: false },
      region: { type: 'string' },
      'cognito-port': { type: 'string' },
      'lambda-port': { type: 'string' },
      'dynamodb-port': { type: 'string' },
      'lambda-endpoint': { type: 'string' },
      'message-delivery': { type: 'string' },
      verbose: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  for (const warning of envVarsWarningsOf(values['env-vars'])) console.warn(warning);
  const ports = {
    cognito: portOf('cognito-port', values['cognito-port']),
    lambda: portOf('lambda-port', values['lambda-port']),
    dynamodb: portOf('dynamodb-port', values['dynamodb-port']),
  };
  const lambdaEndpoint = endpointOf(values['lambda-endpoint']);
  const messageDelivery = messageDeliveryOf(values['message-delivery']);
  // Before the start: a signal during it aborts the start, which stops what has started.
  const stopSignal = firstStopSignal();
  const abort = new AbortController();
  void stopSignal.then((signal) => abort.abort(signal));
  // Loaded only now: `--help` and a wrong command line answer without loading the servers and functions.
  const { startPipeline } = await import('../local/pipeline.js');
  let pipeline: Pipeline;
  try {
    pipeline = await startPipeline({
      build: !values['no-build'],
      verbose: values.verbose,
      signal: abort.signal,
      ports: Object.fromEntries(Object.entries(ports).filter(([, port]) => port !== undefined)),
      ...(values['state-file'] === undefined ? {} : { stateFile: values['state-file'] }),
      ...(values['data-dir'] === undefined ? {} : { dataDir: values['data-dir'] }),
      ...(values.record === undefined ? {} : { recordDir: values.record }),
      ...(values['env-vars'] === undefined ? {} : { envVarsFile: values['env-vars'] }),
      ...(values.region === undefined ? {} : { region: values.region }),
      ...(lambdaEndpoint === undefined ? {} : { lambdaEndpoint }),
      ...(messageDelivery === undefined ? {} : { messageDelivery }),
    });
  } catch (error) {
    if (error instanceof StartAbortedError) {
      console.log('Stopped.');
      return 0;
    }
    throw error;
  }
  if (!abort.signal.aborted) process.stdout.write(readyBanner(pipeline.state, pipeline.stateFile));

  // Runs until a signal (maybe one that came just as the start ended): stop everything, then let the event
  // loop empty so the process exits by itself.
  await stopSignal;
  let code = 0;
  try {
    await pipeline.stop();
    console.log('Stopped.');
  } catch (error) {
    console.error(`stop failed: ${error instanceof Error ? error.message : String(error)}`);
    code = 1;
  }
  // After the stop, so an invocation that was still running is counted too.
  const summary = pipeline.metrics.summary();
  if (summary.length > 0) console.log(`\n${summary.join('\n')}`);
  return code;
}

runMain(main, { errorPrefix: 'npm start failed: ', errorExitCode: 1, usage: USAGE });
