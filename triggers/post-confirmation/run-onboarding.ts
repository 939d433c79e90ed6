/**
 * The onboarding engine, as the one rule of post confirmation: runs the configured actions (groups,
 * profile, `UserConfirmed` event) concurrently under one deadline, and decides what a failure means.
 *
 * - Only `PostConfirmation_ConfirmSignUp` onboards. `PostConfirmation_ConfirmForgotPassword` fires on every
 *   completed password reset (contract §4), so it only logs, unless `ONBOARD_ON_PASSWORD_RESET=true`: users
 *   imported with status `RESET_REQUIRED` are first confirmed by a password reset, and every action is
 *   idempotent, so a later reset of an onboarded user changes nothing. This engine is the one place that
 *   decides; the actions run for whatever event it passes them.
 * - The user is already confirmed when this runs, and AWS does not say a thrown error undoes that (contract
 *   §4), so by default a failed action does not fail the user's call: the event goes to the failure queue
 *   (replayed later by `npm run replay:failures`), and the failure is logged with the count field
 *   `onboardingActionFailures` and counted in the metrics (docs/metrics.md). `POST_CONFIRMATION_STRICT=true`
 *   throws `SIGNUP_UNAVAILABLE` instead, after queueing the event all the same.
 * - Every action is idempotent, so a retry by Cognito (contract §6) or a replay runs them all again and
 *   completes what a partial failure left undone.
 * - The failure queue's time is reserved before any action starts: the actions share the invocation deadline
 *   less that reserve, so a hanging or CPU-starved action is cut off in time for the event to be queued and
 *   the reply to reach Cognito within 5 s. When even the reserve and a minimum for the actions do not fit
 *   (a cold start that used most of Cognito's wait), or when a cold start's init took longer than the time
 *   the actions would get (a starved CPU), the event is queued first and the actions run after, in what is
 *   left. The queue is readied at cold start, so no failure waits for its SDK to load.
 * - One invocation sends at most one message (the queue's client does not retry). `onboarding lost` is
 *   logged only when the message certainly did not reach the queue (no queue, a refused or failed request);
 *   a send that the deadline cut off before SQS answered may have reached it, and is logged as
 *   `onboarding queue unconfirmed` (a replay is idempotent, so a duplicate is harmless).
 */
import { type Env, readBoolean } from '../../shared/config.js';
import { setTimeoutAfterDueIo } from '../../shared/deadline.js';
import { DeadlineExceededError, SignUpFault } from '../../shared/errors.js';
import type { PostConfirmationEvent } from '../../shared/event-types.js';
import type { Rule, RuleContext } from '../../shared/handler-core.js';
import { loggableError } from '../../shared/log-error.js';
import { actionMetricName, MetricName } from '../../shared/metrics.js';
import { logger as sharedLogger } from '../../shared/observability.js';
import { checkWhole, OptionsError } from '../../shared/options.js';
import { declareSettings, SettingValue } from '../../shared/settings.js';
import { TriggerSource } from '../../shared/trigger-source.js';
import { userConfirmedEventId } from './actions/publish-user-confirmed.js';
import {
  FAILURE_MESSAGE_KIND,
  type FailedAction,
  type FailureQueue,
  isUnconfirmedSend,
} from './failure-queue.js';
import type { ActionOutcome, OnboardingAction } from './onboarding-action.js';

/** Options of {@link runOnboarding}. */
export type RunOnboardingOptions = {
  /** Onboard on `PostConfirmation_ConfirmForgotPassword` too (`ONBOARD_ON_PASSWORD_RESET`). Default false. */
  onPasswordReset?: boolean;
  /** A failed action fails the user's call with `SIGNUP_UNAVAILABLE` (`POST_CONFIRMATION_STRICT`). */
  strict?: boolean;
  /** Time reserved at the end of the deadline for the failure queue, before any action starts. Default 1500 ms. */
  failureQueueReserveMs?: number;
};

/** What the engine runs and calls out to. */
export type RunOnboardingDependencies = {
  /** The enabled actions; they run concurrently, so none may depend on another. */
  actions: readonly OnboardingAction[];
  /** Where an incomplete onboarding goes; without one, the failure is only logged (`onboardingLost`). */
  failureQueue?: FailureQueue;
  /**
   * The ClientMetadata keys a failure message keeps: those the actions read, so a replay has what it needs
   * and the queue holds nothing else the caller sent (contract §5: apps put tokens there). Every key when
   * unset.
   */
  metadataKeys?: readonly string[];
  logger?: Pick<typeof sharedLogger, 'info' | 'warn' | 'error'>;
  /** The failure time; tests fix it. */
  clock?: () => Date;
};

/** Where the event went: the queue took it, the deadline cut the send off before SQS answered, or lost. */
export type QueueOutcome = 'queued' | 'unconfirmed' | 'lost';

/** The metric each queue outcome counts in. */
const queueMetrics = {
  queued: MetricName.OnboardingQueued,
  unconfirmed: MetricName.OnboardingQueueUnconfirmed,
  lost: MetricName.OnboardingLost,
} as const satisfies Record<QueueOutcome, string>;

/** Some actions did not complete. Thrown in strict mode: the core logs it as a fault and answers `SIGNUP_UNAVAILABLE`. */
export class OnboardingIncompleteError extends SignUpFault {
  public readonly failedActions: readonly FailedAction[];
  /** Whether the event reached the failure queue. */
  public readonly queued: QueueOutcome;

  public constructor(failedActions: readonly FailedAction[], queued: QueueOutcome, options?: ErrorOptions) {
    super(`Onboarding incomplete: ${failedActions.map((failed) => failed.action).join(', ')}`, options);
    this.name = 'OnboardingIncompleteError';
    this.failedActions = failedActions;
    this.queued = queued;
  }
}

// 1,500 ms for the queue: on a CPU-starved cold start (a small memory size, many instances at once) its
// first send took up to a second (test/integration/starved-cpu.test.ts).
const defaults = { onPasswordReset: false, strict: false, failureQueueReserveMs: 1500 };

// The failure queue settles this much before the handler core's own deadline fires, so a slow queue is our
// logged failure, never the core's fault (which would fail the user's call even in the default mode).
const QUEUE_MARGIN_MS = 200;
// The least time worth giving the actions ahead of the queue; with less, the event is queued first.
const MIN_ACTIONS_MS = 500;
// The reason a queued-first message gives for each action: it had not run yet when the event was queued.
const NOT_ATTEMPTED = 'NotAttemptedBeforeQueueing';

/** How one action ended, as logged. */
type ActionReport = {
  action: string;
  outcome: ActionOutcome | 'failed';
  durationMs: number;
  errorName?: string;
};

function errorNameOf(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

function subOf(event: PostConfirmationEvent): string | null {
  const sub = event.request.userAttributes.sub;
  return typeof sub === 'string' && sub !== '' ? sub : null;
}

function eventIdOf(event: PostConfirmationEvent): string | null {
  const sub = subOf(event);
  return sub === null ? null : userConfirmedEventId(event.userPoolId, sub);
}

/** A signal that aborts with `parent`, or at `deadline` one event-loop turn late (shared/deadline.ts). */
function deadlineSignal(parent: AbortSignal, deadline: number): { signal: AbortSignal; clear(): void } {
  const controller = new AbortController();
  const budgetMs = Math.max(0, deadline - Date.now());
  const timer = setTimeoutAfterDueIo(
    () => controller.abort(new DeadlineExceededError('failure queue', budgetMs)),
    budgetMs,
  );
  const onAbort = () => controller.abort(parent.reason);
  if (parent.aborted) controller.abort(parent.reason);
  else parent.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    clear() {
      clearTimeout(timer);
      parent.removeEventListener('abort', onAbort);
    },
  };
}

/** Settles with `work`, or rejects with the signal's reason as soon as it aborts. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * The post confirmation rule that runs every onboarding action concurrently under one deadline and applies
 * the failure policy (module comment).
 *
 * @example
 * const rule = runOnboarding(
 *   { strict: false },
 *   { actions: [addToGroups(…), writeProfile(…), publishUserConfirmed(…)], failureQueue: sqsFailureQueue(…) },
 * );
 */
export function runOnboarding(
  options: RunOnboardingOptions,
  dependencies: RunOnboardingDependencies,
): Rule<PostConfirmationEvent> {
  const settings = { ...defaults, ...options };
  const failureQueueReserveMs = checkWhole('failureQueueReserveMs', settings.failureQueueReserveMs, {
    min: 0,
    max: 4000,
  });
  if (!Array.isArray(dependencies.actions) || !dependencies.actions.every((a) => typeof a === 'function')) {
    throw new OptionsError('dependencies.actions', 'a list of functions');
  }
  const actions = dependencies.actions.map((action, index) => ({
    action,
    name: action.name === '' ? `action#${index}` : action.name,
  }));
  const names = actions.map((entry) => entry.name);
  if (new Set(names).size !== names.length) {
    throw new OptionsError('dependencies.actions', 'a list of functions with distinct names');
  }
  const { failureQueue } = dependencies;
  // Readied at cold start (the SDK loaded and the client built), so a failure never waits for it: on a
  // starved CPU, loading the SDK during the invocation took most of the time reserved for the send.
  failureQueue?.prepare?.();
  const metadataKeys =
    dependencies.metadataKeys === undefined ? undefined : new Set(dependencies.metadataKeys);
  const log = dependencies.logger ?? sharedLogger;
  const clock = dependencies.clock ?? (() => new Date());

  function onboards(source: string): boolean {
    if (source === TriggerSource.PostConfirmationConfirmSignUp) return true;
    return source === TriggerSource.PostConfirmationConfirmForgotPassword && settings.onPasswordReset;
  }

  async function runActions(
    event: PostConfirmationEvent,
    context: RuleContext,
    deadline: number,
  ): Promise<ActionReport[]> {
    // One timer for every action: at the deadline it aborts their calls first, then ends their wait, so no
    // action is still talking to a service when the failure queue starts.
    const expiry = new AbortController();
    const budgetMs = Math.max(0, deadline - Date.now());
    const timer = setTimeout(() => expiry.abort(new DeadlineExceededError('onboarding', budgetMs)), budgetMs);
    timer.unref();
    const actionContext: RuleContext = {
      deadline,
      signal: AbortSignal.any([context.signal, expiry.signal]),
      lambda: context.lambda,
      metrics: context.metrics,
    };
    try {
      return await Promise.all(
        actions.map(async ({ action, name }): Promise<ActionReport> => {
          const started = performance.now();
          const durationMs = () => Math.round((performance.now() - started) * 100) / 100;
          try {
            // `Promise.resolve().then` turns a synchronous throw into a rejection like any other.
            const outcome = await untilAborted(
              Promise.resolve().then(() => action(event, actionContext)),
              actionContext.signal,
            );
            return {
              action: name,
              outcome: outcome === 'skipped' ? 'skipped' : 'done',
              durationMs: durationMs(),
            };
          } catch (error) {
            log.error('onboarding action failed', { action: name, error: loggableError(error) });
            return {
              action: name,
              outcome: 'failed',
              durationMs: durationMs(),
              errorName: errorNameOf(error),
            };
          }
        }),
      );
    } finally {
      clearTimeout(timer);
    }
  }

  /** The event as queued: ClientMetadata cut down to the keys the actions read. */
  function queuedEvent(event: PostConfirmationEvent): PostConfirmationEvent {
    const { clientMetadata } = event.request;
    if (metadataKeys === undefined || clientMetadata === undefined || clientMetadata === null) return event;
    const kept = Object.fromEntries(
      Object.entries(clientMetadata).filter(([key]) => metadataKeys.has(key)),
    ) as Record<string, string>;
    return { ...event, request: { ...event.request, clientMetadata: kept } };
  }

  /** The actions that failed, as the log line and the failure message name them; each counted in the metrics. */
  function failedOf(reports: readonly ActionReport[], context: RuleContext): FailedAction[] {
    for (const { action, outcome } of reports) {
      if (outcome !== 'skipped') context.metrics.add(actionMetricName(action, outcome === 'done'));
    }
    const failed = reports.flatMap((report) =>
      report.outcome === 'failed' ? [{ action: report.action, errorName: report.errorName ?? 'Error' }] : [],
    );
    context.metrics.add(MetricName.OnboardingActionFailures, failed.length);
    return failed;
  }

  /** Logs an incomplete onboarding; in strict mode, fails the call with it as the cause. */
  function incomplete(eventId: string | null, failedActions: FailedAction[], queued: QueueOutcome): 'pass' {
    log.warn('onboarding incomplete', { eventId, failedActions, queued, strict: settings.strict });
    if (settings.strict) {
      throw new OnboardingIncompleteError(failedActions, queued);
    }
    return 'pass';
  }

  /** Sends the event to the failure queue, and counts where it went (docs/metrics.md). */
  async function enqueue(
    event: PostConfirmationEvent,
    context: RuleContext,
    failedActions: FailedAction[],
    eventId: string | null,
  ): Promise<QueueOutcome> {
    const outcome = await send(event, context, failedActions, eventId);
    context.metrics.add(queueMetrics[outcome]);
    return outcome;
  }

  async function send(
    event: PostConfirmationEvent,
    context: RuleContext,
    failedActions: FailedAction[],
    eventId: string | null,
  ): Promise<QueueOutcome> {
    // `sub` is an opaque id, not contact data: without it an operator could not find the user to replay.
    const user = { eventId, sub: subOf(event) };
    if (failureQueue === undefined) {
      log.error('onboarding lost: no failure queue configured', { ...user, onboardingLost: 1 });
      return 'lost';
    }
    const deadline = context.deadline - QUEUE_MARGIN_MS;
    const bounded = deadlineSignal(context.signal, deadline);
    try {
      // Bounded by the signal, which aborts one event-loop turn after the deadline (the SDK then aborts its
      // request): an answer that has arrived by then is read, not reported as a failure.
      await untilAborted(
        failureQueue(
          {
            kind: FAILURE_MESSAGE_KIND,
            version: 1,
            eventId,
            failedActions,
            failedAt: clock().toISOString(),
            requestId: context.lambda.awsRequestId,
            complete: true,
            event: queuedEvent(event),
          },
          { deadline, signal: bounded.signal },
        ),
        bounded.signal,
      );
      log.info('event sent to the failure queue', { eventId });
      return 'queued';
    } catch (error) {
      if (isUnconfirmedSend(error)) {
        log.error('onboarding queue unconfirmed: the deadline came before the failure queue answered', {
          ...user,
          onboardingQueueUnconfirmed: 1,
          error: loggableError(error),
        });
        return 'unconfirmed';
      }
      log.error('onboarding lost: the failure queue refused the event', {
        ...user,
        onboardingLost: 1,
        error: loggableError(error),
      });
      return 'lost';
    } finally {
      bounded.clear();
    }
  }

  /** The actions, after their event was queued: a cold start left too little time to run them first. */
  async function queueFirst(
    event: PostConfirmationEvent,
    context: RuleContext,
    actionsNeedMs: number,
  ): Promise<'pass'> {
    const eventId = eventIdOf(event);
    const pending = actions.map(({ name }) => ({ action: name, errorName: NOT_ATTEMPTED }));
    const queued = await enqueue(event, context, pending, eventId);
    // Loading an SDK is synchronous work no deadline can interrupt: actions that cannot finish in what is
    // left would only hold the reply past Cognito's wait. The replay runs them.
    if (context.deadline - QUEUE_MARGIN_MS - Date.now() < actionsNeedMs) {
      log.warn('onboarding deferred to the failure queue: too little time left to run the actions', {
        eventId,
        queued,
        strict: settings.strict,
      });
      // Strict mode fails the call when onboarding is not done, and deferred is not done.
      if (settings.strict) {
        throw new OnboardingIncompleteError(pending, queued);
      }
      return 'pass';
    }
    const reports = await runActions(event, context, context.deadline - QUEUE_MARGIN_MS);
    const failedActions = failedOf(reports, context);
    log.info('onboarding', {
      triggerSource: event.triggerSource,
      actions: reports,
      onboardingActionFailures: failedActions.length,
      queuedFirst: queued,
    });
    return failedActions.length === 0 ? 'pass' : incomplete(eventId, failedActions, queued);
  }

  return async function runOnboarding(event, context) {
    // Nothing configured: no work and no log line beyond the core's decision line on this hot path.
    if (actions.length === 0) return 'skipped';
    if (!onboards(event.triggerSource)) {
      log.info('onboarding skipped', { triggerSource: event.triggerSource });
      return 'skipped';
    }
    const available = Math.max(0, context.deadline - Date.now());
    // The queue's time is reserved first. Even without a queue, the actions stop a margin before the core's
    // own deadline, so a hanging action is this engine's logged failure, never the core's fault (which would
    // fail the user's call).
    const reserve = Math.max(QUEUE_MARGIN_MS, failureQueue === undefined ? 0 : failureQueueReserveMs);
    // A cold start whose init took longer than the actions would get ran on a CPU too starved for them to
    // finish in time (loading their SDKs alone takes a few times the init): queue first, then try them.
    const actionsNeedMs = Math.max(MIN_ACTIONS_MS, context.coldStartMs ?? 0);
    if (failureQueue !== undefined && available - reserve < actionsNeedMs) {
      return queueFirst(event, context, actionsNeedMs);
    }
    const reports = await runActions(event, context, context.deadline - reserve);
    const failedActions = failedOf(reports, context);
    const eventId = eventIdOf(event);
    log.info('onboarding', {
      triggerSource: event.triggerSource,
      actions: reports,
      onboardingActionFailures: failedActions.length,
    });
    if (failedActions.length === 0) return 'pass';

    return incomplete(eventId, failedActions, await enqueue(event, context, failedActions, eventId));
  };
}

/**
 * The options of {@link runOnboarding} from the environment (the engine is always on; with no action enabled
 * it skips): `ONBOARD_ON_PASSWORD_RESET` and `POST_CONFIRMATION_STRICT` (`true` / `false`, both default
 * `false`).
 */
export function runOnboardingFromEnv(env: Env): RunOnboardingOptions {
  return {
    onPasswordReset: readBoolean(env, 'ONBOARD_ON_PASSWORD_RESET', false),
    strict: readBoolean(env, 'POST_CONFIRMATION_STRICT', false),
  };
}

/** What {@link runOnboarding} reads (shared/settings.ts). */
export const runOnboardingSettings = declareSettings({
  owner: 'runOnboarding',
  variables: [
    { name: 'ONBOARD_ON_PASSWORD_RESET', option: 'onPasswordReset', value: SettingValue.Boolean },
    { name: 'POST_CONFIRMATION_STRICT', option: 'strict', value: SettingValue.Boolean },
  ],
});
