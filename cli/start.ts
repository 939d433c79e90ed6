/**
 * `npm start -- [--data-dir <dir>] [--state-file <path>] [--record <dir>] [--env-vars <file>] [--no-build]
 * [--region <r>] [--cognito-port <n>] [--lambda-port <n>] [--dynamodb-port <n>] [--verbose]`
 *
 * Runs the whole sign-up pipeline on this machine (local/pipeline.ts) until Ctrl-C or SIGTERM, which stop
 * every server and function process. Exit 1 when it cannot start.
 */
import { parseArgs } from 'node:util';
import { readyBanner } from '../local/banner.js';
import { type Pipeline, startPipeline } from '../local/pipeline.js';
import { runMain } from './run-main.js';

const USAGE = `Usage: npm start -- [options]

Builds the trigger functions and runs the sign-up pipeline on loopback: a Lambda Invoke API serving the
functions of template.yaml, cognito-local as the user pool calling them, and dynalite for the tables.
Prints the endpoints and ids, then one line per trigger invocation. Ctrl-C stops everything.

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
  --verbose               also print the functions' log lines and cognito-local's log
  -h, --help              show this help`;

function portOf(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`--${option} must be a port number (0-65535), not "${value}"`);
  }
  return port;
}

async function main(): Promise<number> {
  // The provisioning SDK clients would warn about this machine's Node.js version at every start.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { values } = parseArgs({
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
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const ports = {
    cognito: portOf('cognito-port', values['cognito-port']),
    lambda: portOf('lambda-port', values['lambda-port']),
    dynamodb: portOf('dynamodb-port', values['dynamodb-port']),
  };
  const pipeline: Pipeline = await startPipeline({
    build: !values['no-build'],
    verbose: values.verbose,
    ports: Object.fromEntries(Object.entries(ports).filter(([, port]) => port !== undefined)),
    ...(values['state-file'] === undefined ? {} : { stateFile: values['state-file'] }),
    ...(values['data-dir'] === undefined ? {} : { dataDir: values['data-dir'] }),
    ...(values.record === undefined ? {} : { recordDir: values.record }),
    ...(values['env-vars'] === undefined ? {} : { envVarsFile: values['env-vars'] }),
    ...(values.region === undefined ? {} : { region: values.region }),
  });
  process.stdout.write(readyBanner(pipeline.state, pipeline.stateFile));

  // Runs until a signal: stop everything, then let the event loop empty so the process exits by itself.
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      console.log(`\n${signal}: stopping the pipeline…`);
      pipeline.stop().then(
        () => {
          console.log('Stopped.');
          resolve(0);
        },
        (error: unknown) => {
          console.error(`stop failed: ${error instanceof Error ? error.message : String(error)}`);
          resolve(1);
        },
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

runMain(main, { errorPrefix: 'npm start failed: ', errorExitCode: 1 });
