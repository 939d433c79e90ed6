/**
 * What only the triggers can see travels from the client call into them, and a `--record` run's fixtures
 * replay green. The pipeline runs with a captcha check against the loopback captcha server
 * (test/support/captcha-server.ts) and records every trigger call:
 * - a signed invite (shared/invite.ts, as `npm run invite` mints it) and a captcha token in SignUp's
 *   ValidationData reach pre sign-up: the captcha server is asked, the invite proves the email, and the user
 *   is confirmed and verified at sign-up, so post confirmation runs at once and no code is sent;
 * - ClientMetadata (locale, redirect, referral) reaches custom message and post confirmation;
 * - the recorded events are Cognito's shape (version "1", the Region, validationData), hold no real
 *   address, and replay through harness/replay.ts to the outcome recorded beside them.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
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
import { createReplayer } from '../../harness/replay.js';
import { createInvite } from '../../shared/invite.js';
import { parseTriggerError } from '../../shared/parse-trigger-error.js';
import { type CaptchaServer, startCaptchaServer } from '../support/captcha-server.js';
import {
  cognitoClientFor,
  dynamoDbClientFor,
  lastMessageTo,
  localCredentials,
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

  it('records Cognito-shaped events, with the caller ValidationData and no real address', () => {
    // Prepare
    const files = findEventFiles([recordDir]);

    // Act
    const events = files.map((file) => JSON.parse(readFileSync(file, 'utf8')) as RecordedEvent);
    const text = files.map((file) => readFileSync(file, 'utf8')).join('\n');

    // Assess
    expect(checkFixtureInvariants(recordDir)).toEqual([]);
    expect(events.length).toBeGreaterThanOrEqual(6);
    for (const event of events) {
      expect(event).toMatchObject({
        version: '1',
        region: pipeline.state.region,
        userPoolId: pipeline.state.userPoolId,
      });
    }
    const invited = events.find((event) => event.request?.validationData?.invite !== undefined);
    expect(invited?.request?.validationData).toEqual({
      invite: expect.stringMatching(/^v1\./),
      captchaToken: 'pass.e2e',
    });
    expect(invited?.request?.userAttributes.sub).toBeUndefined();
    expect(events.some((event) => event.request?.validationData === null)).toBe(true);
    for (const email of emails) expect(text).not.toContain(email);
  });

  it('replays every recorded fixture to the outcome recorded beside it', async () => {
    // Prepare
    const { state } = pipeline;
    const replayer = createReplayer({
      mode: 'bundle',
      environment: {
        POWERTOOLS_LOG_LEVEL: 'SILENT',
        AWS_REGION: state.region,
        AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
        AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: state.endpoints.cognito,
        AWS_ENDPOINT_URL_DYNAMODB: state.endpoints.dynamodb,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    });
    const files = findEventFiles([recordDir]);

    // Act
    const results = [];
    try {
      for (const file of files) results.push(await replayer.replayFixture(file));
    } finally {
      await replayer.close();
    }

    // Assess
    const failures = results
      .filter((result) => !result.passed)
      .map((result) => `${relative(recordDir, result.file)}\n${result.diff}`);
    expect(failures).toEqual([]);
    expect(results.length).toBe(files.length);
  });
});
