/**
 * `npm run replay -- [files or folders] [--mode bundle|in-process] [--env-vars <file>] [--update] [--json]
 * [--all] [--template <file>]`
 *
 * Replays recorded Cognito events through the triggers under Cognito's rules and prints, for each, what the
 * Cognito API caller would see; a diff for each mismatch; last line `N passed, N failed` (`, N skipped` when
 * fixtures were skipped). Exit 1 on failure.
 *
 * A fixture whose expectation says what live service answer its outcome rested on (`needs`, written by
 * `npm start -- --record` when no offline replay reproduces the outcome) is skipped, and says so, unless
 * `--all`.
 *
 * A wrong command line exits 2 with the usage; a block of the `--env-vars` file that names no function of the
 * template is a warning on stderr.
 */
import { dirname, join, relative, resolve } from 'node:path';
import type { CognitoOutcome } from '../harness/cognito-outcome.js';
import { envVarsWarnings } from '../harness/env-vars.js';
import { expectationPathOf, findEventFiles, isSenderFixture, readJsonFile } from '../harness/fixtures.js';
import { fromProjectRoot, PROJECT_ROOT } from '../harness/paths.js';
import {
  createReplayer,
  DEFAULT_REPLAY_ENV_VARS,
  type FixtureResult,
  type ReplayMode,
} from '../harness/replay.js';
import {
  createSenderReplayer,
  type SenderOutcome,
  updateSenderExpectation,
} from '../harness/sender-replay.js';
import { DEFAULT_TEMPLATE_PATH, loadTemplate, requireTriggerFunctions } from '../harness/template.js';
import { parseCommandLine, UsageError } from './command-line.js';
import { runMain } from './run-main.js';

const USAGE = `Usage: npm run replay -- [files or folders ...] [options]

Replays recorded Cognito trigger events (default: events/) and compares what a Cognito API caller would see
with the .expected.json file beside each event.

Options:
  --mode <bundle|in-process>   run the built bundles in child processes (default) or the sources in-process
  --env-vars <file>            SAM --env-vars file (default: events/env.json)
  --update                     write the actual outcome into each .expected.json (keeps descriptions)
  --json                       print one JSON report instead of text
  --verbose                    print the function's log lines for each mismatch (in-process: as they happen)
  --all                        also replay fixtures whose expectation "needs" a live service's answer
                               (recorded by npm start -- --record; skipped by default, they fail offline)
  -t, --template <file>        the SAM template whose functions serve the triggers (default: template.yaml
                               at the repository root); bundle mode runs the bundles in dist/ beside it
  -h, --help                   show this help`;

function summaryOf(outcome: CognitoOutcome): string {
  if (outcome.outcome === 'error') {
    return `${outcome.errorType}: ${outcome.message}${outcome.inferred === true ? ' [inferred]' : ''}`;
  }
  if (outcome.effective !== undefined) {
    const on = Object.entries(outcome.effective)
      .filter(([, value]) => value)
      .map(([flag]) => flag);
    return `success (${on.length === 0 ? 'no flags' : on.join(', ')})`;
  }
  if (outcome.delivery !== undefined) {
    const { email, emailSubject, sms } = outcome.delivery;
    return `success (email ${email}, subject ${emailSubject}, sms ${sms})`;
  }
  return 'success';
}

/**
 * What live service answer a fixture's outcome rested on (its expectation's `needs`), or `undefined`. An
 * expectation that cannot be read is left to the replay, which reports it.
 */
function needsOf(file: string): string | undefined {
  try {
    const expectation = readJsonFile(expectationPathOf(file)) as { needs?: unknown } | null;
    const needs = expectation?.needs;
    return typeof needs === 'string' && needs.trim() !== '' ? needs : undefined;
  } catch {
    return undefined;
  }
}

function progress(done: number, total: number): void {
  if (!process.stderr.isTTY || total < 20) return;
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
  if (done === total) process.stderr.write('\r\u001b[2K');
}

async function main(): Promise<number> {
  const { values, positionals } = parseCommandLine({
    options: {
      mode: { type: 'string', default: 'bundle' },
      'env-vars': { type: 'string' },
      update: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      all: { type: 'boolean', default: false },
      template: { type: 'string', short: 't' },
    },
    positionals: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.mode !== 'bundle' && values.mode !== 'in-process') {
    throw new UsageError(`--mode must be "bundle" or "in-process", not "${values.mode}"`);
  }
  const found = findEventFiles(positionals.length === 0 ? [`${PROJECT_ROOT}/events`] : positionals);
  if (found.length === 0) {
    console.error('No event files found.');
    return 2;
  }
  const skipped = values.all
    ? []
    : found.flatMap((file) => {
        const needs = needsOf(file);
        return needs === undefined ? [] : [{ file, needs }];
      });
  const kept = found.filter((file) => !skipped.some((skip) => skip.file === file));
  // The custom senders' events replay through their own harness (built bundles; harness/sender-replay.ts).
  const files = kept.filter((file) => !isSenderFixture(file));
  const senderFiles = kept.filter(isSenderFixture);
  const mode = values.mode as ReplayMode;
  // The file every fixture replays under unless its expectation names its own (those are not checked here).
  const envVarsFile = fromProjectRoot(values['env-vars'] ?? DEFAULT_REPLAY_ENV_VARS);
  const templatePath = values.template === undefined ? DEFAULT_TEMPLATE_PATH : resolve(values.template);
  // Each fixture goes to the function that names its trigger; a template with none fails here, saying why.
  const template = loadTemplate(templatePath);
  requireTriggerFunctions(template);
  for (const warning of envVarsWarnings(template, readJsonFile(envVarsFile))) console.warn(warning);
  const replayer = createReplayer({
    mode,
    templatePath,
    distDir: join(dirname(templatePath), 'dist'),
    ...(values['env-vars'] === undefined ? {} : { envVarsPath: values['env-vars'] }),
    // In this process the functions would write their logs and metrics documents into the report; bundles'
    // are captured.
    ...(mode === 'in-process' && !values.verbose
      ? { environment: { POWERTOOLS_LOG_LEVEL: 'SILENT', METRICS_ENABLED: 'false' } }
      : {}),
  });
  const results: FixtureResult[] = [];
  try {
    for (const [index, file] of files.entries()) {
      const result = await replayer.replayFixture(file);
      if (values.update && !result.passed) replayer.updateExpectation(result);
      results.push(result);
      progress(index + 1, files.length);
    }
  } finally {
    await replayer.close();
  }

  const senderResults: { file: string; passed: boolean; outcome: SenderOutcome }[] = [];
  if (senderFiles.length > 0) {
    const senders = createSenderReplayer({
      distDir: join(dirname(templatePath), 'dist'),
      ...(values.verbose ? {} : { environment: { POWERTOOLS_LOG_LEVEL: 'SILENT' } }),
    });
    try {
      for (const file of senderFiles) {
        const result = await senders.replayFixture(file);
        if (values.update && !result.passed) updateSenderExpectation(file, result.expected, result.actual);
        senderResults.push({ file, passed: values.update || result.passed, outcome: result.actual });
      }
    } finally {
      await senders.close();
    }
  }
  const failedSenders = senderResults.filter((result) => !result.passed);
  const failed = values.update ? [] : results.filter((result) => !result.passed);
  const passed = results.length - failed.length + senderResults.length - failedSenders.length;
  if (values.json) {
    const report: Record<string, unknown>[] = results.map((result) => ({
      file: relative(PROJECT_ROOT, result.file),
      passed: values.update || result.passed,
      attempts: result.actual.attempts,
      cognito: result.actual.cognito,
      ...(result.passed ? {} : { diff: result.diff }),
    }));
    for (const result of senderResults) {
      report.push({
        file: relative(PROJECT_ROOT, result.file),
        passed: result.passed,
        sender: result.outcome,
      } as never);
    }
    const skips = skipped.map((skip) => ({ file: relative(PROJECT_ROOT, skip.file), needs: skip.needs }));
    console.log(
      JSON.stringify(
        {
          passed,
          failed: failed.length + failedSenders.length,
          skipped: skips.length,
          results: report,
          skips,
        },
        null,
        2,
      ),
    );
    return failed.length + failedSenders.length === 0 ? 0 : 1;
  }
  for (const skip of skipped) {
    console.log(`${'SKIP'.padEnd(7)} ${relative(PROJECT_ROOT, skip.file)}\n        needs: ${skip.needs}`);
  }
  for (const result of results) {
    const name = relative(PROJECT_ROOT, result.file);
    const attempts = result.actual.attempts > 1 ? ` after ${result.actual.attempts} attempts` : '';
    const mark = result.passed ? 'PASS' : values.update ? 'UPDATED' : 'FAIL';
    console.log(
      `${mark.padEnd(7)} ${name}\n        caller sees: ${summaryOf(result.actual.cognito)}${attempts}`,
    );
    if (result.actual.cognito.outcome === 'success') {
      for (const note of result.actual.cognito.notes) console.log(`        note: ${note}`);
    }
    if (!result.passed && !values.update) {
      console.log(result.expected === undefined ? '        no .expected.json beside this event' : '');
      console.log(result.diff.replace(/^/gm, '        '));
      if (values.verbose) for (const line of result.logs) console.log(`        log: ${line}`);
    }
  }
  for (const result of senderResults) {
    const mark = result.passed ? (values.update ? 'UPDATED' : 'PASS') : 'FAIL';
    const sent = result.outcome.delivered.map(
      (message) => `${message.channel} (${message.codeInBody ? 'code in it' : 'no code'})`,
    );
    const what =
      result.outcome.kind === 'returned'
        ? sent.length === 0
          ? 'nothing sent'
          : `sent ${sent.join(', ')}`
        : `failed (${result.outcome.errorType ?? result.outcome.kind})`;
    console.log(`${mark.padEnd(7)} ${relative(PROJECT_ROOT, result.file)}\n        sender: ${what}`);
  }
  const failures = failed.length + failedSenders.length;
  console.log(
    `${passed} passed, ${failures} failed${skipped.length === 0 ? '' : `, ${skipped.length} skipped`}`,
  );
  return failures === 0 ? 0 : 1;
}

runMain(main, { usage: USAGE });
