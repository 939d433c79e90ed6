/**
 * `npm run --silent invoke -- <LogicalId> [-e <event.json>|-] [--env-vars <env.json>] [--cognito]
 * [--template <file>]`
 *
 * Behaves like `sam local invoke` without Docker: reads template.yaml (handler, environment with parameter
 * defaults, the env-vars override, timeout), builds and runs the function's bundle, prints the response JSON
 * on stdout (logs go to stderr) and exits 0; on a handler error prints `{"errorType", "errorMessage"}` and
 * exits 1. With `--cognito` it prints what the Cognito API caller would see instead. A wrong command line
 * exits 2 with the usage; an `--env-vars` block that names no function of the template is a warning on stderr.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { buildFunctions } from '../harness/build-functions.js';
import { bundleInvoker } from '../harness/bundle-invoker.js';
import { simulateCognitoCall } from '../harness/cognito-simulator.js';
import { applyEnvVars, envVarsWarnings } from '../harness/env-vars.js';
import { readJsonFile } from '../harness/fixtures.js';
import { createSenderReplayer } from '../harness/sender-replay.js';
import {
  DEFAULT_TEMPLATE_PATH,
  functionByLogicalId,
  loadTemplate,
  NO_TRIGGER_FUNCTION,
} from '../harness/template.js';
import { parseCommandLine, UsageError } from './command-line.js';
import { runMain } from './run-main.js';

const USAGE = `Usage: npm run --silent invoke -- <LogicalId> [-e <event.json>|-] [--env-vars <env.json>] [--cognito]

Runs one function of template.yaml on an event, like \`sam local invoke\`, with no Docker.

Options:
  -e, --event <file|->   the event (a file, or - for standard input); none means {} as in SAM
  -n, --env-vars <file>  SAM --env-vars JSON file overriding the template's environment
  --cognito              print what the Cognito API caller would see (5 s per attempt, up to 3 attempts)
  -t, --template <file>  the SAM template (default: template.yaml at the repository root); the bundle goes
                         to dist/ beside it
  -h, --help             show this help`;

function readEvent(source: string | undefined): unknown {
  if (source === undefined) return {};
  if (source === '-') return JSON.parse(readFileSync(0, 'utf8'));
  return readJsonFile(resolve(source));
}

async function main(): Promise<number> {
  const { values, positionals } = parseCommandLine({
    options: {
      event: { type: 'string', short: 'e' },
      'env-vars': { type: 'string', short: 'n' },
      cognito: { type: 'boolean', default: false },
      template: { type: 'string', short: 't' },
    },
    positionals: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const templatePath = values.template === undefined ? DEFAULT_TEMPLATE_PATH : resolve(values.template);
  const template = loadTemplate(templatePath);
  const [logicalId] = positionals;
  if (logicalId === undefined || positionals.length > 1) {
    const known = [...template.functions, ...template.senderFunctions]
      .map((spec) => spec.logicalId)
      .join(', ');
    throw new UsageError(
      known === '' ? `no function to name: ${NO_TRIGGER_FUNCTION}` : `name exactly one function: ${known}`,
    );
  }
  const event = readEvent(values.event);
  // A custom sender runs as the replay harness runs it: its `<encrypt:…>` code encrypted now, delivery to a
  // loopback SES/SNS stand-in; what it delivered is printed (docs/replay.md, "Custom sender events").
  if (template.senderFunctions.some((candidate) => candidate.logicalId === logicalId)) {
    return invokeSender(templatePath, logicalId, event);
  }
  const spec = functionByLogicalId(template, logicalId);
  const envVars = values['env-vars'] === undefined ? undefined : readJsonFile(resolve(values['env-vars']));
  for (const warning of envVarsWarnings(template, envVars)) console.warn(warning);
  const [built] = await buildFunctions({ templatePath, functions: [spec.logicalId] });
  if (built === undefined) throw new Error(`${spec.logicalId} was not built`);
  const invoker = bundleInvoker({
    bundlePath: built.bundlePath,
    exportName: spec.exportName,
    environment: applyEnvVars(spec, envVars),
    functionName: spec.logicalId,
    memoryMb: spec.memoryMb,
    onLog: (line) => process.stderr.write(`${line}\n`),
  });
  try {
    if (values.cognito) {
      const call = await simulateCognitoCall(invoker, event);
      console.log(JSON.stringify({ attempts: call.attempts, cognito: call.cognito }, null, 2));
      return call.cognito.outcome === 'success' ? 0 : 1;
    }
    const result = await invoker.invoke(event, spec.timeoutSeconds * 1000);
    switch (result.kind) {
      case 'returned':
        console.log(JSON.stringify(result.value));
        return 0;
      case 'threw':
        console.log(JSON.stringify({ errorType: result.errorType, errorMessage: result.errorMessage }));
        return 1;
      case 'timeout':
        console.log(
          JSON.stringify({
            errorType: 'Sandbox.Timedout',
            errorMessage: `Task timed out after ${spec.timeoutSeconds.toFixed(2)} seconds`,
          }),
        );
        return 1;
    }
  } finally {
    await invoker.close();
  }
}

/** Builds the sender and runs `event` through the sender replay harness; prints what it delivered. */
async function invokeSender(templatePath: string, logicalId: string, event: unknown): Promise<number> {
  await buildFunctions({ templatePath, functions: [logicalId] });
  const replayer = createSenderReplayer({ distDir: join(dirname(templatePath), 'dist') });
  try {
    const outcome = await replayer.replayEvent(event);
    console.log(JSON.stringify(outcome, null, 2));
    return outcome.kind === 'returned' ? 0 : 1;
  } finally {
    await replayer.close();
  }
}

runMain(main, { usage: USAGE });
