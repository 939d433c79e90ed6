import { type AddressInfo, connect, createServer, type Socket } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { ConfigurationError, SignUpFault, SignUpUnavailableError } from '../../../../shared/errors.js';
import type { PostConfirmationEvent } from '../../../../shared/event-types.js';
import { createTriggerHandler } from '../../../../shared/handler-core.js';
import { configureFrom, OptionsError } from '../../../../shared/options.js';
import { parsePostConfirmationEvent } from '../../../../shared/parse-event.js';
import { userConfirmedEventId } from '../../../../triggers/post-confirmation/actions/publish-user-confirmed.js';
import type { FailureMessage, FailureQueue } from '../../../../triggers/post-confirmation/failure-queue.js';
import type { OnboardingAction } from '../../../../triggers/post-confirmation/onboarding-action.js';
import {
  OnboardingIncompleteError,
  type RunOnboardingOptions,
  runOnboarding,
  runOnboardingFromEnv,
  runOnboardingSettings,
} from '../../../../triggers/post-confirmation/run-onboarding.js';
import {
  lambdaContext,
  postConfirmationEvent,
  ruleContext,
  testEmail,
  testSub,
} from '../../../support/builders.js';
import { everythingLogged, spyLogger } from '../../../support/logger-spies.js';
import { errorOf, rejectionOf } from '../../../support/outcomes.js';

/** A failure queue that keeps every message it is given. */
function memoryQueue() {
  const messages: FailureMessage[] = [];
  const queue: FailureQueue = async (message) => {
    messages.push(structuredClone(message));
  };
  return { queue, messages };
}

/** An action that records its calls and resolves `done`. */
function recordingAction(name: string) {
  const calls: PostConfirmationEvent[] = [];
  const action: OnboardingAction = {
    [name]: async (event: PostConfirmationEvent) => {
      calls.push(event);
      return 'done' as const;
    },
  }[name] as OnboardingAction;
  return { action, calls };
}

const fails: OnboardingAction = async function fails() {
  throw new SignUpFault('table unavailable');
};
const hangs: OnboardingAction = function hangs() {
  return new Promise<never>(() => {});
};

function engine(actions: OnboardingAction[], options: RunOnboardingOptions = {}, queue?: FailureQueue) {
  const logger = spyLogger();
  const rule = runOnboarding(options, {
    actions,
    logger,
    clock: () => new Date('2026-01-01T00:00:00.000Z'),
    ...(queue === undefined ? {} : { failureQueue: queue }),
  });
  return { rule, logger };
}

describe('Rule: runOnboarding', () => {
  it('runs every action on PostConfirmation_ConfirmSignUp', async () => {
    // Prepare
    const groups = recordingAction('addToGroups');
    const profile = recordingAction('writeProfile');
    const { rule } = engine([groups.action, profile.action]);

    // Act
    const outcome = await rule(postConfirmationEvent(), ruleContext());

    // Assess
    expect({ outcome, groups: groups.calls.length, profile: profile.calls.length }).toEqual({
      outcome: 'pass',
      groups: 1,
      profile: 1,
    });
  });

  it('runs the actions concurrently', async () => {
    // Prepare: `first` only finishes once `second` has started, which a sequential run never reaches.
    let secondStarted: () => void = () => undefined;
    const started = new Promise<void>((resolve) => {
      secondStarted = resolve;
    });
    const first: OnboardingAction = async function first() {
      await started;
      return 'done';
    };
    const second: OnboardingAction = async function second() {
      secondStarted();
      return 'done';
    };
    const { queue, messages } = memoryQueue();
    const { rule } = engine([first, second], {}, queue);

    // Act
    await rule(postConfirmationEvent(), ruleContext());

    // Assess
    expect(messages).toEqual([]);
  });

  it('only logs on PostConfirmation_ConfirmForgotPassword (contract §4: every password reset fires it)', async () => {
    // Prepare
    const groups = recordingAction('addToGroups');
    const { rule, logger } = engine([groups.action]);

    // Act
    const outcome = await rule(
      postConfirmationEvent({ triggerSource: 'PostConfirmation_ConfirmForgotPassword' }),
      ruleContext(),
    );

    // Assess
    expect({ outcome, calls: groups.calls.length, logged: logger.info.mock.calls[0] }).toEqual({
      outcome: 'skipped',
      calls: 0,
      logged: ['onboarding skipped', { triggerSource: 'PostConfirmation_ConfirmForgotPassword' }],
    });
  });

  it('onboards on a password reset when onPasswordReset is set', async () => {
    // Prepare
    const groups = recordingAction('addToGroups');
    const { rule } = engine([groups.action], { onPasswordReset: true });

    // Act
    await rule(
      postConfirmationEvent({ triggerSource: 'PostConfirmation_ConfirmForgotPassword' }),
      ruleContext(),
    );

    // Assess
    expect(groups.calls).toHaveLength(1);
  });

  it('sends the event and the failed actions to the failure queue without failing the call', async () => {
    // Prepare
    const groups = recordingAction('addToGroups');
    const { queue, messages } = memoryQueue();
    const { rule } = engine([groups.action, fails], {}, queue);
    const event = postConfirmationEvent();

    // Act
    const outcome = await rule(event, ruleContext());

    // Assess
    expect({ outcome, messages }).toEqual({
      outcome: 'pass',
      messages: [
        {
          kind: 'PostConfirmationFailure',
          version: 1,
          eventId: userConfirmedEventId(event.userPoolId, testSub),
          failedActions: [{ action: 'fails', errorName: 'SignUpFault' }],
          failedAt: '2026-01-01T00:00:00.000Z',
          requestId: lambdaContext().awsRequestId,
          complete: true,
          event,
        },
      ],
    });
  });

  it('counts the failed actions in the onboarding log line', async () => {
    // Prepare
    const { queue } = memoryQueue();
    const { rule, logger } = engine([fails, recordingAction('writeProfile').action], {}, queue);

    // Act
    await rule(postConfirmationEvent(), ruleContext());

    // Assess
    const line = logger.info.mock.calls.find(([message]) => message === 'onboarding')?.[1];
    expect(line).toMatchObject({ onboardingActionFailures: 1 });
  });

  it('throws its fault in strict mode, which the core turns into SIGNUP_UNAVAILABLE (never a rejection)', async () => {
    // Prepare
    const { queue } = memoryQueue();
    const { rule } = engine([fails], { strict: true }, queue);

    // Act
    const error = await rejectionOf(() => rule(postConfirmationEvent(), ruleContext()));

    // Assess
    expect(error).toBeInstanceOf(OnboardingIncompleteError);
    expect(error).toBeInstanceOf(SignUpFault);
  });

  it('queues the event in strict mode too, and says so in the fault', async () => {
    // Prepare
    const { queue, messages } = memoryQueue();
    const { rule } = engine([fails], { strict: true }, queue);

    // Act
    const error = await rejectionOf(() => rule(postConfirmationEvent(), ruleContext()));

    // Assess
    expect({ error, queued: messages.length }).toEqual({
      error: expect.objectContaining({ name: 'OnboardingIncompleteError', queued: 'queued' }),
      queued: 1,
    });
  });

  it('completes on a retry what a partial failure left undone', async () => {
    // Prepare: idempotent fakes; the profile store fails once, then works.
    const groups = new Set<string>();
    const profiles = new Set<string>();
    let profileFailures = 1;
    const addToGroups: OnboardingAction = async function addToGroups(event) {
      const key = event.request.userAttributes.sub ?? '';
      if (groups.has(key)) return 'skipped';
      groups.add(key);
      return 'done';
    };
    const writeProfile: OnboardingAction = async function writeProfile(event) {
      if (profileFailures-- > 0) throw new SignUpFault('throttled');
      const key = event.request.userAttributes.sub ?? '';
      if (profiles.has(key)) return 'skipped';
      profiles.add(key);
      return 'done';
    };
    const { queue, messages } = memoryQueue();
    const { rule, logger } = engine([addToGroups, writeProfile], {}, queue);

    // Act
    await rule(postConfirmationEvent(), ruleContext());
    await rule(postConfirmationEvent(), ruleContext());

    // Assess
    const lines = logger.info.mock.calls
      .filter(([message]) => message === 'onboarding')
      .map(([, line]) => line);
    expect({
      groups: groups.size,
      profiles: profiles.size,
      queued: messages.length,
      second: lines[1],
    }).toEqual({
      groups: 1,
      profiles: 1,
      queued: 1,
      second: expect.objectContaining({
        onboardingActionFailures: 0,
        actions: [
          expect.objectContaining({ action: 'addToGroups', outcome: 'skipped' }),
          expect.objectContaining({ action: 'writeProfile', outcome: 'done' }),
        ],
      }),
    });
  });

  it('aborts the signal it gives the actions before the failure queue is due', async () => {
    // Prepare
    let aborted = false;
    const waits: OnboardingAction = function waits(_event, context) {
      return new Promise((_, reject) => {
        context.signal.addEventListener('abort', () => {
          aborted = true;
          reject(context.signal.reason);
        });
      });
    };
    const { queue } = memoryQueue();
    const { rule } = engine([waits], { failureQueueReserveMs: 200 }, queue);
    const context = ruleContext(1200);

    // Act
    await rule(postConfirmationEvent(), context);

    // Assess
    expect({ aborted, invocationSignal: context.signal.aborted }).toEqual({
      aborted: true,
      invocationSignal: false,
    });
  });

  it('does not fail the call when the failure queue refuses the event, and logs the loss', async () => {
    // Prepare
    const refuses: FailureQueue = async () => {
      throw new SignUpFault('queue down');
    };
    const { rule, logger } = engine([fails], {}, refuses);

    // Act
    const outcome = await rule(postConfirmationEvent(), ruleContext());

    // Assess
    expect({ outcome, lost: logger.error.mock.calls.some(([, line]) => line?.onboardingLost === 1) }).toEqual(
      {
        outcome: 'pass',
        lost: true,
      },
    );
  });

  it('logs the loss when no failure queue is configured', async () => {
    // Prepare
    const { rule, logger } = engine([fails]);

    // Act
    await rule(postConfirmationEvent(), ruleContext());

    // Assess
    expect(logger.error).toHaveBeenCalledWith(
      'onboarding lost: no failure queue configured',
      expect.objectContaining({ onboardingLost: 1 }),
    );
  });

  it('never logs an attribute value or ClientMetadata', async () => {
    // Prepare
    const { queue } = memoryQueue();
    const { rule, logger } = engine([fails, recordingAction('writeProfile').action], {}, queue);
    const event = postConfirmationEvent({
      request: { clientMetadata: { referral: 'secret-referral-code' } },
    });

    // Act
    await rule(event, ruleContext());

    // Assess
    const logged = everythingLogged(logger);
    expect([testEmail, testSub, 'secret-referral-code'].filter((value) => logged.includes(value))).toEqual(
      [],
    );
  });

  it('keeps only the ClientMetadata keys the actions read in the failure message', async () => {
    // Prepare
    const { queue, messages } = memoryQueue();
    const rule = runOnboarding(
      {},
      { actions: [fails], failureQueue: queue, metadataKeys: ['groups', 'plan'], logger: spyLogger() },
    );
    const event = postConfirmationEvent({
      request: {
        clientMetadata: { groups: 'beta', plan: 'pro', sessionToken: 'eyJ-not-ours', locale: 'fr' },
      },
    });

    // Act
    await rule(event, ruleContext());

    // Assess
    expect(messages.map((message) => message.event.request.clientMetadata)).toEqual([
      { groups: 'beta', plan: 'pro' },
    ]);
  });

  it('readies the failure queue at cold start, before any invocation (issue 11: no failure waits for its SDK)', () => {
    // Prepare
    const { queue } = memoryQueue();
    const prepare = vi.fn();

    // Act
    engine([recordingAction('writeProfile').action], {}, Object.assign(queue, { prepare }));

    // Assess
    expect(prepare).toHaveBeenCalledTimes(1);
  });

  it('reserves the failure queue time before the actions start: a hanging action is cut off in time', async () => {
    // Prepare: 1,700 ms of budget, 1,000 ms reserved for the queue (contract §6: Cognito waits 5 s), which leaves
    // the actions more than their 500 ms minimum: the normal path, not queue-first
    let stoppedAfterMs = 0;
    const started = Date.now();
    const hangs: OnboardingAction = function hangs(_event, context) {
      return new Promise((_, reject) => {
        context.signal.addEventListener('abort', () => {
          stoppedAfterMs = Date.now() - started;
          reject(context.signal.reason);
        });
      });
    };
    const { queue, messages } = memoryQueue();
    const { rule } = engine([hangs], { failureQueueReserveMs: 1000 }, queue);

    // Act
    await rule(postConfirmationEvent(), ruleContext(1700));

    // Assess
    expect({ stoppedEarly: stoppedAfterMs < 1000, queued: messages.length }).toEqual({
      stoppedEarly: true,
      queued: 1,
    });
  });

  it('queues the event first, then runs the actions, when the reserve and 500 ms for the actions do not fit', async () => {
    // Prepare: a cold start that left 1,200 ms, with 1,000 ms reserved for the queue
    const order: string[] = [];
    const queue: FailureQueue = async (message) => {
      order.push(`queued ${message.failedActions.map((failed) => failed.errorName).join(',')}`);
    };
    const profile: OnboardingAction = async function writeProfile() {
      order.push('writeProfile');
      return 'done';
    };
    const { rule, logger } = engine([profile], { failureQueueReserveMs: 1000 }, queue);

    // Act
    const outcome = await rule(postConfirmationEvent(), ruleContext(1200));

    // Assess
    expect({ outcome, order }).toEqual({
      outcome: 'pass',
      order: ['queued NotAttemptedBeforeQueueing', 'writeProfile'],
    });
    expect(logger.error).not.toHaveBeenCalled();
  });

  it('queues first and leaves the actions to the replay when a cold start took longer than the actions would get', async () => {
    // Prepare: a starved CPU: init took 3,000 ms, and 1,700 ms are left of which 1,500 are the queue's
    const { queue, messages } = memoryQueue();
    const profile = recordingAction('writeProfile');
    const { rule, logger } = engine([profile.action], { failureQueueReserveMs: 1500 }, queue);
    const context = { ...ruleContext(1700), coldStartMs: 3000 };

    // Act
    const outcome = await rule(postConfirmationEvent(), context);

    // Assess: loading the actions' SDKs would hold the reply past Cognito's wait (issue 11)
    expect({
      outcome,
      queued: messages.map((message) => message.failedActions),
      ran: profile.calls.length,
    }).toEqual({
      outcome: 'pass',
      queued: [[{ action: 'writeProfile', errorName: 'NotAttemptedBeforeQueueing' }]],
      ran: 0,
    });
    expect(logger.warn).toHaveBeenCalledWith(
      'onboarding deferred to the failure queue: too little time left to run the actions',
      expect.objectContaining({ queued: 'queued' }),
    );
  });

  it('fails the call in strict mode when it defers the actions, after queueing the event', async () => {
    // Prepare
    const { queue, messages } = memoryQueue();
    const { rule } = engine([recordingAction('writeProfile').action], { strict: true }, queue);

    // Act
    const error = (await rejectionOf(() =>
      rule(postConfirmationEvent(), { ...ruleContext(1700), coldStartMs: 3000 }),
    )) as Error;

    // Assess
    expect({ error, queued: messages.length }).toEqual({
      error: expect.objectContaining({ name: 'OnboardingIncompleteError', queued: 'queued' }),
      queued: 1,
    });
  });

  it('runs the actions first after a quick cold start', async () => {
    // Prepare: init took 400 ms (a whole vCPU), 4,300 ms are left
    const { queue, messages } = memoryQueue();
    const profile = recordingAction('writeProfile');
    const { rule } = engine([profile.action], {}, queue);

    // Act
    await rule(postConfirmationEvent(), { ...ruleContext(4300), coldStartMs: 400 });

    // Assess
    expect({ queued: messages.length, ran: profile.calls.length }).toEqual({ queued: 0, ran: 1 });
  });

  it('sends at most one message for an invocation that queued first, even when an action then fails', async () => {
    // Prepare
    const { queue, messages } = memoryQueue();
    const { rule } = engine([fails], { failureQueueReserveMs: 1000 }, queue);

    // Act
    await rule(postConfirmationEvent(), ruleContext(1200));

    // Assess
    expect(messages.map((message) => message.failedActions)).toEqual([
      [{ action: 'fails', errorName: 'NotAttemptedBeforeQueueing' }],
    ]);
  });

  it('logs a send the deadline cut off as unconfirmed, never as lost: the message may have reached the queue', async () => {
    // Prepare: a queue that takes the message but answers too late
    const slow: FailureQueue = () => new Promise(() => {});
    const { rule, logger } = engine([fails], { failureQueueReserveMs: 300 }, slow);

    // Act
    const outcome = await rule(postConfirmationEvent(), ruleContext(1200));

    // Assess
    const messages = logger.error.mock.calls.map(([message]) => message);
    expect({ outcome, lost: messages.some((m) => m.startsWith('onboarding lost')) }).toEqual({
      outcome: 'pass',
      lost: false,
    });
    expect(logger.error).toHaveBeenCalledWith(
      'onboarding queue unconfirmed: the deadline came before the failure queue answered',
      expect.objectContaining({ onboardingQueueUnconfirmed: 1 }),
    );
  });

  it('reads an answer that arrived with its deadline due, rather than giving the send up (starved CPU)', async () => {
    // Prepare: the queue's answer is a byte on a real loopback socket; just before the deadline the event
    // loop is blocked (a process starved of CPU), so it wakes with the deadline timer and the answer both due.
    const server = createServer((socket) => {
      server.emit('accepted', socket);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const { queue: store, messages } = memoryQueue();
    const answersAtTheDeadline: FailureQueue = (message, bounds) =>
      new Promise((resolve, reject) => {
        const client = connect(port, '127.0.0.1');
        client.once('data', () => void store(message, bounds).then(resolve, reject));
        server.once('accepted', (socket: Socket) => {
          const wait = Math.max(0, bounds.deadline - Date.now());
          // Blocked at the end of a loop turn (its check phase) until past the queue deadline (not the core's):
          // the next turn starts with the timers.
          setTimeout(
            () => {
              setImmediate(() => {
                socket.write('ok');
                const until = Date.now() + 60;
                while (Date.now() < until) {
                  // Busy: the CPU is taken.
                }
              });
            },
            Math.max(0, wait - 20),
          );
        });
      });
    const { rule, logger } = engine([fails], { failureQueueReserveMs: 400 }, answersAtTheDeadline);

    // Act
    await rule(postConfirmationEvent(), ruleContext(1200));
    server.close();

    // Assess
    const queueErrors = logger.error.mock.calls
      .map(([message]) => message)
      .filter((message) => /^onboarding (lost|queue unconfirmed)/.test(message));
    expect({ queued: messages.length, queueErrors }).toEqual({ queued: 1, queueErrors: [] });
  });

  it('names a lost onboarding by sub and event id, never by email', async () => {
    // Prepare
    const { rule, logger } = engine([fails]);

    // Act
    await rule(postConfirmationEvent(), ruleContext());

    // Assess
    const logged = everythingLogged(logger);
    expect({
      lost: logger.error.mock.calls.find(([message]) => message.startsWith('onboarding lost'))?.[1],
      email: logged.includes(testEmail),
    }).toEqual({
      lost: { eventId: userConfirmedEventId('us-east-1_EXAMPLE', testSub), sub: testSub, onboardingLost: 1 },
      email: false,
    });
  });

  it('refuses two actions with one name at construction', () => {
    // Prepare
    const one = recordingAction('addToGroups').action;
    const two = recordingAction('addToGroups').action;

    // Act
    const error = errorOf(OptionsError, () => runOnboarding({}, { actions: [one, two] }));

    // Assess
    expect(error).toMatchObject({
      option: 'dependencies.actions',
      expected: expect.stringContaining('distinct'),
    });
  });

  it.each([-1, 4001, 1.5])(
    'refuses a failureQueueReserveMs of %s at construction',
    (failureQueueReserveMs) => {
      // Prepare
      const build = () => runOnboarding({ failureQueueReserveMs }, { actions: [] });

      // Act
      const error = errorOf(OptionsError, build);

      // Assess
      expect(error).toMatchObject({
        option: 'failureQueueReserveMs',
        expected: 'a whole number from 0 to 4000',
      });
    },
  );
});

describe('Trigger: post-confirmation engine under the handler core', () => {
  const budgetMs = 1500;

  function handlerOver(
    actions: OnboardingAction[],
    queue: FailureQueue,
    options: RunOnboardingOptions = {},
    logger = spyLogger(),
  ) {
    return createTriggerHandler({
      trigger: 'PostConfirmation',
      parse: parsePostConfirmationEvent,
      rules: [runOnboarding({ failureQueueReserveMs: 400, ...options }, { actions, failureQueue: queue })],
      logger,
      budgetMs,
    });
  }

  it('returns within the budget when an action hangs, with the event in the failure queue', async () => {
    // Prepare
    const { queue, messages } = memoryQueue();
    const handler = handlerOver([hangs, recordingAction('writeProfile').action], queue);
    const started = performance.now();

    // Act
    const returned = await handler(postConfirmationEvent(), lambdaContext());

    // Assess
    expect({
      withinBudget: performance.now() - started < budgetMs,
      response: returned.response,
      failed: messages.map((message) => message.failedActions),
    }).toEqual({
      withinBudget: true,
      response: {},
      failed: [[{ action: 'hangs', errorName: 'DeadlineExceededError' }]],
    });
  });

  it('returns within the budget when the failure queue hangs too', async () => {
    // Prepare
    const hangingQueue: FailureQueue = () => new Promise<never>(() => {});
    const handler = handlerOver([hangs], hangingQueue);
    const started = performance.now();

    // Act
    const returned = await handler(postConfirmationEvent(), lambdaContext());

    // Assess
    expect({ withinBudget: performance.now() - started < budgetMs, response: returned.response }).toEqual({
      withinBudget: true,
      response: {},
    });
  });

  it('answers without a failure queue too when an action hangs: the engine stops it before the core does', async () => {
    // Prepare
    const handler = createTriggerHandler({
      trigger: 'PostConfirmation',
      parse: parsePostConfirmationEvent,
      rules: [runOnboarding({}, { actions: [hangs], logger: spyLogger() })],
      logger: spyLogger(),
      budgetMs,
    });

    // Act
    const returned = await handler(postConfirmationEvent(), lambdaContext());

    // Assess
    expect(returned.response).toEqual({});
  });

  it('fails the call with SIGNUP_UNAVAILABLE in strict mode when an action hangs', async () => {
    // Prepare
    const { queue } = memoryQueue();
    const handler = handlerOver([hangs], queue, { strict: true });

    // Act
    const error = await rejectionOf(() => handler(postConfirmationEvent(), lambdaContext()));

    // Assess
    expect(error).toBeInstanceOf(SignUpUnavailableError);
  });

  it('logs a strict-mode failure as a fault, not a rejection: nobody decided about the user', async () => {
    // Prepare
    const { queue } = memoryQueue();
    const logger = spyLogger();
    const handler = handlerOver([fails], queue, { strict: true }, logger);

    // Act
    await rejectionOf(() => handler(postConfirmationEvent(), lambdaContext()));

    // Assess
    const decision = logger.info.mock.calls.find(([message]) => message === 'trigger decision')?.[1];
    expect(decision).toMatchObject({ outcome: 'fault', decidedBy: 'runOnboarding' });
  });
});

describe('Rule: runOnboardingFromEnv', () => {
  it('reads both switches as off by default', () => {
    // Act
    const options = runOnboardingFromEnv({});

    // Assess
    expect(options).toEqual({ onPasswordReset: false, strict: false });
  });

  it('reads ONBOARD_ON_PASSWORD_RESET and POST_CONFIRMATION_STRICT', () => {
    // Act
    const options = runOnboardingFromEnv({
      ONBOARD_ON_PASSWORD_RESET: 'true',
      POST_CONFIRMATION_STRICT: 'TRUE',
    });

    // Assess
    expect(options).toEqual({ onPasswordReset: true, strict: true });
  });

  it.each([
    ['ONBOARD_ON_PASSWORD_RESET', { ONBOARD_ON_PASSWORD_RESET: 'sometimes' }],
    ['POST_CONFIRMATION_STRICT', { POST_CONFIRMATION_STRICT: 'yes' }],
  ])('names %s for a value that is not true or false, through the settings declaration', (variable, env) => {
    // Prepare
    const configure = () =>
      configureFrom(runOnboardingSettings, () => runOnboarding(runOnboardingFromEnv(env), { actions: [] }));

    // Act
    const error = errorOf(ConfigurationError, configure);

    // Assess
    expect(error.variable).toBe(variable);
  });
});
