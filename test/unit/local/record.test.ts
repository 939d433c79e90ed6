import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CognitoOutcome } from '../../../harness/cognito-outcome.js';
import { checkFixtureInvariants, findEventFiles } from '../../../harness/fixtures.js';
import { fromProjectRoot } from '../../../harness/paths.js';
import { createReplayer, type FixtureResult } from '../../../harness/replay.js';
import { loadTemplate } from '../../../harness/template.js';
import { RECORDED_INVITE_SECRET } from '../../../local/anonymize.js';
import type { CognitoEvent } from '../../../local/cognito-events.js';
import type { TriggerCallReport } from '../../../local/cognito-lambda.js';
import { offlineValueOf } from '../../../local/declared-settings.js';
import { declaredLocalEnvironment } from '../../../local/function-environment.js';
import {
  createRecorder,
  offlineEnvironment,
  RECORDED_CAPTCHA_OFF_FILE,
  RECORDED_ENV_VARS_FILE,
  type RecordedFixture,
  scenarioOf,
} from '../../../local/record.js';
import { templateResourcesOf } from '../../../local/template-resources.js';
import { createInvite } from '../../../shared/invite.js';
import type { TriggerName } from '../../../shared/trigger-source.js';
import { type CaptchaServer, startCaptchaServer } from '../../support/captcha-server.js';

// What the captcha rule declares a recording holds (triggers/pre-sign-up/rules/verify-captcha.ts).
const RECORDED_CAPTCHA_SECRET = offlineValueOf('CAPTCHA_SECRET');
const UNREACHABLE_VERIFY_URL = offlineValueOf('CAPTCHA_VERIFY_URL');

const LIVE_INVITE_SECRET = 'live-invite-secret-of-this-run-not-for-production';
const LIVE_CAPTCHA_SECRET = 'live-captcha-secret-of-this-run';
const REAL_VALUES = [
  'maria.garcia@realcorp.com',
  'realcorp',
  'peter.parker@dailybugle.com',
  'dailybugle',
  'Maria Garcia',
  'FRIEND-maria-77',
  'admin-anna',
  'confirm-peter',
  'local_7CmTlPvy',
  '9wnl7tp1kephye0nu944mwxgx',
  '33dd6b13-d522-49ac-b393-215ca9f6edc0',
  LIVE_INVITE_SECRET,
  LIVE_CAPTCHA_SECRET,
];

const scratch = mkdtempSync(join(tmpdir(), 'record-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Each function's environment as the pipeline declares it for `npm start -- --env-vars <envVars>`. */
function environmentsFor(
  envVars: Record<string, Record<string, string>>,
): Record<string, Record<string, string>> {
  const template = loadTemplate(fromProjectRoot('template.yaml'));
  const { tables } = templateResourcesOf(template);
  return Object.fromEntries(
    template.functions.map((spec) => [
      spec.logicalId,
      declaredLocalEnvironment(template, spec, envVars, tables, 'us-east-1'),
    ]),
  );
}

const LOCAL_ENV_VARS = JSON.parse(readFileSync(fromProjectRoot('local/env.local.json'), 'utf8')) as Record<
  string,
  Record<string, string>
>;

function withPreSignUp(settings: Record<string, string>): Record<string, Record<string, string>> {
  return {
    ...LOCAL_ENV_VARS,
    PreSignUpFunction: {
      ...LOCAL_ENV_VARS.PreSignUpFunction,
      INVITE_SECRET: LIVE_INVITE_SECRET,
      ...settings,
    },
  };
}

const FUNCTION_OF: Record<TriggerName, string> = {
  PreSignUp: 'PreSignUpFunction',
  CustomMessage: 'CustomMessageFunction',
  PostConfirmation: 'PostConfirmationFunction',
};

/** An event as the pipeline builds it, with real-looking personal data. */
function eventOf(
  triggerSource: string,
  request: Record<string, unknown>,
  response: Record<string, unknown>,
): CognitoEvent {
  return {
    version: '1',
    region: 'us-east-1',
    userPoolId: 'local_7CmTlPvy',
    userName: '33dd6b13-d522-49ac-b393-215ca9f6edc0',
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: '9wnl7tp1kephye0nu944mwxgx' },
    triggerSource,
    request,
    response,
  };
}

const PRE_SIGN_UP_RESPONSE = { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false };

function signUp(
  email: string,
  validationData: Record<string, string> | null,
  clientMetadata?: Record<string, string>,
) {
  return eventOf(
    'PreSignUp_SignUp',
    {
      userAttributes: { email, name: 'Maria Garcia' },
      validationData,
      ...(clientMetadata === undefined ? {} : { clientMetadata }),
    },
    PRE_SIGN_UP_RESPONSE,
  );
}

/**
 * Runs `events` through the built functions under the run's settings, as the pipeline would (no alias
 * guard: no pool runs here), records each call, and waits until every pair is written.
 */
async function record(
  name: string,
  envVars: Record<string, Record<string, string>>,
  events: readonly { trigger: TriggerName; event: CognitoEvent; operation: string }[],
): Promise<{ directory: string; settled: RecordedFixture[] }> {
  const directory = join(scratch, name);
  const liveEnvVars = join(scratch, `${name}.live-env.json`);
  const live = { ...envVars, PreSignUpFunction: { ...envVars.PreSignUpFunction, ALIAS_GUARD: 'off' } };
  writeFileSync(liveEnvVars, JSON.stringify(live));
  const settled: RecordedFixture[] = [];
  const recorder = createRecorder({
    directory,
    environments: environmentsFor(envVars),
    onSettled: (fixture) => settled.push(fixture),
  });
  const runner = createReplayer({ mode: 'bundle', envVarsPath: liveEnvVars });
  try {
    for (const { trigger, event, operation } of events) {
      const call = await runner.replayEvent(event);
      const report: TriggerCallReport = {
        trigger,
        functionName: FUNCTION_OF[trigger],
        operation,
        event,
        call,
      };
      recorder.record(report);
    }
  } finally {
    await runner.close();
  }
  await recorder.close();
  return { directory, settled };
}

async function replayAll(directory: string): Promise<FixtureResult[]> {
  const replayer = createReplayer({ mode: 'bundle', envVarsPath: null });
  try {
    const results: FixtureResult[] = [];
    for (const file of findEventFiles([directory])) results.push(await replayer.replayFixture(file));
    return results;
  } finally {
    await replayer.close();
  }
}

function textOf(directory: string): string {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? walk(join(dir, entry.name)) : [readFileSync(join(dir, entry.name), 'utf8')],
    );
  return walk(directory).join('\n');
}

describe('Recorder: offlineEnvironment', () => {
  it('puts fake secrets in place of the run’s and of secret-store locations', () => {
    // Prepare
    const env = {
      INVITE_SECRET: '',
      INVITE_SECRET_SSM_PARAMETER: '/prod/invite-secret',
      INVITE_SECRET_ARN: '',
      CAPTCHA_PROVIDER: 'turnstile',
      CAPTCHA_SECRET: LIVE_CAPTCHA_SECRET,
      CAPTCHA_VERIFY_URL: '',
    };

    // Act
    const offline = offlineEnvironment(env);

    // Assess
    expect(offline).toEqual({
      INVITE_SECRET: RECORDED_INVITE_SECRET,
      INVITE_SECRET_SSM_PARAMETER: '',
      INVITE_SECRET_ARN: '',
      CAPTCHA_PROVIDER: 'turnstile',
      CAPTCHA_SECRET: RECORDED_CAPTCHA_SECRET,
      CAPTCHA_VERIFY_URL: UNREACHABLE_VERIFY_URL,
    });
  });

  it('turns off what calls a live service, and only variables the function declares', () => {
    // Prepare
    const env = {
      ALIAS_GUARD: 'list-users',
      DEFAULT_GROUPS: 'users',
      PROFILE_TABLE: 'ProfileTable',
      APP_NAME: 'App',
    };

    // Act
    const offline = offlineEnvironment(env);

    // Assess
    expect(offline).toEqual({ ALIAS_GUARD: 'off', DEFAULT_GROUPS: '', PROFILE_TABLE: '', APP_NAME: 'App' });
  });

  it('leaves a secret that was not configured unset: an invite stays ignored as it was', () => {
    // Prepare
    const env = { INVITE_SECRET: '', INVITE_SECRET_ARN: '', CAPTCHA_PROVIDER: 'none', CAPTCHA_SECRET: '' };

    // Act
    const offline = offlineEnvironment(env);

    // Assess
    expect(offline).toEqual(env);
  });
});

describe('Recorder: scenarioOf', () => {
  it.each<[CognitoOutcome, string]>([
    [
      {
        outcome: 'error',
        errorType: 'UserLambdaValidationException',
        message:
          'PreSignUp failed with error EMAIL_DOMAIN_BLOCKED: Sign-up with this email domain is not allowed..',
      },
      'email-domain-blocked',
    ],
    [
      {
        outcome: 'error',
        errorType: 'InvalidLambdaResponseException',
        message: 'Unrecognizable lambda output',
      },
      'invalid-lambda-response',
    ],
    [
      {
        outcome: 'success',
        response: {},
        effective: { autoConfirmUser: true, autoVerifyEmail: false, autoVerifyPhone: false },
        notes: [],
      },
      'auto-confirmed',
    ],
    [{ outcome: 'success', response: {}, notes: [] }, 'success'],
  ])('names %j %s', (outcome, scenario) => {
    // Prepare
    const input = outcome;

    // Act
    const name = scenarioOf(input);

    // Assess
    expect(name).toBe(scenario);
  });
});

describe('Recorder: a recording replays offline', () => {
  let recording: { directory: string; settled: RecordedFixture[] };

  beforeAll(async () => {
    const envVars = withPreSignUp({});
    const invite = createInvite({
      email: 'peter.parker@dailybugle.com',
      ttlSeconds: 3600,
      secret: LIVE_INVITE_SECRET,
      claims: { team: 'spider-peter' },
    });
    recording = await record('plain', envVars, [
      {
        trigger: 'PreSignUp',
        operation: 'SignUp',
        event: signUp(
          'maria.garcia@realcorp.com',
          { source: 'confirm-peter' },
          { referral: 'FRIEND-maria-77' },
        ),
      },
      { trigger: 'PreSignUp', operation: 'SignUp', event: signUp('bob@blocked.example', null) },
      { trigger: 'PreSignUp', operation: 'SignUp', event: signUp('peter.parker@dailybugle.com', { invite }) },
      {
        trigger: 'CustomMessage',
        operation: 'SignUp',
        event: eventOf(
          'CustomMessage_SignUp',
          {
            userAttributes: {
              email: 'maria.garcia@realcorp.com',
              name: 'Maria Garcia',
              'cognito:user_status': 'UNCONFIRMED',
            },
            codeParameter: '{####}',
            linkParameter: '{##Click Here##}',
            usernameParameter: null,
            clientMetadata: {
              locale: 'fr',
              redirectUri: 'https://app.example.com/welcome?who=admin-anna',
              note: 'admin-anna',
            },
          },
          { smsMessage: null, emailMessage: null, emailSubject: null },
        ),
      },
      {
        trigger: 'CustomMessage',
        operation: 'ResendConfirmationCode',
        event: eventOf(
          'CustomMessage_ResendCode',
          {
            // Over 64 characters: the message shows it cut, which no replacement of the typed value finds.
            userAttributes: {
              email: 'maria.garcia@realcorp.com',
              given_name: `Maria${'-Magdalena'.repeat(8)}`,
              'cognito:user_status': 'UNCONFIRMED',
            },
            codeParameter: '{####}',
            linkParameter: '{##Click Here##}',
            usernameParameter: null,
          },
          { smsMessage: null, emailMessage: null, emailSubject: null },
        ),
      },
      {
        trigger: 'PostConfirmation',
        operation: 'ConfirmSignUp',
        event: eventOf(
          'PostConfirmation_ConfirmSignUp',
          {
            userAttributes: {
              sub: '33dd6b13-d522-49ac-b393-215ca9f6edc0',
              email: 'maria.garcia@realcorp.com',
              email_verified: 'true',
              'cognito:user_status': 'CONFIRMED',
            },
            clientMetadata: { referral: 'FRIEND-maria-77', plan: 'pro', groups: 'beta-testers' },
          },
          {},
        ),
      },
    ]);
  });

  it('writes every pair with the event-library invariants', () => {
    // Prepare
    const { directory } = recording;

    // Act
    const problems = checkFixtureInvariants(directory);

    // Assess
    expect(problems).toEqual([]);
    expect(findEventFiles([directory]).map((file) => file.slice(directory.length + 1))).toEqual([
      'custom-message/resend-code.custom-message.json',
      'custom-message/sign-up.custom-message.json',
      'post-confirmation/confirm-sign-up.success.json',
      'pre-sign-up/sign-up.allowed.json',
      'pre-sign-up/sign-up.auto-confirmed-verified.json',
      'pre-sign-up/sign-up.email-domain-blocked.json',
    ]);
  });

  it('replays every pair to the outcome recorded beside it, under env.recorded.json', async () => {
    // Prepare
    const { directory } = recording;

    // Act
    const results = await replayAll(directory);

    // Assess
    expect(results.filter((result) => !result.passed).map((result) => result.diff)).toEqual([]);
    expect(results).toHaveLength(6);
    expect(new Set(results.map((result) => result.expected?.envVars))).toEqual(
      new Set([`../${RECORDED_ENV_VARS_FILE}`]),
    );
  });

  it('checked each pair itself before writing it', () => {
    // Prepare
    const { settled } = recording;

    // Act
    const replays = settled.map((fixture) => fixture.replay);

    // Assess
    expect(replays.filter((replay) => replay !== 'exact' && replay !== 'same-decision')).toEqual([]);
    expect(settled).toHaveLength(6);
  });

  it('writes the texts the fake event renders where the real ones would show through', () => {
    // Prepare
    const resend = recording.settled.find((fixture) =>
      fixture.file.endsWith('resend-code.custom-message.json'),
    );

    // Act
    const expectation = readFileSync(resend?.expectationFile ?? '', 'utf8');

    // Assess
    expect(resend?.replay).toBe('same-decision');
    expect(expectation).not.toContain('Magdalena');
    expect(expectation).toContain('Message texts are those the fake event renders.');
  });

  it('holds no real value and no real secret', () => {
    // Prepare
    const text = textOf(recording.directory);

    // Act
    const leaked = REAL_VALUES.filter((value) => text.includes(value));

    // Assess
    expect(leaked).toEqual([]);
  });

  it('still replays once moved elsewhere', async () => {
    // Prepare
    const moved = join(scratch, 'moved', 'events', 'recorded');
    cpSync(recording.directory, moved, { recursive: true });

    // Act
    const results = await replayAll(moved);

    // Assess
    expect(results.every((result) => result.passed)).toBe(true);
    expect(results).toHaveLength(6);
  });
});

describe('Recorder: two recordings into one folder', () => {
  it('keeps each recording on its own settings', async () => {
    // Prepare
    const event = () => signUp('bob@blocked.example', null);
    await record('twice', withPreSignUp({}), [{ trigger: 'PreSignUp', operation: 'SignUp', event: event() }]);

    // Act
    const second = await record('twice', withPreSignUp({ BLOCKED_EMAIL_DOMAINS: '' }), [
      { trigger: 'PreSignUp', operation: 'SignUp', event: event() },
    ]);
    const results = await replayAll(second.directory);

    // Assess
    expect(results.map((result) => [result.passed, result.expected?.envVars])).toEqual([
      [true, '../env.recorded-2.json'],
      [true, '../env.recorded.json'],
    ]);
  });
});

describe('Recorder: the captcha provider’s answers', () => {
  let captcha: CaptchaServer;
  let recording: { directory: string; settled: RecordedFixture[] };

  beforeAll(async () => {
    captcha = await startCaptchaServer({ secret: LIVE_CAPTCHA_SECRET });
    const envVars = withPreSignUp({
      CAPTCHA_PROVIDER: 'turnstile',
      CAPTCHA_SECRET: LIVE_CAPTCHA_SECRET,
      CAPTCHA_VERIFY_URL: captcha.url('turnstile'),
    });
    recording = await record('captcha', envVars, [
      {
        trigger: 'PreSignUp',
        operation: 'SignUp',
        event: signUp('maria.garcia@realcorp.com', { captchaToken: 'pass.e2e' }),
      },
      { trigger: 'PreSignUp', operation: 'SignUp', event: signUp('maria.garcia@realcorp.com', null) },
      {
        trigger: 'PreSignUp',
        operation: 'SignUp',
        event: signUp('maria.garcia@realcorp.com', { captchaToken: 'fail.e2e' }),
      },
    ]);
  });
  afterAll(() => captcha?.close());

  it('replays a token the provider accepted with the captcha check off, and a missing one with it on', () => {
    // Prepare
    const byScenario = (scenario: string) =>
      recording.settled.find((fixture) => fixture.file.endsWith(`sign-up.${scenario}.json`));

    // Act
    const accepted = byScenario('allowed');
    const missing = byScenario('captcha-required');

    // Assess
    expect(accepted).toMatchObject({
      replay: 'exact',
      envVars: join(recording.directory, RECORDED_CAPTCHA_OFF_FILE),
    });
    expect(missing).toMatchObject({
      replay: 'exact',
      envVars: join(recording.directory, RECORDED_ENV_VARS_FILE),
    });
  });

  it('says that a refused token needs the provider, and keeps what the caller saw', () => {
    // Prepare
    const file = join(recording.directory, 'pre-sign-up/sign-up.captcha-failed.expected.json');

    // Act
    const expectation = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

    // Assess
    expect(expectation).toMatchObject({
      needs: 'the captcha provider (turnstile) refusing the token',
      cognito: { outcome: 'error', message: expect.stringContaining('CAPTCHA_FAILED') },
    });
    expect(expectation.description).toMatch(/SIGNUP_UNAVAILABLE/);
  });

  it('writes the captcha-off settings beside the offline ones, neither with the live secret or URL', () => {
    // Prepare
    const files = [RECORDED_ENV_VARS_FILE, RECORDED_CAPTCHA_OFF_FILE].map((name) =>
      join(recording.directory, name),
    );

    // Act
    const [offline, captchaOff] = files.map(
      (file) =>
        (JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, string>>).PreSignUpFunction,
    );

    // Assess
    expect(files.every(existsSync)).toBe(true);
    expect(offline).toMatchObject({
      CAPTCHA_PROVIDER: 'turnstile',
      CAPTCHA_SECRET: RECORDED_CAPTCHA_SECRET,
      CAPTCHA_VERIFY_URL: UNREACHABLE_VERIFY_URL,
    });
    expect(captchaOff).toMatchObject({ CAPTCHA_PROVIDER: 'none', CAPTCHA_SECRET: RECORDED_CAPTCHA_SECRET });
    expect(textOf(recording.directory)).not.toContain(captcha.url('turnstile'));
  });
});
