/**
 * The services the measured functions call, on 127.0.0.1, started once per bench run with the test suite's
 * own starters: cognito-local (the user pool: ListUsers, AdminAddUserToGroup), dynalite (the profile table),
 * moto (an EventBridge bus delivering `UserConfirmed` to a queue, and the SQS failure queue) and the fake
 * captcha provider (Turnstile's protocol). Afterwards {@link LoopbackServices.effects} reads back what the
 * functions did, so a row that timed a failed call cannot pass for a fast success.
 */
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { PostConfirmationEvent } from '../shared/event-types.js';
import { type CaptchaServer, startCaptchaServer } from '../test/support/captcha-server.js';
import { type CognitoLocalServer, startCognitoLocalServer } from '../test/support/cognito-local-server.js';
import { type DynaliteServer, startDynaliteServer } from '../test/support/dynalite-server.js';
import { type MotoServer, motoAvailability, startMotoServer } from '../test/support/moto-server.js';
import { createOnboardingBus, type OnboardingBus } from '../test/support/onboarding-bus.js';

/** The names the services are set up with; the scenarios configure the functions with them. */
export const LOOPBACK_NAMES = {
  group: 'users',
  table: 'Profiles',
  bus: 'sign-up-events',
  /** What the fake provider expects, and what a passing verdict carries. */
  captchaSecret: 'bench-captcha-secret',
  captchaHostname: 'app.example.com',
  captchaAction: 'signup',
} as const;

/** What the functions left behind, read back after the run. */
export type LoopbackEffects = {
  /** Members of {@link LOOPBACK_NAMES.group}. */
  groupMembers: number;
  profiles: number;
  /** `UserConfirmed` events the bus delivered to its queue. */
  published: number;
  /** Events on the failure queue (an onboarding action failed). */
  queued: number;
  /** Requests the captcha provider answered. */
  captchaCalls: number;
};

/** The running services. */
export type LoopbackServices = {
  /** `AWS_ENDPOINT_URL_<SERVICE>` and dummy credentials, as a function's extra variables. */
  awsEnvironment: Record<string, string>;
  poolId: string;
  failureQueueUrl: string;
  captchaVerifyUrl: string;
  /** A `PostConfirmation_ConfirmSignUp` event of a new user signed up and confirmed in the pool, each call. */
  confirmedSignUpEvent(): Promise<PostConfirmationEvent>;
  effects(): Promise<LoopbackEffects>;
  stop(): Promise<void>;
};

/** Why the services cannot run here (moto's server is a Python package), or `undefined` when they can. */
export function loopbackUnavailableReason(): string | undefined {
  const moto = motoAvailability();
  return moto.available ? undefined : moto.reason;
}

/** Starts every service on loopback and sets up the pool, group, table, bus and queues. */
export async function startLoopbackServices(): Promise<LoopbackServices> {
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    await Promise.allSettled(stops.map((stop) => stop()));
  };
  const started = <T>(server: T, stop: (server: T) => Promise<void>): T => {
    stops.push(() => stop(server));
    return server;
  };
  try {
    const [cognito, dynalite, moto, captcha] = await Promise.all([
      startCognitoLocalServer().then((server) => started(server, (it) => it.stop())),
      startDynaliteServer().then((server) => started(server, (it) => it.stop())),
      startMotoServer().then((server) => started(server, (it) => it.stop())),
      startCaptchaServer({
        secret: LOOPBACK_NAMES.captchaSecret,
        hostname: LOOPBACK_NAMES.captchaHostname,
        action: LOOPBACK_NAMES.captchaAction,
      }).then((server) => started(server, (it) => it.close())),
    ]);
    return await setUp({ cognito, dynalite, moto, captcha }, stopAll);
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Every message on a queue, received until it answers empty (each is then hidden for its visibility timeout). */
async function countMessages(bus: OnboardingBus, queueUrl: string): Promise<number> {
  let count = 0;
  for (;;) {
    const { Messages = [] } = await bus.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (Messages.length === 0) return count;
    count += Messages.length;
  }
}

async function setUp(
  servers: {
    cognito: CognitoLocalServer;
    dynalite: DynaliteServer;
    moto: MotoServer;
    captcha: CaptchaServer;
  },
  stopAll: () => Promise<void>,
): Promise<LoopbackServices> {
  const { cognito, dynalite, moto, captcha } = servers;
  const pool = await cognito.createPool();
  await cognito.createGroups(pool.poolId, [LOOPBACK_NAMES.group]);
  await dynalite.createTable(LOOPBACK_NAMES.table, 'sub');
  const bus: OnboardingBus = await createOnboardingBus(moto.endpoint, LOOPBACK_NAMES.bus);
  let users = 0;
  return {
    awsEnvironment: {
      // As Lambda hands a function its role's credentials: in the environment, session token included.
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_SESSION_TOKEN: 'local',
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognito.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint,
      AWS_ENDPOINT_URL_EVENTBRIDGE: moto.endpoint,
      AWS_ENDPOINT_URL_SQS: moto.endpoint,
    },
    poolId: pool.poolId,
    failureQueueUrl: bus.failureQueueUrl,
    captchaVerifyUrl: captcha.url('turnstile'),
    confirmedSignUpEvent() {
      users += 1;
      return cognito.confirmedSignUpEvent(pool, `bench-${users}@example.com`);
    },
    async effects() {
      const [members, profiles, published, queued] = await Promise.all([
        cognito.membersOf(pool.poolId, LOOPBACK_NAMES.group),
        dynalite.itemsOf(LOOPBACK_NAMES.table),
        countMessages(bus, bus.confirmedQueueUrl),
        countMessages(bus, bus.failureQueueUrl),
      ]);
      return {
        groupMembers: members.length,
        profiles: profiles.length,
        published,
        queued,
        captchaCalls: captcha.calls.length,
      };
    },
    async stop() {
      bus.close();
      await stopAll();
    },
  };
}
