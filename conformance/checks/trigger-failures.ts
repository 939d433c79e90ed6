/**
 * A trigger that fails: thrown errors, output that is not the event, no answer within 5 s, an Invoke API
 * error; what the API caller sees, how many attempts Cognito makes, and what is left behind.
 */
import { AdminConfirmSignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { type Check, expectEqual, expectThat, Flow, shown, unknown } from '../check.js';
import { outcomeOf, type SuiteContext, shownOutcome, sourcesOf } from '../context.js';
import type { ProbeBehaviour, ProbeTrigger } from '../probe-lambda.js';
import { runOf, signUp, storedUser } from './sign-up.js';

/** Cognito's socket timeout per attempt and its number of attempts (contract §6). */
const ATTEMPT_MS = 5_000;
const ATTEMPTS = 3;

/** Milliseconds as seconds to a tenth, for a report. */
const seconds = (ms: number) => Math.round(ms / 100) / 10;

/** What the probe throws: ends with a full stop, so Cognito's own makes two. */
const THROWN = 'Sign-up is closed.';
const THROWN_AFTER_CONFIRMATION = 'Onboarding failed.';

/** Scenario: a sign-up whose `trigger` behaves as `behaviour`; the answer, the calls, the stored user. */
function signUpWhere(label: string, trigger: ProbeTrigger, behaviour: ProbeBehaviour) {
  return async (context: SuiteContext) => {
    const user = context.newUser(label);
    context.probe.script(user.key, { [trigger]: behaviour });
    const answer = await signUp(context, user);
    return runOf(context, user, answer);
  };
}

const preSignUpThrows = signUpWhere('throws', 'PreSignUp', { kind: 'throw', message: THROWN });
const preSignUpGarbage = signUpWhere('garbage', 'PreSignUp', { kind: 'return', value: 'not the event' });
const preSignUpSilent = signUpWhere('silent', 'PreSignUp', { kind: 'delay', ms: ATTEMPT_MS + 1_500 });
const invokeFails = signUpWhere('invoke-error', 'PreSignUp', {
  kind: 'invoke-error',
  status: 500,
  errorType: 'ServiceException',
});
const customMessageThrows = signUpWhere('message-throws', 'CustomMessage', {
  kind: 'throw',
  message: THROWN,
});

/** Scenario: a signed-up user confirmed by AdminConfirmSignUp while post confirmation throws. */
async function postConfirmationThrows(context: SuiteContext) {
  const user = context.newUser('confirm-throws');
  context.probe.script(user.key, { PostConfirmation: { kind: 'throw', message: THROWN_AFTER_CONFIRMATION } });
  await signUp(context, user);
  const answer = await outcomeOf(() =>
    context.cognito.send(
      new AdminConfirmSignUpCommand({ UserPoolId: context.pool.userPoolId, Username: user.email }),
    ),
  );
  return { user, answer, stored: await storedUser(context, user.email) };
}

/** Checks of trigger failures. */
export const triggerFailureChecks: readonly Check[] = [
  {
    id: 'failure.thrown',
    flow: Flow.TriggerFailures,
    title: 'pre sign-up throws: UserLambdaValidationException "PreSignUp failed with error <message>."',
    section: '§1 Errors the API caller sees; §2 rule 7',
    async run(context) {
      const run = await context.once(preSignUpThrows);
      return expectEqual(
        shownOutcome(run.answer),
        `UserLambdaValidationException: PreSignUp failed with error ${THROWN}.`,
      );
    },
  },
  {
    id: 'failure.thrown-no-user',
    flow: Flow.TriggerFailures,
    title: 'pre sign-up throws: the user is not created',
    section: '§2 rule 7',
    async run(context) {
      const run = await context.once(preSignUpThrows);
      return expectEqual(run.stored.ok ? 'the user exists' : run.stored.name, 'UserNotFoundException');
    },
  },
  {
    id: 'failure.thrown-not-retried',
    flow: Flow.TriggerFailures,
    title: 'a thrown error is reported at once: one invocation',
    section: '§6 Retries, idempotency and the Lambda timeout',
    async run(context) {
      const run = await context.once(preSignUpThrows);
      return expectEqual(sourcesOf(run.calls), ['PreSignUp_SignUp']);
    },
  },
  {
    id: 'failure.invalid-output',
    flow: Flow.TriggerFailures,
    title:
      'pre sign-up returns something else than the event: InvalidLambdaResponseException "Unrecognizable lambda output"',
    section: '§1 Errors the API caller sees',
    async run(context) {
      const run = await context.once(preSignUpGarbage);
      return expectEqual(
        shownOutcome(run.answer),
        'InvalidLambdaResponseException: Unrecognizable lambda output',
      );
    },
  },
  {
    id: 'failure.timeout',
    flow: Flow.TriggerFailures,
    title:
      'no answer within 5 s: UnexpectedLambdaException "PreSignUp invocation failed due to error Socket timeout while invoking Lambda function."',
    section: '§1 Errors the API caller sees',
    async run(context) {
      const run = await context.once(preSignUpSilent);
      return expectEqual(
        shownOutcome(run.answer),
        'UnexpectedLambdaException: PreSignUp invocation failed due to error Socket timeout while invoking Lambda function.',
      );
    },
  },
  {
    id: 'failure.timeout-attempts',
    flow: Flow.TriggerFailures,
    title: 'no answer within 5 s: three attempts',
    section: '§6 Timeout and retries',
    async run(context) {
      const run = await context.once(preSignUpSilent);
      return expectEqual(
        sourcesOf(run.calls),
        Array.from({ length: ATTEMPTS }, () => 'PreSignUp_SignUp'),
      );
    },
  },
  {
    id: 'failure.timeout-wait',
    flow: Flow.TriggerFailures,
    title: 'no answer within 5 s: each attempt waits 5 s (15 s in all, give or take 1.5 s)',
    section: '§6 Timeout and retries',
    async run(context) {
      const run = await context.once(preSignUpSilent);
      const calls = run.calls.map((call) => call.receivedAt);
      const gaps = calls.slice(1).map((at, index) => at - (calls[index] ?? at));
      const total = run.answer.ms;
      const within = (value: number, target: number) => Math.abs(value - target) <= 1_500;
      return expectThat(
        gaps.length === ATTEMPTS - 1 &&
          gaps.every((gap) => within(gap, ATTEMPT_MS)) &&
          within(total, ATTEMPTS * ATTEMPT_MS),
        `attempts 5 s apart, answer after 15 s`,
        `attempts ${shown(gaps.map(seconds))} s apart, answer after ${seconds(total)} s`,
      );
    },
  },
  {
    id: 'failure.invoke-error-not-retried',
    flow: Flow.TriggerFailures,
    title: 'the Invoke API answers HTTP 500: not retried, the call fails',
    section: '§6 Not retried',
    async run(context) {
      const run = await context.once(invokeFails);
      return expectThat(
        run.calls.length === 1 && !run.answer.ok,
        'one invocation, an error',
        `${run.calls.length} invocation(s), ${shownOutcome(run.answer)}`,
      );
    },
  },
  {
    id: 'failure.custom-message-thrown',
    flow: Flow.TriggerFailures,
    title: 'custom message throws during SignUp: what the caller sees',
    section: '§3 Constraints, item 3 [I]',
    async run(context) {
      const run = await context.once(customMessageThrows);
      return unknown(
        shownOutcome(run.answer),
        `UserLambdaValidationException "CustomMessage failed with error ${THROWN}." by analogy [I]`,
      );
    },
  },
  {
    id: 'failure.post-confirmation-thrown',
    flow: Flow.TriggerFailures,
    title:
      'post confirmation throws: UserLambdaValidationException "PostConfirmation failed with error <message>."',
    section: '§4 When the function throws',
    async run(context) {
      const run = await context.once(postConfirmationThrows);
      return expectEqual(
        shownOutcome(run.answer),
        `UserLambdaValidationException: PostConfirmation failed with error ${THROWN_AFTER_CONFIRMATION}.`,
      );
    },
  },
  {
    id: 'failure.post-confirmation-kept',
    flow: Flow.TriggerFailures,
    title: 'post confirmation throws: whether the user stays confirmed',
    section: '§4 When the function throws [I]',
    async run(context) {
      const run = await context.once(postConfirmationThrows);
      return unknown(
        run.stored.ok ? String(run.stored.value.status) : shownOutcome(run.stored),
        'CONFIRMED, no source says it is undone [I]',
      );
    },
  },
];
