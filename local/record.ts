/**
 * `--record <dir>`: every trigger call of the local pipeline becomes a fixture pair in the `events/` format
 * (STYLE "Fixtures"): `<dir>/<trigger>/<source>.<scenario>.json`, the event as Cognito sent it, and
 * `.expected.json`, what the API caller saw (harness/cognito-outcome.ts), with personal data replaced by
 * stable fake values (local/anonymize.ts). The run's function configuration goes to
 * `<dir>/env.recorded.json` (SAM `--env-vars` format), which every expectation names, so
 * `npm run replay -- <dir>` replays the recording under the settings it was made with.
 *
 * Fixtures whose trigger called a service during the run (the alias guard's ListUsers, post confirmation's
 * writes, a captcha check) replay to the same outcome only where those services answer as they did.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { CognitoOutcome, Expectation } from '../harness/cognito-outcome.js';
import { fileSourceOf, kebabCase } from '../harness/fixtures.js';
import { PROJECT_ROOT } from '../harness/paths.js';
import { parseSecretList } from '../shared/secret.js';
import { type Anonymizer, createAnonymizer } from './anonymize.js';
import type { TriggerCallReport } from './cognito-lambda.js';

/** Options of {@link createRecorder}. */
export type RecorderOptions = {
  /** The folder the fixtures go to (created if needed). */
  directory: string;
  /** Each function's declared environment for the run (no endpoints, no credentials), by logical id. */
  environments: Readonly<Record<string, Record<string, string>>>;
  now?: () => Date;
};

/** A recorder; {@link Recorder.record} writes one fixture pair and returns the event file's path. */
export type Recorder = {
  directory: string;
  /** The env-vars file every expectation names. */
  envVarsFile: string;
  record(report: TriggerCallReport): string;
};

const ENV_VARS_FILE = 'env.recorded.json';

/** The scenario part of the file name: what the caller saw, in a few kebab-case words. */
export function scenarioOf(outcome: CognitoOutcome): string {
  if (outcome.outcome === 'error') {
    const code = /failed with error ([A-Z][A-Z0-9_]{1,63}):/.exec(outcome.message)?.[1];
    return code === undefined
      ? kebabCase(outcome.errorType.replace(/Exception$/, ''))
      : code.toLowerCase().replaceAll('_', '-');
  }
  if (outcome.effective !== undefined) {
    const { autoConfirmUser, autoVerifyEmail } = outcome.effective;
    if (autoConfirmUser && autoVerifyEmail) return 'auto-confirmed-verified';
    return autoConfirmUser ? 'auto-confirmed' : 'allowed';
  }
  if (outcome.delivery !== undefined) {
    return Object.values(outcome.delivery).every((choice) => choice === 'custom')
      ? 'custom-message'
      : 'default-message';
  }
  return 'success';
}

function summaryOf(outcome: CognitoOutcome): string {
  if (outcome.outcome === 'error') return `the caller saw ${outcome.errorType}`;
  if (outcome.effective !== undefined) {
    const flags = Object.entries(outcome.effective)
      .filter(([, on]) => on)
      .map(([flag]) => flag);
    return `the call went on (${flags.length === 0 ? 'no flags' : flags.join(', ')})`;
  }
  if (outcome.delivery !== undefined) {
    const { email, emailSubject, sms } = outcome.delivery;
    return `Cognito sent the ${email} email, ${emailSubject} subject and ${sms} SMS`;
  }
  return 'the call went on';
}

/**
 * A recorder writing into `directory`.
 *
 * @example
 * const recorder = createRecorder({ directory: 'events/recorded', environments });
 * recorder.record(report); // events/recorded/pre-sign-up/sign-up.allowed.json (+ .expected.json)
 */
export function createRecorder(options: RecorderOptions): Recorder {
  const { directory } = options;
  const now = options.now ?? (() => new Date());
  mkdirSync(directory, { recursive: true });
  const envVarsFile = join(directory, ENV_VARS_FILE);
  writeFileSync(envVarsFile, `${JSON.stringify(options.environments, null, 2)}\n`);
  const inviteSecret = Object.values(options.environments).find((env) => env.INVITE_SECRET)?.INVITE_SECRET;
  let inviteSecrets: string[] = [];
  try {
    inviteSecrets = inviteSecret === undefined ? [] : parseSecretList(inviteSecret);
  } catch {
    // An unreadable secret list: invites are recorded as forged ones (the fixture says what happened).
  }
  const anonymizer: Anonymizer = createAnonymizer({ inviteSecrets, now });

  return {
    directory,
    envVarsFile,
    record(report) {
      const event = anonymizer.event(report.event);
      const cognito = anonymizer.value(report.call.cognito);
      const folder = join(directory, kebabCase(report.trigger));
      mkdirSync(folder, { recursive: true });
      const base = `${fileSourceOf(report.event.triggerSource)}.${scenarioOf(report.call.cognito)}`;
      let name = base;
      for (let n = 2; existsSync(join(folder, `${name}.json`)); n += 1) name = `${base}-${n}`;
      const eventFile = join(folder, `${name}.json`);
      const expectation: Expectation = {
        description: `Recorded by \`npm start -- --record\` from ${report.operation ?? 'an API call'} on ${now().toISOString().slice(0, 10)}: ${summaryOf(report.call.cognito)}; personal data replaced by fake values.`,
        envVars: relative(PROJECT_ROOT, envVarsFile),
        attempts: report.call.attempts,
        cognito,
      };
      writeFileSync(eventFile, `${JSON.stringify(event, null, 2)}\n`);
      writeFileSync(join(folder, `${name}.expected.json`), `${JSON.stringify(expectation, null, 2)}\n`);
      return eventFile;
    },
  };
}
