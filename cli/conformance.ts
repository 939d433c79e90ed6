/**
 * `npm run conformance -- [--target local|cognito-local] [--endpoint <url> --lambda-endpoint <url>
 * [--messages <kind>:<dir>]] [--region <r>] [--only <id prefix>] [--report <file.md>] [--json <file.json>]`
 *
 * Scores a Cognito-compatible endpoint against the sign-up contract (conformance/suite.ts). The suite serves
 * its probe functions behind its own Lambda Invoke API; an endpoint it starts (`--target`) is pointed at it,
 * an endpoint given by URL must already call it (`--lambda-endpoint`, where the suite listens). Prints one
 * line per check and the scorecard's summary; `--report` writes the Markdown scorecard, `--json` the results.
 * Exit 0 when every failure is one the target is known for (conformance/expected-failures.ts; none for the
 * local pipeline or an endpoint given by URL), 1 otherwise, 2 for a wrong command line.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Status } from '../conformance/check.js';
import { EXPECTED_FAILURES } from '../conformance/expected-failures.js';
import { type MessageSource, messageSourceOf } from '../conformance/messages.js';
import { startProbeLambda } from '../conformance/probe-lambda.js';
import {
  compareWithExpected,
  type ExpectedFailures,
  scorecardMarkdown,
  summaryLine,
} from '../conformance/scorecard.js';
import { CHECKS, type CheckResult, runSuite, type SuiteOptions } from '../conformance/suite.js';
import { scoreTarget, TargetName, type TargetScore } from '../conformance/targets.js';
import { InvalidOptionError } from '../local/errors.js';
import { parseCommandLine, UsageError } from './command-line.js';
import { runMain } from './run-main.js';

const USAGE = `Usage: npm run conformance -- [options]

Scores a Cognito-compatible endpoint against the sign-up contract (docs/conformance.md): sign-up, admin
creation, confirmation, resend, forgotten password and attribute flows, with the suite's own probe functions
as the triggers, behind a Lambda Invoke API the suite serves.

Options:
  --target <name>          start the endpoint: local (npm start's pipeline, the default) or cognito-local
                           (bare cognito-local from node_modules)
  --endpoint <url>         score this running endpoint instead; it must call the suite's triggers at
  --lambda-endpoint <url>  where the suite serves its Lambda Invoke API (required with --endpoint), e.g.
                           http://127.0.0.1:9001 (any function name is served)
  --messages <kind>:<dir>  where the endpoint's messages (codes) can be read, with --endpoint:
                           inbox:<dir> (npm start's inbox) or cognito-local:<dir> (its .cognito/db)
  --region <region>        the Region of the endpoint (default: us-east-1)
  --only <prefix>          run only the checks whose id starts with it (e.g. failure.)
  --report <file.md>       write the Markdown scorecard
  --json <file.json>       write the results as JSON
  -h, --help               show this help`;

/** An http(s) URL option, without a trailing slash. */
function urlOf(option: string, value: string): URL {
  if (URL.canParse(value) && /^https?:$/.test(new URL(value).protocol)) return new URL(value);
  const invalid = new InvalidOptionError(option, value, 'an http(s) URL');
  throw new UsageError(invalid.message, { cause: invalid });
}

function targetNameOf(value: string): TargetName {
  if (value === TargetName.Local || value === TargetName.CognitoLocal) return value;
  const invalid = new InvalidOptionError(
    'target',
    value,
    `${TargetName.Local} or ${TargetName.CognitoLocal}`,
  );
  throw new UsageError(invalid.message, { cause: invalid });
}

function messagesOf(value: string | undefined): MessageSource | undefined {
  if (value === undefined) return undefined;
  try {
    return messageSourceOf(value);
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
}

function resultLine(result: CheckResult, expected: ExpectedFailures): string {
  const known = result.status === Status.Fail && Object.hasOwn(expected, result.id) ? ' (expected)' : '';
  const detail =
    result.status === Status.Pass
      ? ''
      : `\n           expected ${result.expected ?? '-'}; observed ${result.observed ?? '-'}`;
  return `${result.status.padEnd(8)} ${result.id}${known}${detail}`;
}

async function main(): Promise<number> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { values } = parseCommandLine({
    options: {
      target: { type: 'string' },
      endpoint: { type: 'string' },
      'lambda-endpoint': { type: 'string' },
      messages: { type: 'string' },
      region: { type: 'string' },
      only: { type: 'string' },
      report: { type: 'string' },
      json: { type: 'string' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const region = values.region ?? 'us-east-1';
  const external = values.endpoint === undefined ? undefined : urlOf('endpoint', values.endpoint);
  if (external !== undefined && values.target !== undefined)
    throw new UsageError('--endpoint and --target exclude each other');
  if (external !== undefined && values['lambda-endpoint'] === undefined) {
    throw new UsageError('--endpoint needs --lambda-endpoint: where the endpoint calls its triggers');
  }
  if (external === undefined && (values['lambda-endpoint'] !== undefined || values.messages !== undefined)) {
    throw new UsageError('--lambda-endpoint and --messages go with --endpoint');
  }
  const targetName = external === undefined ? targetNameOf(values.target ?? TargetName.Local) : undefined;
  const checks = CHECKS.filter((check) => check.id.startsWith(values.only ?? ''));
  if (checks.length === 0) throw new UsageError(`--only ${values.only}: no check id starts with it`);
  const probeAt =
    values['lambda-endpoint'] === undefined ? undefined : urlOf('lambda-endpoint', values['lambda-endpoint']);
  const messages = messagesOf(values.messages);

  const expected: ExpectedFailures = targetName === undefined ? {} : EXPECTED_FAILURES[targetName];
  const onResult = (result: CheckResult) => console.log(resultLine(result, expected));
  let score: TargetScore;
  if (targetName !== undefined) {
    console.log(`Starting ${targetName} with the suite's probe functions as its triggers…`);
    score = await scoreTarget(targetName, { region, checks, onResult });
  } else {
    score = await scoreEndpoint(String(external).replace(/\/$/, ''), probeAt, messages, {
      region,
      checks,
      onResult,
    });
  }
  const card = scorecardMarkdown({ target: score.target, results: score.results, expected });
  if (values.report !== undefined) writeFileSync(resolve(values.report), card);
  if (values.json !== undefined)
    writeFileSync(resolve(values.json), `${JSON.stringify(score.results, null, 2)}\n`);
  const { unexpected, fixed } = compareWithExpected(score.results, expected);
  console.log(`\n${score.target} at ${score.endpoint} (messages: ${score.messages ?? 'none'})`);
  console.log(summaryLine(score.results));
  for (const result of fixed)
    console.log(
      `no longer fails, though listed as a known difference (conformance/expected-failures.ts): ${result.id}`,
    );
  if (unexpected.length > 0)
    console.log(`unexpected failures: ${unexpected.map((result) => result.id).join(', ')}`);
  return unexpected.length === 0 ? 0 : 1;
}

/** Runs the suite against an endpoint already calling the probe API at `probeAt`. */
async function scoreEndpoint(
  endpoint: string,
  probeAt: URL | undefined,
  messages: MessageSource | undefined,
  options: Pick<SuiteOptions, 'checks' | 'onResult'> & { region: string },
): Promise<TargetScore> {
  const probe = await startProbeLambda(
    probeAt === undefined ? {} : { host: probeAt.hostname, port: Number(probeAt.port || 80) },
  );
  try {
    console.log(`Scoring ${endpoint}; its triggers must call ${probe.url}`);
    const run = await runSuite({
      endpoint,
      probe,
      ...options,
      ...(messages === undefined ? {} : { messages }),
    });
    return {
      target: 'the endpoint given (--endpoint)',
      endpoint,
      messages: messages?.description,
      results: run.results,
    };
  } finally {
    await probe.close();
  }
}

runMain(main, { errorPrefix: 'npm run conformance failed: ', errorExitCode: 1, usage: USAGE });
