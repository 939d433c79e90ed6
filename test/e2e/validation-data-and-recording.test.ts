/**
 * What only the triggers can see travels from the client call into them, and a `--record` run's fixtures
 * replay green. The pipeline runs with a captcha check against the loopback captcha server
 * (test/support/captcha-server.ts) and records every trigger call:
 * - a signed invite (shared/invite.ts, as `npm run invite` mints it) and a captcha token in SignUp's
 *   ValidationData reach pre sign-up: the captcha server is asked, the invite proves the email, and the user
 *   is confirmed and verified at sign-up, so post confirmation runs at once and no code is sent;
 * - ClientMetadata (locale, redirect, referral) reaches custom message and post confirmation;
 * - the recorded events are Cognito's shape (version "1", the Region, validationData), hold no real value
 *   (addresses, ids, ClientMetadata, secrets), and once the pipeline is gone replay offline with
 *   `npm run replay -- <dir>` (cli/replay.ts, nothing injected) to the outcome recorded beside them; the
 *   one whose outcome rested on the captcha provider refusing a token is skipped, and says so.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import {
  AdminGetUserCommand,
  type CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFixtureInvariants, findEventFiles } from '../../harness/fixtures.js';
import { PROJECT_ROOT } from '../../harness/paths.js';
import { createInvite } from '../../shared/invite.js';
import { parseTriggerError } from '../../shared/parse-trigger-error.js';
import { type CaptchaServer, startCaptchaServer } from '../support/captcha-server.js';
import { runCli } from '../unit/cli/run-cli.js';
import {
  cognitoClientFor,
  dynamoDbClientFor,
  lastMessageTo,
  PASSWORD,
  profileOf,
  uniqueEmail,
} from './support/clients.js';
import { type PipelineProcess, startPipelineProcess } from './support/pipeline-process.js';

const CAPTCHA_SECRET = 'e2e-captcha-secret';

/** The parts of a recorded event the assertions read. */
type RecordedEvent = {
  version: string;
  request?: { validationData?: Record<string, string> | null; userAttributes: Record<string, string> };
};
/** Every file of a recording, as one text. */
function readRecording(directory: string): string {
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(entry.parentPath, entry.name), 'utf8'))
    .join('\n');
}

const INVITE_SECRET = (
  JSON.parse(readFileSync(join(PROJECT_ROOT, 'local/env.local.json'), 'utf8')) as {
    PreSignUpFunction: { INVITE_SECRET: string };
  }
).PreSignUpFunction.INVITE_SECRET;

describe('E2E: ValidationData, ClientMetadata and --record with npm start', () => {
  let captcha: CaptchaServer;
  let pipeline: PipelineProcess;
  let cognito: CognitoIdentityProviderClient;
  let dynamodb: DynamoDBClient;
  let recordDir: string;
  const emails: string[] = [];

  beforeAll(async () => {
    captcha = await startCaptchaServer({ secret: CAPTCHA_SECRET });
    recordDir = mkdtempSync(join(tmpdir(), 'e2e-record-'));
    pipeline = await startPipelineProcess({
      args: ['--record', recordDir],
      envVars: {
        PreSignUpFunction: {
          CAPTCHA_PROVIDER: 'turnstile',
          CAPTCHA_SECRET,
          CAPTCHA_VERIFY_URL: captcha.url('turnstile'),
        },
      },
    });
    cognito = cognitoClientFor(pipeline.state);
    dynamodb = dynamoDbClientFor(pipeline.state);
  });
  afterAll(async () => {
    cognito?.destroy();
    dynamodb?.destroy();
    await pipeline?.stop();
    await captcha?.close();
    rmSync(recordDir, { recursive: true, force: true });
  });

  function signUp(email: string, extra: Partial<ConstructorParameters<typeof SignUpCommand>[0]> = {}) {
    emails.push(email);
    return cognito.send(
      new SignUpCommand({
        ClientId: pipeline.state.clientId,
        Username: email,
        Password: PASSWORD,
        UserAttributes: [{ Name: 'email', Value: email }],
        ...extra,
      }),
    );
  }

  it('confirms and verifies at sign-up on a signed invite and a solved captcha in ValidationData', async () => {
    // Prepare
    const email = uniqueEmail('invited');
    const invite = createInvite({ email, ttlSeconds: 3600, secret: INVITE_SECRET, claims: { team: 'beta' } });
    captcha.reset();

    // Act
    const signedUp = await signUp(email, {
      ValidationData: [
        { Name: 'invite', Value: invite },
        { Name: 'captchaToken', Value: 'pass.e2e' },
      ],
      ClientMetadata: { referral: 'INVITE-7' },
    });
    const user = await cognito.send(
      new AdminGetUserCommand({ UserPoolId: pipeline.state.userPoolId, Username: email }),
    );
    const profile = await profileOf(dynamodb, pipeline.state, signedUp.UserSub ?? '');

    // Assess
    expect(captcha.calls.map((call) => call.fields.response)).toEqual(['pass.e2e']);
    expect(signedUp.UserConfirmed).toBe(true);
    expect(signedUp.CodeDeliveryDetails).toBeUndefined();
    expect(user.UserAttributes).toContainEqual({ Name: 'email_verified', Value: 'true' });
    expect(lastMessageTo(pipeline.state, email)).toBeUndefined();
    expect(profile).toMatchObject({ sub: { S: signedUp.UserSub }, referral: { S: 'INVITE-7' } });
  });

  it('rejects a missing or failed captcha with the rule codes', async () => {
    // Prepare
    const email = uniqueEmail('bot');

    // Act
    const missing = await signUp(email).catch((caught: unknown) => caught as Error);
    const failed = await signUp(email, {
      ValidationData: [{ Name: 'captchaToken', Value: 'fail.e2e' }],
    }).catch((caught: unknown) => caught as Error);

    // Assess
    expect(parseTriggerError((missing as Error).message)?.code).toBe('CAPTCHA_REQUIRED');
    expect(parseTriggerError((failed as Error).message)?.code).toBe('CAPTCHA_FAILED');
  });

  it('carries ClientMetadata from SignUp into custom message and from ConfirmSignUp into post confirmation', async () => {
    // Prepare
    const email = uniqueEmail('metadata');

    // Act
    const signedUp = await signUp(email, {
      ValidationData: [{ Name: 'captchaToken', Value: 'pass.meta' }],
      ClientMetadata: { locale: 'fr', redirectUri: 'https://app.example.com/bienvenue' },
    });
    const message = lastMessageTo(pipeline.state, email);
    await cognito.send(
      new ConfirmSignUpCommand({
        ClientId: pipeline.state.clientId,
        Username: email,
        ConfirmationCode: message?.code,
        ClientMetadata: { referral: 'META-1', plan: 'free' },
      }),
    );
    const profile = await profileOf(dynamodb, pipeline.state, signedUp.UserSub ?? '');

    // Assess
    const html = readFileSync(message?.file ?? '', 'utf8');
    expect(html).toContain('lang="fr"');
    expect(html).toContain(encodeURIComponent('https://app.example.com/bienvenue'));
    expect(profile).toMatchObject({ referral: { S: 'META-1' }, plan: { S: 'free' } });
  });

  it('records Cognito-shaped events with fake ids, the caller ValidationData and no real value', async () => {
    // Prepare
    const { state } = pipeline;
    // Stopping lets the recorder finish: it checks each fixture offline before writing it.
    const stopped = await pipeline.stop();
    const files = findEventFiles([recordDir]);

    // Act
    const events = files.map((file) => JSON.parse(readFileSync(file, 'utf8')) as RecordedEvent);
    const text = readRecording(recordDir);

    // Assess
    expect(stopped).toEqual({ code: 0, survivors: [] });
    expect(checkFixtureInvariants(recordDir)).toEqual([]);
    expect(events.length).toBeGreaterThanOrEqual(6);
    for (const event of events) {
      expect(event).toMatchObject({
        version: '1',
        region: state.region,
        userPoolId: `${state.region}_EXAMPLE`,
        callerContext: { clientId: '1example23456789abcdefghij' },
      });
    }
    const invited = events.find((event) => event.request?.validationData?.invite !== undefined);
    expect(invited?.request?.validationData).toEqual({
      invite: expect.stringMatching(/^v1\./),
      captchaToken: 'pass.e2e',
    });
    expect(invited?.request?.userAttributes.sub).toBeUndefined();
    expect(events.some((event) => event.request?.validationData === null)).toBe(true);
    const real = [
      ...emails,
      state.userPoolId,
      ...state.clients.map((client) => client.clientId),
      INVITE_SECRET,
      CAPTCHA_SECRET,
      captcha.url('turnstile'),
      'INVITE-7',
      'META-1',
    ];
    expect(real.filter((value) => text.includes(value))).toEqual([]);
  });

  it('replays green with `npm run replay -- <dir>` once the pipeline is gone, skipping only the captcha refusal', () => {
    // Prepare
    const files = findEventFiles([recordDir]);

    // Act
    const run = runCli('replay', [recordDir]);

    // Assess
    expect(run.stdout).not.toMatch(/^FAIL/m);
    expect(run.status).toBe(0);
    const skipped = [...run.stdout.matchAll(/^SKIP +(\S+)\n +needs: (.+)$/gm)].map((match) => [
      basename(match[1] ?? ''),
      match[2],
    ]);
    expect(skipped).toEqual([
      ['sign-up.captcha-failed.json', 'the captcha provider (turnstile) refusing the token'],
    ]);
    expect(run.stdout.trim().split('\n').at(-1)).toBe(`${files.length - 1} passed, 0 failed, 1 skipped`);
  });
});
