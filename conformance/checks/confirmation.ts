/**
 * Confirmation: ConfirmSignUp with the emailed code, and AdminConfirmSignUp; the post confirmation event
 * each one causes.
 */
import { AdminConfirmSignUpCommand, ConfirmSignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { type Check, expectEqual, Flow, notApplicable, type Verdict } from '../check.js';
import { at, eventOf, outcomeOf, type ProbeUser, type SuiteContext, shownOutcome } from '../context.js';
import type { ProbeCall } from '../probe-lambda.js';
import { signUp } from './sign-up.js';

const CONFIRM_METADATA = { step: 'confirm' } as const;
const POST_CONFIRMATION = 'PostConfirmation_ConfirmSignUp';

/** The code last sent to `user`, read from the run's message source; `undefined` without one. */
export function codeSentTo(context: SuiteContext, user: ProbeUser): string | undefined {
  return context.messages?.latest(user.email, context.pool.userPoolId)?.code;
}

/** Why a check that needs the emailed code cannot run. */
export const NO_MESSAGE_SOURCE = 'needs the messages the endpoint sends (--messages)';

type Confirmed =
  | { user: ProbeUser; answer: Awaited<ReturnType<typeof outcomeOf>>; calls: ProbeCall[] }
  | undefined;

/** Scenario: SignUp, then ConfirmSignUp with the code sent and ClientMetadata; `undefined` without codes. */
async function confirmedWithCode(context: SuiteContext): Promise<Confirmed> {
  const user = context.newUser('confirm');
  await signUp(context, user);
  const code = codeSentTo(context, user);
  if (code === undefined) return undefined;
  const answer = await outcomeOf(() =>
    context.cognito.send(
      new ConfirmSignUpCommand({
        ClientId: context.pool.publicClientId,
        Username: user.email,
        ConfirmationCode: code,
        ClientMetadata: { ...CONFIRM_METADATA },
      }),
    ),
  );
  return { user, answer, calls: context.probe.callsOf(user.key) };
}

/** Scenario: SignUp, then AdminConfirmSignUp with ClientMetadata. */
async function adminConfirmed(context: SuiteContext) {
  const user = context.newUser('admin-confirm');
  await signUp(context, user);
  const answer = await outcomeOf(() =>
    context.cognito.send(
      new AdminConfirmSignUpCommand({
        UserPoolId: context.pool.userPoolId,
        Username: user.email,
        ClientMetadata: { ...CONFIRM_METADATA },
      }),
    ),
  );
  return { user, answer, calls: context.probe.callsOf(user.key) };
}

/** Runs `judge` on the ConfirmSignUp scenario, or says why it cannot run. */
async function withConfirmation(
  context: SuiteContext,
  judge: (run: NonNullable<Confirmed>, event: unknown) => Verdict,
): Promise<Verdict> {
  const run = await context.once(confirmedWithCode);
  if (run === undefined) return notApplicable(NO_MESSAGE_SOURCE);
  if (!run.answer.ok) return expectEqual(shownOutcome(run.answer), 'success');
  return judge(run, eventOf(run.calls, POST_CONFIRMATION));
}

/** Checks of confirmation. */
export const confirmationChecks: readonly Check[] = [
  {
    id: 'confirm.trigger',
    flow: Flow.Confirmation,
    title: "ConfirmSignUp calls post confirmation (PostConfirmation_ConfirmSignUp) with the app client's id",
    section: '§4 Trigger sources; §1 envelope (callerContext.clientId)',
    run: (context) =>
      withConfirmation(context, (_run, event) =>
        expectEqual(
          { triggerSource: at(event, 'triggerSource'), clientId: at(event, 'callerContext', 'clientId') },
          { triggerSource: POST_CONFIRMATION, clientId: context.pool.publicClientId },
        ),
      ),
  },
  {
    id: 'confirm.attributes',
    flow: Flow.Confirmation,
    title:
      'post confirmation sees the confirmed user: cognito:user_status CONFIRMED, email_verified "true", its sub',
    section: '§4 Request / response',
    run: (context) =>
      withConfirmation(context, (_run, event) => {
        const attributes = at(event, 'request', 'userAttributes');
        return expectEqual(
          {
            status: at(attributes, 'cognito:user_status'),
            emailVerified: at(attributes, 'email_verified'),
            subIsUserName: at(attributes, 'sub') === at(event, 'userName'),
          },
          { status: 'CONFIRMED', emailVerified: 'true', subIsUserName: true },
        );
      }),
  },
  {
    id: 'confirm.client-metadata',
    flow: Flow.Confirmation,
    title: "ConfirmSignUp's ClientMetadata reaches post confirmation",
    section: '§5 Which ClientMetadata reaches which trigger',
    run: (context) =>
      withConfirmation(context, (_run, event) =>
        expectEqual(at(event, 'request', 'clientMetadata'), CONFIRM_METADATA),
      ),
  },
  {
    id: 'confirm.response',
    flow: Flow.Confirmation,
    title: 'post confirmation response arrives as {}',
    section: '§1 envelope (response)',
    run: (context) => withConfirmation(context, (_run, event) => expectEqual(at(event, 'response'), {})),
  },
  {
    id: 'admin-confirm.trigger',
    flow: Flow.Confirmation,
    title: 'AdminConfirmSignUp calls post confirmation (PostConfirmation_ConfirmSignUp)',
    section: '§4 Trigger sources',
    async run(context) {
      const run = await context.once(adminConfirmed);
      if (!run.answer.ok) return expectEqual(shownOutcome(run.answer), 'success');
      return expectEqual(at(eventOf(run.calls, POST_CONFIRMATION), 'triggerSource'), POST_CONFIRMATION);
    },
  },
  {
    id: 'admin-confirm.client-id',
    flow: Flow.Confirmation,
    title: 'AdminConfirmSignUp: callerContext.clientId is null (no app client)',
    section: '§1 envelope (callerContext.clientId)',
    async run(context) {
      const run = await context.once(adminConfirmed);
      return expectEqual(at(eventOf(run.calls, POST_CONFIRMATION), 'callerContext', 'clientId'), null);
    },
  },
  {
    id: 'admin-confirm.client-metadata',
    flow: Flow.Confirmation,
    title: "AdminConfirmSignUp's ClientMetadata reaches post confirmation",
    section: '§5 Which ClientMetadata reaches which trigger',
    async run(context) {
      const run = await context.once(adminConfirmed);
      return expectEqual(
        at(eventOf(run.calls, POST_CONFIRMATION), 'request', 'clientMetadata'),
        CONFIRM_METADATA,
      );
    },
  },
];
