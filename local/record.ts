/**
 * `--record <dir>`: every trigger call of the local pipeline becomes a fixture pair in the `events/` format
 * (docs/replay.md): `<dir>/<trigger>/<source>.<scenario>.json`, the event as Cognito sent it, and
 * `.expected.json`, what the API caller saw (harness/cognito-outcome.ts), with personal data replaced by
 * stable fake values (local/anonymize.ts).
 *
 * A recording replays offline, after the pipeline has stopped, with `npm run replay -- <dir>`:
 * - `<dir>/env.recorded.json` (SAM `--env-vars` format) holds the run's function settings made
 *   self-contained: fake secrets (`INVITE_SECRET`, `CAPTCHA_SECRET`; the invites are re-signed with the
 *   fake one), and nothing that needs a live service: the alias guard off, account linking off, post
 *   confirmation's group, profile, event and failure-queue writes off, the captcha verify URL unreachable
 *   (127.0.0.1:2). `<dir>/env.recorded-captcha-off.json` is the same with `CAPTCHA_PROVIDER=none`, for
 *   sign-ups whose captcha the provider accepted: offline no provider answers. A second recording into the
 *   same folder with other settings writes `env.recorded-2.json` (and so on), so earlier fixtures keep theirs.
 * - Before writing a pair, the recorder replays the fake event itself, as `npm run replay` will (the built
 *   bundles, Cognito's rules), under each of those files, and writes the first under which the caller sees
 *   what the caller saw during the run; the expectation names it (`envVars`, relative to the expectation's
 *   folder, so a recording can be moved, into `events/` for example). Message texts are then those the fake
 *   event renders (they hold no real value by construction).
 * - Where no offline replay reproduces the outcome, because it rested on a service's answer (the captcha
 *   provider refusing a token, the alias guard finding another user with the address, a strict post
 *   confirmation failing), the expectation keeps what the caller saw and says so in `needs`;
 *   `npm run replay` skips such fixtures (`--all` replays them).
 *
 * The checks run in the background, one at a time, in child processes; {@link Recorder.settled} waits for
 * them, and the process does not exit before they are done.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import type { CognitoOutcome, Expectation } from '../harness/cognito-outcome.js';
import { jsonEqual } from '../harness/cognito-simulator.js';
import { fileSourceOf, kebabCase } from '../harness/fixtures.js';
import { createReplayer, type Replayer } from '../harness/replay.js';
import { readBoolean } from '../shared/config.js';
import { readDomainEntries } from '../shared/email.js';
import { parseSecretList } from '../shared/secret.js';
import { SettingValue } from '../shared/settings.js';
import { aliasGuardOn } from '../triggers/pre-sign-up/rules/decide-confirmation.js';
import { captchaProviderOf, withCaptchaOff } from '../triggers/pre-sign-up/rules/verify-captcha.js';
import {
  type Anonymizer,
  type AnonymizerOptions,
  createAnonymizer,
  RECORDED_INVITE_SECRET,
} from './anonymize.js';
import type { TriggerCallReport } from './cognito-lambda.js';
import { isSecretVariable, VARIABLES, variablesHolding } from './declared-settings.js';

/** Options of {@link createRecorder}. */
export type RecorderOptions = {
  /** The folder the fixtures go to (created if needed). */
  directory: string;
  /** Each function's declared environment for the run (no endpoints, no credentials), by logical id. */
  environments: Readonly<Record<string, Record<string, string>>>;
  now?: () => Date;
  /** Replay each fixture offline before writing it, to choose its env-vars file (default `true`). */
  check?: boolean;
  /** Where the built bundles are (default `dist`), and the template (default `template.yaml`). */
  distDir?: string;
  templatePath?: string;
  /** Told about each fixture once it is written. */
  onSettled?: (fixture: RecordedFixture) => void;
};

/** How a written fixture replays offline. */
export type OfflineReplay =
  /** Exactly to the outcome the caller saw. */
  | 'exact'
  /** To the same decision; the message texts are those of the fake event. */
  | 'same-decision'
  /** Not at all: the outcome rested on a live service's answer (the expectation's `needs`). */
  | 'needs-service'
  /** Not checked (checks off, or the check itself failed: `error`). */
  | 'unchecked';

/** One written fixture pair. */
export type RecordedFixture = {
  file: string;
  expectationFile: string;
  /** The env-vars file the expectation names (absolute). */
  envVars: string;
  replay: OfflineReplay;
  needs?: string;
  error?: string;
};

/** An expectation as the recorder writes it: `needs` names the live answer the outcome rested on. */
export type RecordedExpectation = Expectation & { needs?: string };

/** A recorder; {@link Recorder.record} queues one fixture pair and returns the event file's path. */
export type Recorder = {
  directory: string;
  /** The offline env-vars file (`env.recorded.json`). */
  envVarsFile: string;
  record(report: TriggerCallReport): string;
  /** Resolves once every queued fixture is written. */
  settled(): Promise<void>;
  /** Waits for the queued fixtures and frees the check's child processes; `record` then throws. */
  close(): Promise<void>;
};

/** The offline env-vars file of a recording. */
export const RECORDED_ENV_VARS_FILE = 'env.recorded.json';
/** The same with the captcha check off (`env.<name>.json`: the replayer never takes it for an event). */
export const RECORDED_CAPTCHA_OFF_FILE = 'env.recorded-captcha-off.json';

const defaults = { now: (): Date => new Date(), check: true };

function listOf(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function isSet(env: Readonly<Record<string, string>>, name: string): boolean {
  return (env[name] ?? '') !== '';
}

// The recording's second env-vars file turns the captcha check off (a token the provider accepted during the
// run cannot be accepted offline); which variable switches it is the captcha rule's own (verify-captcha.ts).
function captchaOn(env: Readonly<Record<string, string>>): boolean {
  return captchaProviderOf(env) !== undefined;
}

/** What one declared variable becomes offline, or `undefined` when it stays (shared/settings.ts). */
type OfflineChange = { names: readonly string[]; value: (name: string) => string; says: string };

/** The changes the declarations ask for, in declaration order, for a function's environment. */
function offlineChangesFor(env: Readonly<Record<string, string>>): OfflineChange[] {
  const changes: OfflineChange[] = [];
  for (const variable of VARIABLES) {
    const { secret, calls } = variable;
    if (typeof secret === 'object') {
      // The secret and where it may be stored instead: the recording holds the fake value, nothing else.
      const locations = VARIABLES.filter(
        (other) =>
          other.owner === variable.owner &&
          other.secret === true &&
          other.name.startsWith(`${variable.name}_`),
      ).map((other) => other.name);
      const names = [variable.name, ...locations];
      if (names.some((name) => isSet(env, name))) {
        changes.push({
          names,
          value: (name) => (name === variable.name ? secret.fake : ''),
          says: secret.says,
        });
      }
    }
    if (calls !== undefined && (calls.offline.when?.(env) ?? true)) {
      changes.push({ names: [variable.name], value: () => calls.offline.value, says: calls.offline.says });
    }
  }
  return changes;
}

/**
 * One function's settings made self-contained: fake secrets in place of the run's (and of secret-store
 * locations), and every setting that calls a live service off or unreachable, as each rule and action
 * declares (shared/settings.ts). Only variables the function declares are changed (SAM applies no others).
 *
 * @example
 * offlineEnvironment({ ALIAS_GUARD: 'list-users', INVITE_SECRET: 'real…' });
 * // { ALIAS_GUARD: 'off', INVITE_SECRET: 'recorded-fake-invite-secret-…' }
 */
export function offlineEnvironment(env: Readonly<Record<string, string>>): Record<string, string> {
  const offline = { ...env };
  for (const change of offlineChangesFor(env)) {
    for (const name of change.names) {
      if (Object.hasOwn(offline, name)) offline[name] = change.value(name);
    }
  }
  return offline;
}

/** What {@link offlineEnvironment} changed, as a phrase for a fixture's description ("" when nothing). */
function offlineChangesOf(env: Readonly<Record<string, string>>): string {
  const offline = offlineEnvironment(env);
  const changed = (name: string) => (env[name] ?? '') !== (offline[name] ?? '');
  const phrases = [
    ...new Set(
      offlineChangesFor(env)
        .filter((change) => change.names.some(changed))
        .map((change) => change.says),
    ),
  ];
  if (phrases.length === 0) return '';
  const last = phrases.pop();
  return ` with ${phrases.length === 0 ? last : `${phrases.join(', ')} and ${last}`}`;
}

/** What the anonymizer needs to know of the run's configuration (local/anonymize.ts), from the declarations. */
function anonymizerOptionsOf(
  environments: Readonly<Record<string, Record<string, string>>>,
  now: () => Date,
): AnonymizerOptions {
  const envs = Object.values(environments);
  const tolerant = <T>(read: () => T, fallback: T): T => {
    try {
      return read();
    } catch {
      // A setting the function itself refuses at cold start decides nothing: the fixture says what happened.
      return fallback;
    }
  };
  const valuesOf = <T>(
    kind: SettingValue,
    read: (env: Readonly<Record<string, string>>, name: string) => T[],
  ) =>
    envs.flatMap((env) =>
      variablesHolding(kind).flatMap((name) => (isSet(env, name) ? tolerant(() => read(env, name), []) : [])),
    );
  const attributePatterns: Record<string, RegExp> = {};
  for (const source of valuesOf(SettingValue.AttributePatterns, (env, name) => [env[name] ?? ''])) {
    const patterns = tolerant(() => JSON.parse(source) as unknown, {});
    if (typeof patterns !== 'object' || patterns === null) continue;
    for (const [name, text] of Object.entries(patterns)) {
      const pattern = typeof text === 'string' ? tolerant(() => new RegExp(text, 'u'), undefined) : undefined;
      if (pattern !== undefined)
        Object.defineProperty(attributePatterns, name, { value: pattern, enumerable: true });
    }
  }
  return {
    inviteSecrets: valuesOf(SettingValue.InviteSecrets, (env, name) => [...parseSecretList(env[name] ?? '')]),
    resignSecret: RECORDED_INVITE_SECRET,
    now,
    domainRules: valuesOf(SettingValue.EmailDomains, (env, name) => [...readDomainEntries(env, name)]),
    keepDisposableDomains: valuesOf(SettingValue.BlocksDisposableEmails, (env, name) => [
      readBoolean(env, name, false),
    ]).includes(true),
    allowedRedirectOrigins: valuesOf(SettingValue.RedirectOrigins, (env, name) => listOf(env[name])),
    attributePatterns,
    configurationValues: envs.flatMap((env) =>
      Object.entries(env)
        .filter(([name]) => !isSecretVariable(name))
        .flatMap(([, value]) => [value, ...listOf(value)]),
    ),
    identityProviders: valuesOf(SettingValue.IdentityProviders, (env, name) => listOf(env[name])),
  };
}

function codeOf(outcome: CognitoOutcome): string | undefined {
  return outcome.outcome === 'error'
    ? /failed with error ([A-Z][A-Z0-9_]{1,63}):/.exec(outcome.message)?.[1]
    : undefined;
}

/** The scenario part of the file name: what the caller saw, in a few kebab-case words. */
export function scenarioOf(outcome: CognitoOutcome): string {
  if (outcome.outcome === 'error') {
    const code = codeOf(outcome);
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
  if (outcome.outcome === 'error') {
    const code = codeOf(outcome);
    return `the caller saw ${outcome.errorType}${code === undefined ? '' : ` (${code})`}`;
  }
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

type Call = { attempts: number; cognito: CognitoOutcome };

/** The env-vars file chosen for a fixture, how it replays there, and the outcome to expect. */
type Chosen = {
  file: string;
  replay: OfflineReplay;
  /** What the expectation holds. */
  actual: Call;
  needs?: string;
  /** What the offline replay gave instead, when no file reproduces the outcome. */
  offline?: Call;
  error?: string;
};

/** What a call decided, without the texts that differ between real and fake data (messages, lengths). */
function decisionOf(call: Call): unknown {
  const { cognito } = call;
  if (cognito.outcome === 'error') return call;
  return {
    attempts: call.attempts,
    outcome: cognito.outcome,
    response: Object.fromEntries(
      Object.entries(cognito.response).map(([key, value]) => [
        key,
        typeof value === 'string' ? 'text' : value,
      ]),
    ),
    effective: cognito.effective,
    delivery: cognito.delivery,
    notes: cognito.notes.map((note) => note.replace(/\d[\d,.]*/g, '#')),
  };
}

/** The live answer an outcome that no offline replay reproduces most likely rested on. */
function neededServiceOf(
  report: TriggerCallReport,
  live: Call,
  env: Readonly<Record<string, string>>,
): string {
  const { cognito } = live;
  const code = codeOf(cognito);
  if (report.trigger === 'PreSignUp') {
    if (code === 'CAPTCHA_FAILED')
      return `the captcha provider (${captchaProviderOf(env)}) refusing the token`;
    if (
      cognito.outcome === 'success' &&
      cognito.effective?.autoConfirmUser === true &&
      !cognito.effective.autoVerifyEmail &&
      aliasGuardOn(env)
    ) {
      return "the alias guard's ListUsers finding another user with this email address";
    }
    if (code === 'SIGNUP_UNAVAILABLE') {
      return 'a service the function called failing (the alias guard, the captcha provider or a secret store)';
    }
  }
  if (report.trigger === 'PostConfirmation' && cognito.outcome === 'error') {
    return "post confirmation's group, profile or event writes failing (POST_CONFIRMATION_STRICT)";
  }
  return 'what the function saw during the run (a service answer, or a value no fake can stand in for)';
}

/**
 * Writes an env-vars file as `name` (`env.recorded.json`), or, when a file of that name from an earlier
 * recording into the same folder holds other settings, as `env.recorded-2.json`, `-3`, …, so the earlier
 * fixtures keep theirs. Returns the file's path.
 */
function writeSettings(directory: string, name: string, settings: unknown): string {
  const text = `${JSON.stringify(settings, null, 2)}\n`;
  const stem = name.replace(/\.json$/, '');
  for (let n = 1; ; n += 1) {
    const file = join(directory, n === 1 ? name : `${stem}-${n}.json`);
    if (!existsSync(file)) {
      writeFileSync(file, text);
      return file;
    }
    if (readFileSync(file, 'utf8') === text) return file;
  }
}

/**
 * A recorder writing into `directory`; it writes the env-vars files at once.
 *
 * @example
 * const recorder = createRecorder({ directory: 'recorded', environments });
 * recorder.record(report); // recorded/pre-sign-up/sign-up.allowed.json (+ .expected.json), once checked
 * await recorder.close();
 */
export function createRecorder(options: RecorderOptions): Recorder {
  const settings = { ...defaults, ...options };
  const { directory, environments, now, check } = settings;
  if (typeof directory !== 'string' || directory === '')
    throw new TypeError('directory must be a folder path');
  if (typeof environments !== 'object' || environments === null) {
    throw new TypeError('environments must map logical ids to environments');
  }
  mkdirSync(directory, { recursive: true });
  const offline = Object.fromEntries(
    Object.entries(environments).map(([logicalId, env]) => [logicalId, offlineEnvironment(env)]),
  );
  const envVarsFile = writeSettings(directory, RECORDED_ENV_VARS_FILE, offline);
  const captchaOffFile = Object.values(environments).some(captchaOn)
    ? writeSettings(
        directory,
        RECORDED_CAPTCHA_OFF_FILE,
        Object.fromEntries(
          Object.entries(offline).map(([logicalId, env]) => [
            logicalId,
            captchaOn(env) ? withCaptchaOff(env) : env,
          ]),
        ),
      )
    : undefined;
  const anonymizer: Anonymizer = createAnonymizer(anonymizerOptionsOf(environments, now));

  const reserved = new Set<string>();
  let replayer: Replayer | undefined;
  let queue: Promise<void> = Promise.resolve();
  let pending = 0;
  let closed = false;

  function replayerOf(): Replayer {
    replayer ??= createReplayer({
      mode: 'bundle',
      envVarsPath: null,
      ...(options.distDir === undefined ? {} : { distDir: options.distDir }),
      ...(options.templatePath === undefined ? {} : { templatePath: options.templatePath }),
    });
    return replayer;
  }

  /** The first env-vars file under which the fake event replays as the call went, and how. */
  async function offlineReplayOf(report: TriggerCallReport, event: unknown, live: Call): Promise<Chosen> {
    const env = environments[report.functionName] ?? {};
    const guess = guessedEnvVarsFile(report, live);
    const candidates = [
      envVarsFile,
      ...(report.trigger === 'PreSignUp' && captchaOffFile !== undefined && captchaOn(env)
        ? [captchaOffFile]
        : []),
    ];
    let first: Call | undefined;
    try {
      for (const file of candidates) {
        const call = await replayerOf().replayEvent(event, file);
        const actual = { attempts: call.attempts, cognito: call.cognito };
        first ??= actual;
        if (jsonEqual(actual, live)) return { file, replay: 'exact', actual };
        if (jsonEqual(decisionOf(actual), decisionOf(live))) return { file, replay: 'same-decision', actual };
      }
    } catch (error) {
      return {
        file: guess,
        replay: 'unchecked',
        actual: live,
        error: error instanceof Error ? error.message : String(error),
      };
    }
    return {
      file: envVarsFile,
      replay: 'needs-service',
      actual: live,
      needs: neededServiceOf(report, live, env),
      ...(first === undefined ? {} : { offline: first }),
    };
  }

  /** Without a check: the captcha-off file for a sign-up that got through a captcha, else the offline one. */
  function guessedEnvVarsFile(report: TriggerCallReport, live: Call): string {
    const env = environments[report.functionName] ?? {};
    const passedCaptcha =
      report.trigger === 'PreSignUp' && live.cognito.outcome === 'success' && captchaOn(env);
    return passedCaptcha && captchaOffFile !== undefined ? captchaOffFile : envVarsFile;
  }

  function descriptionOf(report: TriggerCallReport, live: Call, chosen: Chosen): string {
    const env = environments[report.functionName] ?? {};
    const head = `Recorded by \`npm start -- --record\` from ${report.operation ?? 'an API call'} on ${now().toISOString().slice(0, 10)}: ${summaryOf(live.cognito)}; personal data replaced by fake values.`;
    const name = basename(chosen.file);
    if (chosen.replay === 'needs-service') {
      return `${head} The outcome rested on ${chosen.needs}, which no offline replay reproduces: with ${name} ${chosen.offline === undefined ? 'it replays to another outcome' : `${summaryOf(chosen.offline.cognito).replace(/^the /, 'the replayed ')}`}. \`npm run replay\` skips this fixture (\`--all\` replays it).`;
    }
    const how =
      chosen.file === captchaOffFile
        ? ` The captcha provider accepted the token during the run; offline no provider answers, so it replays with ${name} (as ${basename(envVarsFile)}, with CAPTCHA_PROVIDER=none).`
        : ` Replays offline with ${name}: the run's settings${offlineChangesOf(env)}.`;
    const texts = chosen.replay === 'same-decision' ? ' Message texts are those the fake event renders.' : '';
    const unchecked =
      chosen.replay === 'unchecked' ? ` Not checked offline: ${chosen.error ?? 'checks off'}.` : '';
    return `${head}${how}${texts}${unchecked}`;
  }

  function write(file: string, value: unknown): void {
    writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
  }

  /** Replays, then writes the pair. */
  async function settle(
    report: TriggerCallReport,
    event: unknown,
    live: Call,
    eventFile: string,
    expectationFile: string,
  ): Promise<void> {
    const chosen: Chosen = check
      ? await offlineReplayOf(report, event, live)
      : { file: guessedEnvVarsFile(report, live), replay: 'unchecked', actual: live };
    const expectation: RecordedExpectation = {
      description: descriptionOf(report, live, chosen),
      envVars: relative(dirname(expectationFile), chosen.file),
      ...(chosen.needs === undefined ? {} : { needs: chosen.needs }),
      attempts: chosen.actual.attempts,
      cognito: chosen.actual.cognito,
    };
    const fixture: RecordedFixture = {
      file: eventFile,
      expectationFile,
      envVars: chosen.file,
      replay: chosen.replay,
      ...(chosen.needs === undefined ? {} : { needs: chosen.needs }),
    };
    try {
      write(eventFile, event);
      write(expectationFile, expectation);
    } catch (error) {
      fixture.error = error instanceof Error ? error.message : String(error);
    }
    options.onSettled?.(chosen.error === undefined ? fixture : { ...fixture, error: chosen.error });
  }

  function enqueue(job: () => Promise<void>): void {
    pending += 1;
    queue = queue
      .then(job)
      .catch(() => undefined)
      .then(async () => {
        pending -= 1;
        // Idle: the check's child processes go, so nothing keeps the process alive once the pipeline stops.
        if (pending === 0 && replayer !== undefined) {
          const idle = replayer;
          replayer = undefined;
          await idle.close();
        }
      });
  }

  async function settled(): Promise<void> {
    while (pending > 0) await queue;
  }

  return {
    directory,
    envVarsFile,
    record(report) {
      if (closed) throw new Error('The recorder is closed');
      // Anonymized now, in call order: the fake values stay stable across the recording.
      const event = anonymizer.event(report.event);
      const live: Call = { attempts: report.call.attempts, cognito: anonymizer.value(report.call.cognito) };
      const folder = join(directory, kebabCase(report.trigger));
      mkdirSync(folder, { recursive: true });
      const base = `${fileSourceOf(report.event.triggerSource)}.${scenarioOf(report.call.cognito)}`;
      let name = base;
      const taken = (candidate: string) =>
        reserved.has(join(folder, `${candidate}.json`)) || existsSync(join(folder, `${candidate}.json`));
      for (let n = 2; taken(name); n += 1) name = `${base}-${n}`;
      const eventFile = join(folder, `${name}.json`);
      reserved.add(eventFile);
      enqueue(() => settle(report, event, live, eventFile, join(folder, `${name}.expected.json`)));
      return eventFile;
    },
    settled,
    async close() {
      closed = true;
      await settled();
    },
  };
}
