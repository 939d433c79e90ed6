/**
 * The built PostConfirmationFunction bundle, with every onboarding action on, against real local servers:
 * cognito-local (groups), dynalite (the profile table) and moto (the EventBridge bus and the SQS failure
 * queue). The bundle runs in a child process with the template's environment, as `sam local invoke` would,
 * and reaches the servers through the SDK's `AWS_ENDPOINT_URL_<SERVICE>` variables.
 *
 * Proves, for contract §4 (the user is already confirmed) and §6 (Cognito waits 5 s and retries):
 * - retries: three sequential replays and two concurrent ones leave one profile, one membership per group and
 *   one event id;
 * - the deadline: with a dependency that never answers the reply still comes in time, and the event is in
 *   the failure queue; a retried call completes what was missing; strict mode fails the call, queued;
 * - the recorded events of events/post-confirmation onboard as their descriptions say.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { PurgeQueueCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildFunctions } from '../../harness/build-functions.js';
import { bundleInvoker } from '../../harness/bundle-invoker.js';
import { simulateCognitoCall } from '../../harness/cognito-simulator.js';
import { applyEnvVars } from '../../harness/env-vars.js';
import { readJsonFile } from '../../harness/fixtures.js';
import type { InvocationResult, Invoker } from '../../harness/invocation.js';
import { fromProjectRoot } from '../../harness/paths.js';
import { type FunctionSpec, functionByLogicalId, loadTemplate } from '../../harness/template.js';
import type { PostConfirmationEvent } from '../../shared/event-types.js';
import { userConfirmedEventId } from '../../triggers/post-confirmation/actions/publish-user-confirmed.js';
import { parseFailureMessage } from '../../triggers/post-confirmation/failure-queue.js';
import { type CognitoLocalServer, startCognitoLocalServer } from '../support/cognito-local-server.js';
import { type DynaliteServer, startDynaliteServer } from '../support/dynalite-server.js';
import { startHangingServer } from '../support/hanging-server.js';
import { describeWithMoto, type MotoServer, startMotoServer } from '../support/moto-server.js';
import { type OnboardingBus, prepareOnboarding } from '../support/onboarding-bus.js';

const FUNCTION = 'PostConfirmationFunction';
const BUS = 'sign-up-events';
const TABLE = 'Profiles';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

describeWithMoto('Trigger: post-confirmation built bundle against cognito-local, dynalite and moto', () => {
  let cognito: CognitoLocalServer;
  let dynalite: DynaliteServer;
  let moto: MotoServer;
  let hanging: Awaited<ReturnType<typeof startHangingServer>>;
  let spec: FunctionSpec;
  let bundlePath: string;
  let outDir: string;
  let pool: { poolId: string; clientId: string };
  let bus: OnboardingBus;
  const invokers: Invoker[] = [];

  /** The function's environment: the template's, onboarding on, every service on a local server. */
  function environment(overrides: Record<string, string> = {}): Record<string, string> {
    return {
      ...applyEnvVars(spec, {
        PostConfirmationFunction: {
          DEFAULT_GROUPS: 'users',
          SELF_SERVICE_GROUPS: 'beta,newsletter',
          PROFILE_TABLE: TABLE,
          PROFILE_PLANS: 'free,pro',
          EVENT_BUS_NAME: BUS,
          FAILURE_QUEUE_URL: bus.failureQueueUrl,
        },
      }),
      // The bundle leaves @aws-sdk/* to the runtime, which Lambda finds through NODE_PATH; here, the
      // project's pinned versions (the bundle is built outside the project).
      NODE_PATH: fromProjectRoot('node_modules'),
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognito.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint,
      AWS_ENDPOINT_URL_EVENTBRIDGE: moto.endpoint,
      AWS_ENDPOINT_URL_SQS: moto.endpoint,
      ...overrides,
    };
  }

  /** A new execution environment (a cold child process), as Lambda gives a retry or a concurrent call. */
  function coldInstance(overrides: Record<string, string> = {}): Invoker {
    const invoker = bundleInvoker({
      bundlePath,
      exportName: spec.exportName,
      environment: environment(overrides),
      functionName: FUNCTION,
      memoryMb: spec.memoryMb,
    });
    invokers.push(invoker);
    return invoker;
  }

  function invoke(invoker: Invoker, event: unknown): Promise<InvocationResult> {
    return invoker.invoke(event, spec.timeoutSeconds * 1000);
  }

  async function profileOf(sub: string): Promise<Record<string, AttributeValue>[]> {
    return (await dynalite.itemsOf(TABLE)).filter((item) => item.sub?.S === sub);
  }

  function confirmedUserEvent(email: string, clientMetadata?: Record<string, string>) {
    return cognito.confirmedSignUpEvent(pool, email, clientMetadata);
  }

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'post-confirmation-bundle-'));
    [cognito, dynalite, moto, hanging] = await Promise.all([
      startCognitoLocalServer(),
      startDynaliteServer(),
      startMotoServer(),
      startHangingServer(),
    ]);
    spec = functionByLogicalId(loadTemplate(), FUNCTION);
    const [built] = await buildFunctions({ functions: [FUNCTION], outDir });
    bundlePath = built?.bundlePath ?? '';
    ({ pool, bus } = await prepareOnboarding(
      { cognito, dynalite, moto },
      { groups: ['users', 'beta', 'newsletter', 'admins'], table: TABLE, bus: BUS },
    ));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(invokers.map((invoker) => invoker.close()));
    bus?.close();
    await Promise.all([cognito?.stop(), dynalite?.stop(), moto?.stop(), hanging?.stop()]);
    rmSync(outDir, { recursive: true, force: true });
  }, 60_000);

  it('leaves one profile, one membership per group and one event id after three replays and two concurrent calls', async () => {
    // Prepare
    const event = await confirmedUserEvent('retry.proof@example.com', {
      groups: 'beta,admins',
      plan: 'pro',
      referral: 'FRIEND-42',
    });
    const sub = event.request.userAttributes.sub ?? '';
    const warm = coldInstance();

    // Act
    const results: InvocationResult[] = [];
    for (let replay = 0; replay < 3; replay += 1) results.push(await invoke(warm, event));
    results.push(...(await Promise.all([invoke(coldInstance(), event), invoke(coldInstance(), event)])));

    // Assess
    const profiles = await profileOf(sub);
    const groups = await cognito.groupsOf(pool.poolId, event.userName);
    const eventIds = await bus.publishedEventIds();
    expect({
      results: results.map((result) => result.kind),
      profiles: profiles.length,
      plan: profiles[0]?.plan?.S,
      referral: profiles[0]?.referral?.S,
      groups: [...groups].sort(),
      usersMembers: (await cognito.membersOf(pool.poolId, 'users')).filter((name) => name === event.userName)
        .length,
      eventIds: [...new Set(eventIds)],
      queued: (await bus.drain(bus.failureQueueUrl)).length,
    }).toEqual({
      results: ['returned', 'returned', 'returned', 'returned', 'returned'],
      profiles: 1,
      plan: 'pro',
      referral: 'FRIEND-42',
      groups: ['beta', 'users'],
      usersMembers: 1,
      eventIds: [userConfirmedEventId(pool.poolId, sub)],
      queued: 0,
    });
  }, 60_000);

  it('answers in time with a hanging DynamoDB, queues the event, and a retried call completes the profile', async () => {
    // Prepare
    const event = await confirmedUserEvent('deadline.proof@example.com');
    const sub = event.request.userAttributes.sub ?? '';

    // Act
    const hung = await invoke(coldInstance({ AWS_ENDPOINT_URL_DYNAMODB: hanging.endpoint }), event);
    const queued = (await bus.drain(bus.failureQueueUrl)).map((message) =>
      parseFailureMessage(message.Body ?? ''),
    );
    const profilesAfterHang = (await profileOf(sub)).length;
    const retried = await invoke(coldInstance(), event);

    // Assess
    expect({
      hung: hung.kind,
      queued: queued.map((message) => ({
        eventId: message.eventId,
        actions: message.failedActions.map((failed) => failed.action),
        userName: message.event.userName,
      })),
      profilesAfterHang,
      retried: retried.kind,
      profiles: (await profileOf(sub)).length,
      groups: await cognito.groupsOf(pool.poolId, event.userName),
      eventIds: [...new Set(await bus.publishedEventIds())],
    }).toEqual({
      hung: 'returned',
      queued: [
        {
          eventId: userConfirmedEventId(pool.poolId, sub),
          actions: ['writeProfile'],
          userName: event.userName,
        },
      ],
      profilesAfterHang: 0,
      retried: 'returned',
      profiles: 1,
      groups: ['users'],
      eventIds: [userConfirmedEventId(pool.poolId, sub)],
    });
  }, 60_000);

  it('fails the call with SIGNUP_UNAVAILABLE in strict mode, with the event queued all the same', async () => {
    // Prepare
    const event = await confirmedUserEvent('strict.mode@example.com');
    const instance = coldInstance({
      AWS_ENDPOINT_URL_EVENTBRIDGE: hanging.endpoint,
      POST_CONFIRMATION_STRICT: 'true',
    });

    // Act
    const call = await simulateCognitoCall(instance, event);
    const queued = (await bus.drain(bus.failureQueueUrl)).map((message) =>
      parseFailureMessage(message.Body ?? ''),
    );

    // Assess
    expect({
      attempts: call.attempts,
      cognito: call.cognito,
      queued: queued.map((message) => message.failedActions.map((failed) => failed.action)),
    }).toEqual({
      attempts: 1,
      cognito: {
        outcome: 'error',
        errorType: 'UserLambdaValidationException',
        message: expect.stringMatching(/^PostConfirmation failed with error SIGNUP_UNAVAILABLE: /),
      },
      queued: [['publishUserConfirmed']],
    });
  }, 60_000);

  it('onboards an imported user on their first password reset when ONBOARD_ON_PASSWORD_RESET is true, once', async () => {
    // Prepare: a user imported with RESET_REQUIRED is first confirmed by ConfirmForgotPassword.
    const confirmed = await confirmedUserEvent('imported.user@example.com');
    const event = { ...confirmed, triggerSource: 'PostConfirmation_ConfirmForgotPassword' };
    const sub = event.request.userAttributes.sub ?? '';
    const instance = coldInstance({ ONBOARD_ON_PASSWORD_RESET: 'true' });

    // Act: the first reset onboards; a later one changes nothing but repeats the deduplicable event.
    const results = [await invoke(instance, event), await invoke(instance, event)];

    // Assess
    expect({
      results: results.map((result) => result.kind),
      profiles: (await profileOf(sub)).length,
      groups: await cognito.groupsOf(pool.poolId, event.userName),
      eventIds: [...new Set(await bus.publishedEventIds())],
    }).toEqual({
      results: ['returned', 'returned'],
      profiles: 1,
      groups: ['users'],
      eventIds: [userConfirmedEventId(pool.poolId, sub)],
    });
  }, 60_000);

  it('onboards each recorded event of events/post-confirmation as its description says', async () => {
    // Prepare: groups off (the recorded pool does not exist locally); profile and event on.
    await bus.sqs.send(new PurgeQueueCommand({ QueueUrl: bus.failureQueueUrl }));
    await bus.publishedEventIds();
    const instance = coldInstance({ DEFAULT_GROUPS: '', SELF_SERVICE_GROUPS: '' });
    const folder = fromProjectRoot('events/post-confirmation');
    const files = readdirSync(folder)
      .filter((name) => name.endsWith('.json') && !name.endsWith('.expected.json'))
      .sort();

    // Act
    const seen: Record<string, unknown> = {};
    for (const file of files) {
      const event = readJsonFile(join(folder, file)) as PostConfirmationEvent;
      const sub = event.request.userAttributes.sub ?? '';
      const result = await invoke(instance, event);
      const [profile] = await profileOf(sub);
      seen[file] = {
        result: result.kind,
        // AWS's envelope-less sample names no source: the parser reads it as an unknown one.
        profileFields: (event.triggerSource ?? '').endsWith('ConfirmSignUp')
          ? Object.keys(profile ?? {})
              .filter((key) => key !== 'createdAt')
              .sort()
          : profile === undefined
            ? 'none'
            : 'written by another fixture',
        events: (await bus.publishedEventIds()).length,
      };
    }

    // Assess
    const signUp = (fields: string[]) => ({ result: 'returned', profileFields: fields, events: 1 });
    const passwordReset = { result: 'returned', profileFields: 'none', events: 0 };
    const base = ['email', 'email_verified', 'sub', 'userName'];
    expect(seen).toEqual({
      'confirm-forgot-password.client-metadata-locale.json': passwordReset,
      // A non-string ClientMetadata value is the caller's: ignored, never a failed call (issue 10 §3).
      'confirm-forgot-password.client-metadata-number.json': passwordReset,
      'confirm-forgot-password.password-reset.json': passwordReset,
      'confirm-sign-up.admin-confirm-client-id-null.json': signUp(base),
      // AWS's samples (issue 10 §4): aws-lambda-go's has no sub, so nothing can be keyed and the event is
      // queued; the developer guide's has no triggerSource, so UNKNOWN_TRIGGER_SOURCE (passthrough) answers.
      'confirm-sign-up.aws-sample-go.json': { result: 'returned', profileFields: [], events: 0 },
      'confirm-sign-up.aws-sample.json': { result: 'returned', profileFields: 'none', events: 0 },
      // AWS's test events leave callerContext out (issue 10 §4); same user as admin-confirm-client-id-null,
      // whose profile is already written, so the conditional put changes nothing.
      'confirm-sign-up.caller-context-missing.json': signUp(base),
      'confirm-sign-up.client-metadata-locale.json': signUp([
        'email',
        'email_verified',
        'locale',
        'sub',
        'userName',
      ]),
      'confirm-sign-up.confirmed-user.json': signUp(base),
      'confirm-sign-up.email-as-username.json': signUp(base),
      // A JSON boolean email_verified, as AWS's test events write it, is read as Cognito's "true".
      'confirm-sign-up.email-verified-boolean.json': signUp(base),
      'confirm-sign-up.email-verified-missing.json': signUp(['email', 'sub', 'userName']),
      'confirm-sign-up.federated-first-sign-in.json': signUp([
        'email',
        'email_verified',
        'family_name',
        'given_name',
        'sub',
        'userName',
      ]),
      'confirm-sign-up.hostile-metadata.json': signUp(base),
      'confirm-sign-up.onboarding-metadata.json': signUp([
        'email',
        'email_verified',
        'given_name',
        'marketingConsent',
        'plan',
        'referral',
        'sub',
        'userName',
      ]),
      'confirm-sign-up.phone-number.json': signUp(['sub', 'userName']),
      // No sub: neither the profile nor the event can be keyed; the call succeeds and the event is queued.
      'confirm-sign-up.sub-missing.json': { result: 'returned', profileFields: [], events: 0 },
      'confirm-sign-up.sub-missing-strict.json': { result: 'returned', profileFields: [], events: 0 },
    });
    const queued = (await bus.drain(bus.failureQueueUrl)).map((message) =>
      parseFailureMessage(message.Body ?? ''),
    );
    expect(
      queued.map((message) => ({
        userName: message.event.userName,
        actions: message.failedActions.map((failed) => failed.action).sort(),
      })),
    ).toEqual([
      { userName: '<userName>', actions: ['publishUserConfirmed', 'writeProfile'] },
      { userName: '0f2a8e7c-dddd-4222-8333-444455556666', actions: ['publishUserConfirmed', 'writeProfile'] },
      { userName: '0f2a8e7c-dddd-4222-8333-444455556666', actions: ['publishUserConfirmed', 'writeProfile'] },
    ]);
  }, 120_000);
});
