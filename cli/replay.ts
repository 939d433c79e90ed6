/**
 * `npm run replay -- [files or folders] [--mode bundle|in-process] [--env-vars <file>] [--update] [--json]`
 *
 * Replays recorded Cognito events through the triggers under Cognito's rules and prints, for each, what the
 * Cognito API caller would see; a diff for each mismatch; last line `N passed, N failed`. Exit 1 on failure.
 */
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import type { CognitoOutcome } from '../harness/cognito-outcome.js';
import { findEventFiles } from '../harness/fixtures.js';
import { PROJECT_ROOT } from '../harness/paths.js';
import { createReplayer, type FixtureResult, type ReplayMode } from '../harness/replay.js';
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

function progress(done: number, total: number): void {
  if (!process.stderr.isTTY || total < 20) return;
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
  if (done === total) process.stderr.write('\r\u001b[2K');
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      mode: { type: 'string', default: 'bundle' },
      'env-vars': { type: 'string' },
      update: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.mode !== 'bundle' && values.mode !== 'in-process') {
    console.error(`--mode must be "bundle" or "in-process", not "${values.mode}"\n\n${USAGE}`);
    return 2;
  }
  const files = findEventFiles(positionals.length === 0 ? [`${PROJECT_ROOT}/events`] : positionals);
  if (files.length === 0) {
    console.error('No event files found.');
    return 2;
  }
  const mode = values.mode as ReplayMode;
  const replayer = createReplayer({
    mode,
    ...(values['env-vars'] === undefined ? {} : { envVarsPath: values['env-vars'] }),
    // In this process the functions would write their logs into the report; bundles' logs are captured.
    ...(mode === 'in-process' && !values.verbose ? { environment: { POWERTOOLS_LOG_LEVEL: 'SILENT' } } : {}),
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

  const failed = values.update ? [] : results.filter((result) => !result.passed);
  const passed = results.length - failed.length;
  if (values.json) {
    const report = results.map((result) => ({
      file: relative(PROJECT_ROOT, result.file),
      passed: values.update || result.passed,
      attempts: result.actual.attempts,
      cognito: result.actual.cognito,
      ...(result.passed ? {} : { diff: result.diff }),
    }));
    console.log(JSON.stringify({ passed, failed: failed.length, results: report }, null, 2));
    return failed.length === 0 ? 0 : 1;
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
  console.log(`${passed} passed, ${failed.length} failed`);
  return failed.length === 0 ? 0 : 1;
}

runMain(main);
