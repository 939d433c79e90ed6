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
 *   `onboardingActionFailures` (a CloudWatch metric filter counts it). `POST_CONFIRMATION_STRICT=true` throws
 *   `SIGNUP_UNAVAILABLE` instead, after queueing the event all the same.
 * - Every action is idempotent, so a retry by Cognito (contract §6) or a replay runs them all again and
 *   completes what a partial failure left undone.
 * - The actions share the invocation deadline less the time kept back for the failure queue, so a hanging
 *   action is cut off in time for the event to be queued and the reply to reach Cognito within 5 s.
 */
import { type Env, readBoolean } from '../../shared/config.js';
import { boundedSignal, withDeadline } from '../../shared/deadline.js';
import {
  DeadlineExceededError,
  SignUpFault,
  SignUpRejection,
  SignUpUnavailableError,
} from '../../shared/errors.js';
import type { PostConfirmationEvent } from '../../shared/event-types.js';
import type { Rule, RuleContext } from '../../shared/handler-core.js';
import { logger as sharedLogger } from '../../shared/observability.js';
import { TriggerSource } from '../../shared/trigger-source.js';
import { userConfirmedEventId } from './actions/publish-user-confirmed.js';
import { FAILURE_MESSAGE_KIND, type FailedAction, type FailureQueue } from './failure-queue.js';
import type { ActionOutcome, OnboardingAction } from './onboarding-action.js';

/** Options of {@link runOnboarding}. */
export type RunOnboardingOptions = {
  /** Onboard on `PostConfirmation_ConfirmForgotPassword` too (`ONBOARD_ON_PASSWORD_RESET`). Default false. */
  onPasswordReset?: boolean;
  /** A failed action fails the user's call with `SIGNUP_UNAVAILABLE` (`POST_CONFIRMATION_STRICT`). */
  strict?: boolean;
  /** Time kept back at the end of the deadline for the failure queue. Default 1000 ms. */
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

/** Some actions did not complete; the cause of the `SIGNUP_UNAVAILABLE` thrown in strict mode. */
export class OnboardingIncompleteError extends SignUpFault {
  public readonly failedActions: readonly FailedAction[];
  /** Whether the event reached the failure queue. */
  public readonly queued: boolean;

  public constructor(failedActions: readonly FailedAction[], queued: boolean, options?: ErrorOptions) {
    super(`Onboarding incomplete: ${failedActions.map((failed) => failed.action).join(', ')}`, options);
    this.name = 'OnboardingIncompleteError';
    this.failedActions = failedActions;
    this.queued = queued;
  }
}

const defaults = { onPasswordReset: false, strict: false, failureQueueReserveMs: 1000 };

// The failure queue settles this much before the handler core's own deadline fires, so a slow queue is our
// logged failure, never the core's fault (which would fail the user's call even in the default mode).
const QUEUE_MARGIN_MS = 100;

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

function errorDetails(error: unknown): Record<string, unknown> {
  // Our own faults' messages are PII-free by construction; a foreign message may quote its input, but a
  // Node.js error code (`MODULE_NOT_FOUND`, `ECONNREFUSED`) never does, and says what went wrong.
  if (error instanceof SignUpFault || error instanceof SignUpRejection) {
    return { name: error.name, message: error.message };
  }
  const code: unknown = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,63}$/.test(code)
    ? { name: errorNameOf(error), code }
    : { name: errorNameOf(error) };
}

function subOf(event: PostConfirmationEvent): string | null {
  const sub = event.request.userAttributes.sub;
  return typeof sub === 'string' && sub !== '' ? sub : null;
}

function eventIdOf(event: PostConfirmationEvent): string | null {
  const sub = subOf(event);
  return sub === null ? null : userConfirmedEventId(event.userPoolId, sub);
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
  if (
    !Number.isSafeInteger(settings.failureQueueReserveMs) ||
    settings.failureQueueReserveMs < 0 ||
    settings.failureQueueReserveMs > 4000
  ) {
    throw new TypeError('failureQueueReserveMs must be a whole number of milliseconds from 0 to 4000');
  }
  if (!Array.isArray(dependencies.actions) || !dependencies.actions.every((a) => typeof a === 'function')) {
    throw new TypeError('dependencies.actions must be a list of functions');
  }
  const actions = dependencies.actions.map((action, index) => ({
    action,
    name: action.name === '' ? `action#${index}` : action.name,
  }));
  const names = actions.map((entry) => entry.name);
  if (new Set(names).size !== names.length) throw new TypeError('Two onboarding actions share one name');
  const { failureQueue } = dependencies;
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
            log.error('onboarding action failed', { action: name, error: errorDetails(error) });
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

  async function enqueue(
    event: PostConfirmationEvent,
    context: RuleContext,
    failedActions: FailedAction[],
    eventId: string | null,
  ): Promise<boolean> {
    // `sub` is an opaque id, not contact data: without it an operator could not find the user to replay.
    const user = { eventId, sub: subOf(event) };
    if (failureQueue === undefined) {
      log.error('onboarding lost: no failure queue configured', { ...user, onboardingLost: 1 });
      return false;
    }
    const deadline = context.deadline - QUEUE_MARGIN_MS;
    const bounded = boundedSignal(context.signal, deadline - Date.now());
    try {
      // Bounded here as well as by the queue itself: whatever queue is plugged in, the reply stays in time.
      const sending = failureQueue(
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
      );
      await withDeadline('failure queue', deadline, sending);
      log.info('event sent to the failure queue', { eventId });
      return true;
    } catch (error) {
      log.error('onboarding lost: the failure queue refused the event', {
        ...user,
        onboardingLost: 1,
        error: errorDetails(error),
      });
      return false;
    } finally {
      bounded.clear();
    }
  }

  return async function runOnboarding(event, context) {
    // Nothing configured: no work and no log line beyond the core's decision line on this hot path.
    if (actions.length === 0) return 'skipped';
    if (!onboards(event.triggerSource)) {
      log.info('onboarding skipped', { triggerSource: event.triggerSource });
      return 'skipped';
    }
    // The failure queue's SDK loads while the actions run, so a failure finds it ready (first time only).
    failureQueue?.prepare?.();
    const available = Math.max(0, context.deadline - Date.now());
    // Even without a queue, the actions stop a margin before the core's own deadline, so a hanging action is
    // this engine's logged failure, never the core's fault (which would fail the user's call).
    const reserve = Math.max(
      QUEUE_MARGIN_MS,
      failureQueue === undefined ? 0 : Math.min(settings.failureQueueReserveMs, Math.floor(available / 2)),
    );
    const reports = await runActions(event, context, context.deadline - reserve);
    const failedActions = reports.flatMap((report) =>
      report.outcome === 'failed' ? [{ action: report.action, errorName: report.errorName ?? 'Error' }] : [],
    );
    const eventId = eventIdOf(event);
    log.info('onboarding', {
      triggerSource: event.triggerSource,
      actions: reports,
      onboardingActionFailures: failedActions.length,
    });
    if (failedActions.length === 0) return 'pass';

    const queued = await enqueue(event, context, failedActions, eventId);
    log.warn('onboarding incomplete', {
      eventId,
      failedActions,
      queued,
      strict: settings.strict,
    });
    if (settings.strict) {
      throw new SignUpUnavailableError({ cause: new OnboardingIncompleteError(failedActions, queued) });
    }
    return 'pass';
  };
}

/**
 * The options of {@link runOnboarding} from the environment: `ONBOARD_ON_PASSWORD_RESET` and
 * `POST_CONFIRMATION_STRICT` (`true` / `false`, both default `false`).
 */
export function runOnboardingFromEnv(env: Env): RunOnboardingOptions {
  return {
    onPasswordReset: readBoolean(env, 'ONBOARD_ON_PASSWORD_RESET', false),
    strict: readBoolean(env, 'POST_CONFIRMATION_STRICT', false),
  };
}
